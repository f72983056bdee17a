/**
 * What the custom rule language reads from the model, per subject: the images it
 * pulls, its flags, mounts, ENV/ARG/LABEL pairs, EXPOSEd ports, RUN commands, the
 * effective user and (for file rules) the instructions of the shipped stage. Facts
 * are computed on first use and cached for the subject; `undefined` means the fact
 * does not exist for this subject (the condition is not applicable: unknown).
 */
import type { DockerfileModel, Instruction, Stage } from '../dockerfile/model.js';
import type { ImageRef } from '../image-ref.js';
import { isNonRootImage, DEFAULT_NON_ROOT_IMAGES } from '../rules/root-user.js';
import { baseName, inlineScriptArg, runCommandsDeep, stageAncestry } from '../rules/util/misc.js';
import { classifyFrom, parseMountOptions } from '../rules/util/stages.js';
import { effectiveUser, resolveUser } from '../rules/util/users.js';
import { parseShell, shellParserReady, type ShellCommand } from '../shell/parser.js';

/** An image a subject pulls, judged by `image` / `registry`. */
export interface ImageSlot {
  ref: ImageRef;
  /** The reference as written, after ARG substitution (`{{image}}`). */
  text: string;
}

export interface Subject {
  /** True for `when: { file: true }`: one subject per shipped stage. */
  file: boolean;
  /** Instruction keyword, upper case; `FROM` for file subjects (they are reported at the FROM line). */
  keyword: string;
  instr?: Instruction;
  /** The instruction's stage, or the shipped stage; undefined for global ARGs and files without FROM. */
  stage?: Stage;
  line: number;
  column: number;
  /** Images to judge; empty when the subject pulls none (or only stages, scratch, unresolvable names). */
  images: ImageSlot[];
}

export interface PairFact {
  key: string;
  /** Resolved value (as written when a variable has no value); undefined for `ARG NAME` without default. */
  value?: string;
  line: number;
  keyword: string;
}

export interface FlagFact {
  name: string;
  /** Resolved value; `true` for a flag written without one (`--link`). */
  value: string;
}

export interface MountFact {
  /** Option → value, keys normalised (`dst` → `target`, `src` → `source`, `ro` → `readonly`); `type` defaults to `bind`. */
  options: Map<string, string>;
  /** The --mount value as written. */
  raw: string;
}

export type PortFact = { lo: number; hi: number; proto: string; text: string } | { unknown: true; text: string };

export type PairKind = 'ENV' | 'ARG' | 'LABEL';

/** Expands variables; when one has no value the text is kept as written. */
function resolved(instr: Instruction, text: string): string {
  if (!text.includes('$')) return text;
  const sub = instr.resolve(text);
  return sub.unresolved.length > 0 ? text : sub.value;
}

function pairFacts(instr: Instruction): PairFact[] {
  return instr.pairs.map((p) => ({
    key: p.key,
    value: p.value === undefined ? undefined : resolved(instr, p.value),
    line: instr.lineAt(instr.restOffset + p.offset),
    keyword: instr.keyword
  }));
}

/** The stages whose instructions end up in a shipped stage: itself and its `FROM <stage>` parents, root first. */
export function shippedAncestry(model: DockerfileModel, stage: Stage): Stage[] {
  return stageAncestry(model, stage).reverse();
}

/** Indexes of stages that ship (`model.isShipped`) and of the stages they are built FROM. */
export function finalStageIndexes(model: DockerfileModel): Set<number> {
  const out = new Set<number>();
  for (const s of model.stages) if (model.isShipped(s)) for (const a of stageAncestry(model, s)) out.add(a.index);
  return out;
}

