/**
 * Conditions of the custom rule language, compiled once into evaluators.
 *
 * Evaluation is three-valued: true, false, or unknown (`undefined`) when the condition
 * cannot be judged for this subject — an `image` condition on a FROM of a stage alias,
 * `scratch` or an unresolvable `${VAR}`; a `user` set from a variable without value; an
 * EXPOSE of `$PORT`. Combinators follow Kleene logic (`all`: any false → false, else any
 * unknown → unknown; `any`: any true → true, else any unknown → unknown; `not` keeps
 * unknown), and an unknown result never reports, under `require` or `forbid`.
 * A condition kind that cannot apply to a subject at all (in a rule with several
 * `when` instructions: `run` on a USER, `label` on an ENV) is false for it, not unknown.
 *
 * Each result carries evidence (key, value, line, program) for the message placeholders:
 * for a true result the thing that matched, for a false one the nearest miss (a label
 * with the right key but the wrong value) when there is one.
 */
import { KNOWN_INSTRUCTIONS } from '../dockerfile/model.js';
import { imageName, normalizeImage, type ImageRef } from '../image-ref.js';
import type { ShellCommand } from '../shell/parser.js';
import { CustomRuleError, pointerPath } from './errors.js';
import type { Facts, ImageSlot, PairKind } from './facts.js';
import { compileMatch, normalizeImageGlob, normalizeRegistryGlob, type Matcher } from './match.js';
import type { ConditionSpec, MatchSpec, PairSpec, PortSpec } from './schema.js';

export type Truth = boolean | undefined;

export interface Evidence {
  key?: string;
  value?: string;
  /** Source line of the matched pair (ENV/ARG/LABEL). */
  line?: number;
  program?: string;
}

export interface Result {
  v: Truth;
  ev?: Evidence;
}

export interface EvalContext {
  facts: Facts;
  /** The image being judged, when the subject pulls one. */
  image?: ImageSlot;
}

export type Evaluator = (c: EvalContext) => Result;

/** The pseudo-subject of `when: { file: true }`. */
export const FILE_SUBJECT = 'file';

export type ConditionKind = 'image' | 'registry' | 'flag' | 'mount' | 'env' | 'arg' | 'label' | 'run' | 'port' | 'user' | 'instruction';
const COMBINATORS = ['all', 'any', 'not'] as const;

const ALL_INSTRUCTIONS = [...KNOWN_INSTRUCTIONS];

/** Which subjects each condition can apply to (instruction keywords, or `file`). */
export const CONDITION_SUBJECTS: Readonly<Record<ConditionKind, readonly string[]>> = {
  image: ['FROM', 'COPY', 'ADD', 'RUN', FILE_SUBJECT],
  registry: ['FROM', 'COPY', 'ADD', 'RUN', FILE_SUBJECT],
  flag: ['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK'],
  mount: ['RUN'],
  env: ['ENV', FILE_SUBJECT],
  arg: ['ARG', FILE_SUBJECT],
  label: ['LABEL', FILE_SUBJECT],
  run: ['RUN'],
  port: ['EXPOSE', FILE_SUBJECT],
  user: [...ALL_INSTRUCTIONS, FILE_SUBJECT],
  instruction: [FILE_SUBJECT]
};

/** Flags BuildKit accepts per instruction (names without `--`). */
export const INSTRUCTION_FLAGS: Readonly<Record<string, readonly string[]>> = {
  FROM: ['platform'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['from', 'chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude', 'unpack'],
  RUN: ['mount', 'network', 'security', 'device'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries']
};

/** What a compiled rule needs to know while its conditions compile. */
export interface CompileEnv {
  /** Subject keywords of `when` (upper case), or [`file`]. */
  subjects: readonly string[];
  /** Condition kinds used anywhere in the rule (for placeholder checks). */
  used: Set<ConditionKind>;
}

const U: Result = { v: undefined };
const F: Result = { v: false };

/** Edit distance counting a swap of neighbours as one edit (FORM → FROM). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest name, when it is a likely typo (a third of the letters or fewer differ). */
export function suggest(name: string, names: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of names) {
    const dist = editDistance(n, c.toLowerCase());
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(n.length / 3)) ? best : undefined;
}

function subjectName(s: string): string {
  return s === FILE_SUBJECT ? 'file-level rules (when: { file: true })' : `${s} rules`;
}

function describeSubjects(list: readonly string[]): string {
  const kw = list.filter((s) => s !== FILE_SUBJECT);
  const parts: string[] = [];
  if (kw.length === ALL_INSTRUCTIONS.length) parts.push('every instruction');
  else if (kw.length > 0) parts.push(kw.join(', '));
  if (list.includes(FILE_SUBJECT)) parts.push('file-level rules (when: { file: true })');
  return parts.join(' and ');
}

/** True when a condition kind can apply to this subject at run time. */
function appliesTo(kind: ConditionKind, c: EvalContext): boolean {
  const s = c.facts.subject;
  return CONDITION_SUBJECTS[kind].includes(s.file ? FILE_SUBJECT : s.keyword);
}

function merge(results: Result[]): Evidence | undefined {
  let out: Evidence | undefined;
  for (const r of results) {
    if (!r.ev) continue;
    out ??= {};
    for (const k of ['key', 'value', 'line', 'program'] as const)
      if (out[k] === undefined && r.ev[k] !== undefined) (out as Record<string, unknown>)[k] = r.ev[k];
  }
  return out;
}

function allOf(evals: Evaluator[]): Evaluator {
  if (evals.length === 1) return evals[0];
  return (c) => {
    const results: Result[] = [];
    let unknown = false;
    for (const e of evals) {
      const r = e(c);
      if (r.v === false) return r;
      if (r.v === undefined) unknown = true;
      results.push(r);
    }
    return unknown ? U : { v: true, ev: merge(results) };
  };
}

function anyOf(evals: Evaluator[]): Evaluator {
  return (c) => {
    const results: Result[] = [];
    let unknown = false;
    for (const e of evals) {
      const r = e(c);
      if (r.v === true) return r;
      if (r.v === undefined) unknown = true;
      results.push(r);
    }
    return unknown ? U : { v: false, ev: merge(results) };
  };
}

function notOf(e: Evaluator): Evaluator {
  return (c) => {
    const r = e(c);
    return r.v === undefined ? r : { v: !r.v, ev: r.ev };
  };
}

// ---------------------------------------------------------------------------
// Kinds

/** The forms of a reference globs are matched against: full normalised, `name:tag`, `name@digest`, `name`. */
export function imageCandidates(ref: ImageRef): string[] {
  const name = imageName(ref);
  const out = [normalizeImage(ref)];
  if (ref.tag && ref.digest) out.push(`${name}:${ref.tag}`, `${name}@${ref.digest}`);
  out.push(name);
  return out;
}

function imageCondition(spec: MatchSpec, ptr: string): Evaluator {
  const m = compileMatch(spec, ptr, { style: 'path', nocase: true, normalize: normalizeImageGlob });
  return (c) => {
    if (!c.image) return U;
    return { v: m.testAny(imageCandidates(c.image.ref)), ev: { value: c.image.text } };
  };
}

function registryCondition(spec: MatchSpec, ptr: string): Evaluator {
  const m = compileMatch(spec, ptr, { style: 'text', nocase: true, normalize: (g) => normalizeRegistryGlob(g).replace(/\/+$/, '') });
  return (c) => {
    if (!c.image) return U;
    return { v: m.test(c.image.ref.registry), ev: { value: c.image.ref.registry } };
  };
}

function flagCondition(spec: string | { name: string; value?: MatchSpec }, ptr: string, env: CompileEnv): Evaluator {
  const written = typeof spec === 'string' ? spec : spec.name;
  const namePtr = typeof spec === 'string' ? ptr : `${ptr}/name`;
  const name = written.replace(/^--/, '').toLowerCase();
  const kws = env.subjects.filter((s) => INSTRUCTION_FLAGS[s]);
  if (!kws.some((k) => INSTRUCTION_FLAGS[k].includes(name))) {
    const known = kws.map((k) => `${k}: ${INSTRUCTION_FLAGS[k].map((f) => `--${f}`).join(', ')}`).join('; ');
    const all = [...new Set(kws.flatMap((k) => INSTRUCTION_FLAGS[k]))];
    const close = suggest(name, all);
    throw new CustomRuleError(
      namePtr,
      `flag "--${name}" in ${pointerPath(namePtr)} is not a flag of ${kws.join(', ')}${close ? ` (did you mean "--${close}"?)` : ''}; known flags: ${known}`
    );
  }
  const value = typeof spec === 'string' || spec.value === undefined ? undefined : compileMatch(spec.value, `${ptr}/value`, { style: 'text', nocase: false });
  const key = `--${name}`;
  return (c) => {
    const s = c.facts.subject;
    if (s.file || !INSTRUCTION_FLAGS[s.keyword]?.includes(name)) return F;
    const flags = (c.facts.flags() ?? []).filter((f) => f.name === name);
    for (const f of flags) if (!value || value.test(f.value)) return { v: true, ev: { key, value: f.value } };
    return { v: false, ev: { key, value: flags[0]?.value } };
  };
}

const MOUNT_OPTIONS = ['type', 'target', 'source', 'from', 'id', 'mode', 'uid', 'gid', 'sharing', 'required', 'readonly', 'env', 'size'];

function mountCondition(spec: string | Record<string, MatchSpec>, ptr: string): Evaluator {
  const fields: [string, Matcher][] =
    typeof spec === 'string'
      ? [['type', compileMatch(spec, ptr, { style: 'text', nocase: true })]]
      : Object.entries(spec).map(([k, v]) => {
          if (!MOUNT_OPTIONS.includes(k)) throw new CustomRuleError(`${ptr}/${k}`, `unknown --mount option "${k}" (known: ${MOUNT_OPTIONS.join(', ')})`);
          return [k, compileMatch(v, `${ptr}/${k}`, { style: 'text', nocase: k === 'type' })];
        });
  return (c) => {
    const mounts = c.facts.mounts();
    if (!mounts) return U;
    for (const m of mounts) {
      if (fields.every(([k, matcher]) => m.options.has(k) && matcher.test(m.options.get(k) as string)))
        return { v: true, ev: { key: '--mount', value: m.raw } };
    }
    return { v: false, ev: { key: '--mount', value: mounts[0]?.raw } };
  };
}

function pairCondition(kind: PairKind, spec: PairSpec, ptr: string): Evaluator {
  const keySpec = typeof spec === 'string' ? spec : spec.key;
  const key = keySpec === undefined ? undefined : compileMatch(keySpec, typeof spec === 'string' ? ptr : `${ptr}/key`, { style: 'text', nocase: false });
  const value = typeof spec === 'string' || spec.value === undefined ? undefined : compileMatch(spec.value, `${ptr}/value`, { style: 'text', nocase: false });
  return (c) => {
    const pairs = c.facts.pairs(kind);
    if (!pairs) return U;
    let miss: Evidence | undefined;
    for (const p of pairs) {
      if (key && !key.test(p.key)) continue;
      const ev = { key: p.key, value: p.value, line: p.line };
      if (!value || (p.value !== undefined && value.test(p.value))) return { v: true, ev };
      miss ??= ev;
    }
    return { v: false, ev: miss ?? (key?.literal ? { key: key.literal } : undefined) };
  };
}

/** `-k` is given as `-k`, or inside combined short options (`-fsSLk`); `--insecure` as itself or `--insecure=…`. */
export function hasOption(args: readonly string[], option: string): boolean {
  const short = /^-[A-Za-z0-9]$/.test(option) ? option[1] : undefined;
  for (const a of args) {
    if (a === '--') return false;
    if (a === option) return true;
    if (option.startsWith('--') && a.startsWith(`${option}=`)) return true;
    if (short && /^-[A-Za-z0-9]{2,}$/.test(a) && a.includes(short)) return true;
  }
  return false;
}

function commandText(cmd: ShellCommand): string {
  return [cmd.name, ...cmd.args].join(' ');
}

function runCondition(spec: string | { program?: MatchSpec; flag?: string | string[]; arg?: MatchSpec; pipedTo?: MatchSpec }, ptr: string): Evaluator {
  const o = typeof spec === 'string' ? { program: spec } : spec;
  const progPtr = typeof spec === 'string' ? ptr : `${ptr}/program`;
  const program = o.program === undefined ? undefined : compileMatch(o.program, progPtr, { style: 'text', nocase: true });
  const flags = o.flag === undefined ? undefined : Array.isArray(o.flag) ? o.flag : [o.flag];
  flags?.forEach((f, k) => {
    const p = Array.isArray(o.flag) ? `${ptr}/flag/${k}` : `${ptr}/flag`;
    if (!/^--?[A-Za-z0-9]/.test(f) || /\s/.test(f))
      throw new CustomRuleError(p, `run flag "${f}" in ${pointerPath(p)} must be one option such as -k or --insecure`);
  });
  const arg = o.arg === undefined ? undefined : compileMatch(o.arg, `${ptr}/arg`, { style: 'text', nocase: false });
  const piped = o.pipedTo === undefined ? undefined : compileMatch(o.pipedTo, `${ptr}/pipedTo`, { style: 'text', nocase: true });
  // The program as parsed (`/usr/bin/curl` → curl), as written, or a wrapper it runs through (sudo, env, xargs …).
  const isProgram = (m: Matcher, cmd: ShellCommand) => m.testAny([cmd.program, cmd.name, ...cmd.wrappers]);
  return (c) => {
    const cmds = c.facts.commands();
    if (!cmds) return U;
    for (const cmd of cmds) {
      if (program && !isProgram(program, cmd)) continue;
      const flag = flags ? flags.find((f) => hasOption(cmd.args, f)) : undefined;
      if (flags && !flag) continue;
      const matchedArg = arg ? cmd.args.find((a) => arg.test(a)) : undefined;
      if (arg && matchedArg === undefined) continue;
      if (piped) {
        const line = cmd.pipeline ?? [];
        if (!line.slice(line.indexOf(cmd) + 1).some((p) => isProgram(piped, p))) continue;
      }
      return { v: true, ev: { program: cmd.program, key: flag, value: matchedArg ?? commandText(cmd) } };
    }
    return { v: false, ev: program?.literal ? { program: program.literal } : undefined };
  };
}

interface PortRange {
  lo: number;
  hi: number;
  proto?: string;
}

function portCondition(spec: PortSpec | PortSpec[], ptr: string): Evaluator {
  const list = Array.isArray(spec) ? spec : [spec];
  const ranges: PortRange[] = list.map((p, k) => {
    const at = Array.isArray(spec) ? `${ptr}/${k}` : ptr;
    if (typeof p === 'number') return { lo: p, hi: p };
    const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(p.trim()) as RegExpExecArray;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi > 65535 || lo > hi)
      throw new CustomRuleError(at, `port range "${p}" in ${pointerPath(at)} is invalid: ports are 0-65535 and the first may not exceed the second`);
    return { lo, hi, proto: m[3]?.toLowerCase() };
  });
  return (c) => {
    const ports = c.facts.ports();
    if (!ports) return U;
    let unknown = false;
    for (const p of ports) {
      if ('unknown' in p) {
        unknown = true;
        continue;
      }
      if (ranges.some((r) => r.lo <= p.hi && p.lo <= r.hi && (r.proto === undefined || r.proto === p.proto))) return { v: true, ev: { value: p.text } };
    }
    return unknown ? U : { v: false, ev: ports.length > 0 ? { value: ports.map((p) => p.text).join(' ') } : undefined };
  };
}