/** The images an instruction pulls: its FROM base, COPY/ADD --from=<image>, RUN --mount=from=<image>. */
export function instructionImages(model: DockerfileModel, instr: Instruction): ImageSlot[] {
  const out: ImageSlot[] = [];
  if (instr.keyword === 'FROM') {
    const from = model.stages[instr.stage]?.from;
    if (from?.image) out.push({ ref: from.image, text: from.resolved });
    return out;
  }
  for (const f of instr.flags) {
    let value: string | undefined;
    if ((instr.keyword === 'COPY' || instr.keyword === 'ADD') && f.name === 'from') {
      // BuildKit does not expand variables in --from: a `$` there names nothing we can judge.
      if (!f.value || f.value.includes('$')) continue;
      value = f.value;
    } else if (instr.keyword === 'RUN' && f.name === 'mount' && f.value) {
      const from = parseMountOptions(f.value).get('from');
      if (!from) continue;
      const sub = instr.resolve(from);
      if (sub.unresolved.length > 0) continue;
      value = sub.value;
    }
    if (value === undefined) continue;
    const target = classifyFrom(model, value);
    if (target.kind === 'image' && target.ref) out.push({ ref: target.ref, text: value });
  }
  return out;
}

/** The external image a shipped stage is built on (following `FROM <stage>`). */
export function stageBaseImage(model: DockerfileModel, stage: Stage): ImageSlot[] {
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1];
  return root.from.image ? [{ ref: root.from.image, text: root.from.resolved }] : [];
}

const MOUNT_KEYS: Record<string, string> = { dst: 'target', destination: 'target', src: 'source', ro: 'readonly', rw: 'readonly' };
const BOOLEAN_MOUNT_KEYS = new Set(['readonly', 'required']);

function mountFact(instr: Instruction, raw: string): MountFact {
  const options = new Map<string, string>();
  for (const [k, v] of parseMountOptions(raw)) {
    const key = MOUNT_KEYS[k] ?? k;
    let value = resolved(instr, v);
    if (k === 'rw') value = v === '' || v === 'true' ? 'false' : 'true';
    else if (value === '' && BOOLEAN_MOUNT_KEYS.has(key)) value = 'true';
    options.set(key, value);
  }
  if (!options.has('type')) options.set('type', 'bind');
  return { options, raw };
}

const PORT_RE = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/;

function portFacts(instr: Instruction): PortFact[] {
  return instr.words.map((w) => {
    const sub = instr.resolve(w.value);
    const m = sub.unresolved.length > 0 ? null : PORT_RE.exec(sub.value.trim());
    if (!m) return { unknown: true as const, text: w.value };
    const lo = Number(m[1]);
    return { lo, hi: m[2] === undefined ? lo : Number(m[2]), proto: (m[3] ?? 'tcp').toLowerCase(), text: sub.value };
  });
}

const MAX_NESTING = 3;

/** Commands of an exec-form RUN, with the script of `["sh", "-c", "…"]` parsed. */
function execCommands(instr: Instruction, argv: string[]): ShellCommand[] {
  if (argv.length === 0) return [];
  const cmd: ShellCommand = { name: argv[0], program: baseName(argv[0]), args: argv.slice(1), wrappers: [], assignments: [], offset: 0, line: instr.line };
  const out = [cmd];
  const nest = (c: ShellCommand, depth: number) => {
    const inner = inlineScriptArg(c);
    if (!inner || depth >= MAX_NESTING || !shellParserReady()) return;
    for (const sub of parseShell(inner).commands) {
      sub.line = instr.line;
      out.push(sub);
      nest(sub, depth + 1);
    }
  };
  nest(cmd, 0);
  return out;
}

/** The default user of a stage without USER: root, unless the base is known to run as non-root (then unknown). */
function baseUser(stage: Stage): string | undefined {
  const img = stage.from.image;
  return img && isNonRootImage(img, DEFAULT_NON_ROOT_IMAGES) ? undefined : 'root';
}

/** The user in effect after the stage's last USER (following `FROM <stage>`); undefined when unknown. */
function stageUser(model: DockerfileModel, stage: Stage): string | undefined {
  const eff = effectiveUser(model, stage);
  if (eff.kind === 'user') return eff.value;
  if (eff.kind === 'unknown') return undefined;
  return baseUser(eff.baseStage);
}