function userCondition(spec: MatchSpec, ptr: string): Evaluator {
  const m = compileMatch(spec, ptr, { style: 'text', nocase: false });
  return (c) => {
    const user = c.facts.user();
    if (user === undefined) return U;
    const name = user.split(':')[0];
    return { v: m.testAny(name === user ? [user] : [user, name]), ev: { value: user } };
  };
}

/** Validates instruction keywords (case-insensitive) and returns them upper-cased. */
export function compileKeywords(spec: string | string[], ptr: string): string[] {
  const list = Array.isArray(spec) ? spec : [spec];
  return list.map((k, i) => {
    const kw = k.trim().toUpperCase();
    if (!KNOWN_INSTRUCTIONS.has(kw)) {
      const at = Array.isArray(spec) ? `${ptr}/${i}` : ptr;
      const close = suggest(kw, ALL_INSTRUCTIONS);
      throw new CustomRuleError(at, `unknown instruction "${k}" in ${pointerPath(at)}${close ? ` (did you mean ${close}?)` : ''}`);
    }
    return kw;
  });
}

function instructionCondition(spec: string | string[], ptr: string): Evaluator {
  const kws = new Set(compileKeywords(spec, ptr));
  const first = [...kws][0];
  return (c) => {
    const instrs = c.facts.instructions();
    if (!instrs) return U;
    const found = instrs.find((i) => kws.has(i.keyword));
    return found ? { v: true, ev: { key: found.keyword, value: found.args.trim() } } : { v: false, ev: { key: first } };
  };
}