/** The user an instruction runs as (for USER: the user it sets). */
function userAt(model: DockerfileModel, instr: Instruction): string | undefined {
  if (instr.stage < 0) return undefined;
  if (instr.keyword === 'USER') return resolveUser(model, instr);
  const stage = model.stages[instr.stage];
  for (let k = stage.instructions.length - 1; k >= 0; k--) {
    const i = stage.instructions[k];
    if (i.index >= instr.index || i.keyword !== 'USER') continue;
    return resolveUser(model, i);
  }
  const ref = stage.from.stageRef;
  if (ref !== undefined && ref < stage.index) return stageUser(model, model.stages[ref]);
  return baseUser(stage);
}

/** The facts of one subject, computed on demand. */
export class Facts {
  private cache = new Map<string, unknown>();

  constructor(
    readonly model: DockerfileModel,
    readonly subject: Subject
  ) {}

  private memo<T>(key: string, make: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = make();
    this.cache.set(key, v);
    return v;
  }

  /** Stages whose instructions the file subject sees, root first. */
  private stages(): Stage[] {
    return this.memo('stages', () => (this.subject.stage ? shippedAncestry(this.model, this.subject.stage) : []));
  }

  /** ENV/ARG/LABEL pairs: the instruction's, or the effective set of the shipped image (last one wins). */
  pairs(kind: PairKind): PairFact[] | undefined {
    return this.memo(`pairs:${kind}`, () => {
      const { instr, file } = this.subject;
      if (!file) return instr && instr.keyword === kind ? pairFacts(instr) : undefined;
      const byKey = new Map<string, PairFact>();
      const sources = kind === 'ARG' ? [...this.model.globalArgs] : [];
      for (const s of this.stages()) for (const i of s.instructions) if (i.keyword === kind) sources.push(i);
      for (const i of sources) {
        for (const p of pairFacts(i)) {
          // An `ARG NAME` without default keeps the default of an earlier declaration.
          const prev = byKey.get(p.key);
          byKey.delete(p.key);
          byKey.set(p.key, p.value === undefined && prev ? { ...p, value: prev.value } : p);
        }
      }
      return [...byKey.values()];
    });
  }

  flags(): FlagFact[] | undefined {
    return this.memo('flags', () => {
      const instr = this.subject.instr;
      if (this.subject.file || !instr) return undefined;
      return instr.flags.map((f) => ({ name: f.name, value: f.value === undefined ? 'true' : resolved(instr, f.value) }));
    });
  }

  mounts(): MountFact[] | undefined {
    return this.memo('mounts', () => {
      const instr = this.subject.instr;
      if (this.subject.file || !instr || instr.keyword !== 'RUN') return undefined;
      return instr.flags.filter((f) => f.name === 'mount' && f.value).map((f) => mountFact(instr, f.value as string));
    });
  }

  ports(): PortFact[] | undefined {
    return this.memo('ports', () => {
      const { instr, file } = this.subject;
      if (!file) return instr && instr.keyword === 'EXPOSE' ? portFacts(instr) : undefined;
      return this.stages().flatMap((s) => s.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap(portFacts));
    });
  }

  /** Parsed commands of a RUN (shell form with `sh -c` scripts, heredocs, exec form); undefined when it cannot be parsed. */
  commands(): ShellCommand[] | undefined {
    return this.memo('commands', () => {
      const instr = this.subject.instr;
      if (this.subject.file || !instr || instr.keyword !== 'RUN') return undefined;
      if (instr.json) return execCommands(instr, instr.json);
      if (!this.model.shellOf(instr)) return undefined;
      return [...runCommandsDeep(this.model, [instr])].map((r) => r.cmd);
    });
  }

  /** Resolved `user[:group]`; undefined when unknown (a variable without value, a non-root base image without USER). */
  user(): string | undefined {
    return this.memo('user', () => {
      const { instr, stage, file } = this.subject;
      if (file) return stage ? stageUser(this.model, stage) : undefined;
      return instr ? userAt(this.model, instr) : undefined;
    });
  }

  /** File subjects: every instruction of the shipped stage and the stages it is built FROM (FROM lines included). */
  instructions(): Instruction[] | undefined {
    return this.memo('instructions', () => {
      if (!this.subject.file) return undefined;
      return this.stages().flatMap((s) => [s.instruction, ...s.instructions]);
    });
  }
}