// ---------------------------------------------------------------------------

/** Compiles a condition object at `ptr`; its keys are ANDed. */
export function compileCondition(spec: ConditionSpec, ptr: string, env: CompileEnv): Evaluator {
  const evals: Evaluator[] = [];
  for (const [key, value] of Object.entries(spec) as [keyof ConditionSpec, unknown][]) {
    const at = `${ptr}/${key}`;
    if ((COMBINATORS as readonly string[]).includes(key)) {
      if (key === 'not') evals.push(notOf(compileCondition(value as ConditionSpec, at, env)));
      else {
        const parts = (value as ConditionSpec[]).map((s, k) => compileCondition(s, `${at}/${k}`, env));
        evals.push(key === 'all' ? allOf(parts) : anyOf(parts));
      }
      continue;
    }
    const kind = key as ConditionKind;
    const applies = CONDITION_SUBJECTS[kind];
    if (!env.subjects.some((s) => applies.includes(s))) {
      throw new CustomRuleError(
        at,
        `condition "${kind}" in ${pointerPath(at)} cannot apply to ${env.subjects.map(subjectName).join(' or ')}: it applies to ${describeSubjects(applies)}`
      );
    }
    env.used.add(kind);
    evals.push(staticallyFalse(kind, compileKind(kind, value, at, env)));
  }
  return allOf(evals);
}

/**
 * In a rule with several `when` instructions, a condition that cannot apply to one of
 * them is false for it (a USER runs no command, an ENV has no label). Unknown is kept
 * for subjects that could have the thing but where it cannot be judged.
 */
function staticallyFalse(kind: ConditionKind, e: Evaluator): Evaluator {
  return (c) => (appliesTo(kind, c) ? e(c) : F);
}

function compileKind(kind: ConditionKind, value: unknown, at: string, env: CompileEnv): Evaluator {
  switch (kind) {
    case 'image':
      return imageCondition(value as MatchSpec, at);
    case 'registry':
      return registryCondition(value as MatchSpec, at);
    case 'flag':
      return flagCondition(value as string | { name: string; value?: MatchSpec }, at, env);
    case 'mount':
      return mountCondition(value as string | Record<string, MatchSpec>, at);
    case 'env':
    case 'arg':
    case 'label':
      return pairCondition(kind.toUpperCase() as PairKind, value as PairSpec, at);
    case 'run':
      return runCondition(value as string | { program?: MatchSpec }, at);
    case 'port':
      return portCondition(value as PortSpec | PortSpec[], at);
    case 'user':
      return userCondition(value as MatchSpec, at);
    case 'instruction':
      return instructionCondition(value as string | string[], at);
    default:
      throw new CustomRuleError(at, `unknown condition "${String(kind)}"`);
  }
}
