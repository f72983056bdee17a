/**
 * The parsed model every rule reads: instructions with flags, words and pairs;
 * stages with their resolved base image; ARG/ENV scopes; lazily parsed RUN scripts.
 */
import { parseImageRef, type ImageRef } from '../image-ref.js';
import { cloneScript, parseShell, shellParserReady, type ShellScript } from '../shell/parser.js';
import { lineOfOffset, tokenize, type Comment, type Directive, type Heredoc, type RawInstruction, type TokenProblem } from './tokenizer.js';
import { parsePairs, splitWords, substitute, substitutionError, SUBSTITUTION_LIMITS, type KeyValue, type Substitution, type Word } from './words.js';

export interface Flag {
  name: string;
  value?: string;
}

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR'
]);

const FLAG_KEYWORDS = new Set(['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK']);
/** The flags BuildKit accepts per instruction (any other is "unknown flag"); instructions not listed take none. */
const KNOWN_FLAGS: Record<string, Set<string>> = {
  FROM: new Set(['platform']),
  RUN: new Set(['mount', 'network', 'security', 'device']),
  COPY: new Set(['from', 'chown', 'chmod', 'link', 'parents', 'exclude']),
  ADD: new Set(['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'unpack']),
  HEALTHCHECK: new Set(['interval', 'timeout', 'start-period', 'start-interval', 'retries'])
};
/** Instructions whose arguments BuildKit expands itself (its shell lexer rejects a bad `${…}` there). */
const EXPANDED_KEYWORDS = new Set(['ADD', 'ARG', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
const EXEC_FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD', 'HEALTHCHECK']);
const PAIR_KEYWORDS = new Set(['ENV', 'LABEL', 'ARG']);

/** BuildKit's automatic platform args: known to exist, value depends on the build. */
export const PLATFORM_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);

export interface Instruction {
  index: number;
  keyword: string;
  line: number;
  column: number;
  endLine: number;
  /** Arguments text after the keyword, continuations joined. */
  args: string;
  flags: Flag[];
  /** `args` after the leading flags. */
  rest: string;
  /** Offset of `rest` inside `args`. */
  restOffset: number;
  /** `rest` split into words, quotes removed. */
  words: Word[];
  /** Exec (JSON array) form arguments, when `rest` is a valid JSON string array. */
  json?: string[];
  heredocs: Heredoc[];
  /** ENV / LABEL / ARG pairs. */
  pairs: KeyValue[];
  /** True for legacy `ENV KEY value`. */
  legacyPairs: boolean;
  /** Stage index; -1 for global ARGs before the first FROM. */
  stage: number;
  raw: RawInstruction;
  /** Expands $VAR / ${VAR} with the ARG/ENV scope in force at this instruction. */
  resolve(text: string): Substitution;
  /** Source line for an offset in `args`. */
  lineAt(offset: number): number;
}

export interface FromInfo {
  /** Image text as written. */
  text: string;
  /** After ARG substitution (equal to text when there were no variables). */
  resolved: string;
  /** Variables that could not be resolved; non-empty means `resolved` is not trustworthy. */
  unresolved: string[];
  /** The external image, when `resolved` names one (not a stage, not scratch). */
  image?: ImageRef;
  /** Resolved text that is not a valid image reference. */
  invalid: boolean;
  /** Index of the earlier stage this FROM builds on. */
  stageRef?: number;
  scratch: boolean;
  platform?: string;
  alias?: string;
}

export interface Stage {
  index: number;
  /** Lower-cased alias (`AS name`). */
  name?: string;
  from: FromInfo;
  instruction: Instruction;
  /** Instructions of the stage, FROM excluded. */
  instructions: Instruction[];
  /** The shell RUN uses in this stage at its end: SHELL, or the platform default. */
  windows: boolean;
}

export interface ModelProblem {
  line: number;
  message: string;
  kind: 'syntax' | 'unknown-instruction';
}

/** A bound the model hit while building or while a rule asked it something (see docs/limits.md). */
export interface LimitHit {
  line: number;
  /** The bound, by name: `substitution`, `expansion-budget`, `shell-script`. */
  bound: string;
  message: string;
  /** The instruction that could not be fully analysed, if one. */
  instruction?: Instruction;
}

/** Per-file bounds of the model (the engine adds the time budget). */
export interface ModelLimits {
  /** Characters all substitutions of one file may add in total (ARG chains, `resolve` calls of rules). */
  expansionBudget: number;
}

export const MODEL_LIMITS: ModelLimits = { expansionBudget: 16 * 1024 * 1024 };

export interface DockerfileModel {
  file: string;
  lines: string[];
  escape: string;
  directives: Directive[];
  comments: Comment[];
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM. */
  globalArgs: Instruction[];
  problems: ModelProblem[];
  /**
   * Bounds hit so far (appended to while rules run: `resolve` and `shellOf` are lazy). Each one means a
   * value or script was not analysed; the engine reports them as `limit-exceeded`.
   */
  limits: LimitHit[];
  /** Called when `shellOf` returns nothing because the script hit a bound (the engine names the rule that asked). */
  onUnanalysed?: (instr: Instruction, hit: LimitHit) => void;
  /** The parsed shell script of a shell-form RUN (undefined for exec form or non-POSIX shells). */
  shellOf(instr: Instruction): ShellScript | undefined;
  /** The SHELL in force for an instruction (exec form array), or undefined for the default. */
  shellFor(instr: Instruction): string[] | undefined;
  /** Names of stages that end up in the image: the last stage plus any configured targets. */
  isShipped(stage: Stage): boolean;
}

export interface ModelOptions {
  /** --build-arg values; they override ARG defaults of declared ARGs. */
  buildArgs?: Record<string, string>;
  /** Stage names that ship; defaults to the last stage. */
  targets?: string[];
  /** Parsed RUN scripts by text, shared across the files of one run (identical RUN bodies are common). */
  shellCache?: Map<string, ShellScript>;
  limits?: Partial<ModelLimits>;
}

/**
 * ARG/ENV values of one scope (the global scope or a stage) as a history: every set gets a new
 * version, and an instruction keeps only (scope, version). Lookups binary-search the name's
 * history, so no instruction copies the scope (a 10,000-deep ARG chain copied it 10,000 times).
 */
class ScopeHistory {
  version = 0;
  // Created on the first set: most stages of a big file never set anything.
  private hist?: Map<string, { vers: number[]; vals: (string | undefined)[] }>;
  constructor(private readonly inherited?: StageEnv) {}

  set(name: string, value: string | undefined): void {
    this.version++;
    this.hist ??= new Map();
    let h = this.hist.get(name);
    if (!h) {
      h = { vers: [], vals: [] };
      this.hist.set(name, h);
    }
    h.vers.push(this.version);
    h.vals.push(value);
  }

  /** The value at `version` (latest by default); names never set here fall back to the inherited ENV. */
  get(name: string, version = this.version): string | undefined {
    const h = this.hist?.get(name);
    if (h) {
      const v = h.vers;
      if (v[v.length - 1] <= version) return h.vals[v.length - 1];
      if (v[0] <= version) {
        let lo = 0;
        let hi = v.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (v[mid] <= version) lo = mid;
          else hi = mid - 1;
        }
        return h.vals[lo];
      }
    }
    return this.inherited?.get(name);
  }
}

/** The ENV a stage passes to stages built on it: its own ENV over its parent's (memoised per name). */
class StageEnv {
  private own?: Map<string, string | undefined>;
  private memo?: Map<string, string | undefined>;
  constructor(private readonly parent?: StageEnv) {}
  set(name: string, value: string | undefined): void {
    (this.own ??= new Map()).set(name, value);
  }
  /** Only asked once the stage is complete (a child stage starts after it). */
  get(name: string): string | undefined {
    if (this.own?.has(name)) return this.own.get(name);
    if (!this.parent) return undefined;
    if (this.memo?.has(name)) return this.memo.get(name);
    const v = this.parent.get(name);
    (this.memo ??= new Map()).set(name, v);
    return v;
  }
}

function shellOfInstr(instr: Instruction): string[] | undefined {
  return instr instanceof Instr ? instr.shell : undefined;
}

type BoundedSubstitute = (t: string, lookup: (name: string) => string | undefined, line: number, instr?: Instruction) => Substitution;

/**
 * An instruction. A class, so `resolve`/`lineAt` live on the prototype and `words` is split on first
 * use: two closures and a word list per instruction cost ~40% of the model's memory on 200,000 instructions.
 */
class Instr implements Instruction {
  stage: number;
  /** The SHELL in force (exec form array), undefined for the platform default. */
  shell?: string[];
  private splitWords?: Word[];
  constructor(
    readonly index: number,
    readonly keyword: string,
    readonly raw: RawInstruction,
    readonly flags: Flag[],
    readonly rest: string,
    readonly restOffset: number,
    readonly json: string[] | undefined,
    readonly pairs: KeyValue[],
    readonly legacyPairs: boolean,
    stage: number,
    private readonly escapeChar: string,
    private readonly scope: ScopeHistory,
    private readonly version: number,
    private readonly sub: BoundedSubstitute
  ) {
    this.stage = stage;
  }
  get line(): number {
    return this.raw.line;
  }
  get column(): number {
    return this.raw.column;
  }
  get endLine(): number {
    return this.raw.endLine;
  }
  get args(): string {
    return this.raw.args;
  }
  get heredocs(): Heredoc[] {
    return this.raw.heredocs;
  }
  get words(): Word[] {
    return (this.splitWords ??= splitWords(this.rest, this.escapeChar));
  }
  resolve(text: string): Substitution {
    return this.sub(text, (name) => this.scope.get(name, this.version), this.raw.line, this);
  }
  lineAt(offset: number): number {
    return lineOfOffset(this.raw, offset);
  }
}

// Shared by the instructions that have none (never mutated): one empty array per instruction adds up at 200,000.
const NO_FLAGS: Flag[] = [];
const NO_PAIRS: KeyValue[] = [];

function parseFlags(args: string): { flags: Flag[]; restOffset: number } {
  const flags: Flag[] = [];
  let i = 0;
  for (;;) {
    while (i < args.length && (args[i] === ' ' || args[i] === '\t')) i++;
    if (!args.startsWith('--', i) || i + 2 >= args.length || args[i + 2] === ' ') break;
    let j = i;
    let quote = '';
    while (j < args.length) {
      const c = args[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ' ' || c === '\t') break;
      j++;
    }
    const text = args.slice(i + 2, j);
    const eq = text.indexOf('=');
    if (eq < 0) flags.push({ name: text.toLowerCase() });
    else flags.push({ name: text.slice(0, eq).toLowerCase(), value: text.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2') });
    i = j;
  }
  return { flags: flags.length === 0 ? NO_FLAGS : flags, restOffset: i };
}

function parseJsonForm(rest: string): string[] | undefined {
  const t = rest.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Not JSON: Docker runs it in shell form.
  }
  return undefined;
}

// Windows base images (a backtick escape directive is the other tell: it exists for Windows paths).
const WINDOWS_IMAGE_RE = /(windows|nanoserver|servercore|mcr\.microsoft\.com\/dotnet\/framework)/i;

/** `["a", 'b']`, `["a",]`: a JSON array was meant (a `[ … ]` test command never has a comma after its first operand). */
const JSON_INTENT_RE = /^\[\s*(?:"(?:[^"\\]|\\.)*"|'[^']*')\s*,/;

/** Offset of the first character that keeps `t` from being a JSON array of strings (t.length: it ended early; -1: valid). */
function jsonArrayErrorAt(t: string): number {
  const n = t.length;
  let i = 0;
  const ws = () => {
    while (i < n && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  ws();
  if (t[i] !== '[') return i;
  i++;
  ws();
  if (t[i] === ']') i++;
  else {
    for (;;) {
      ws();
      if (i >= n) return n;
      if (t[i] !== '"') return i;
      for (i++; i < n && t[i] !== '"'; i++) {
        if (t.charCodeAt(i) < 32) return i;
        if (t[i] === '\\') {
          const e = t[++i];
          if (e === undefined) return n;
          if (e === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 1, i + 5))) return i;
            i += 4;
          } else if (!'"\\/bfnrt'.includes(e)) return i;
        }
      }
      if (i >= n) return n;
      i++;
      ws();
      if (i >= n) return n;
      if (t[i] === ']') {
        i++;
        break;
      }
      if (t[i] !== ',') return i;
      i++;
    }
  }
  ws();
  return i < n ? i : -1;
}

/** BuildKit's error for ENV/LABEL pairs it cannot split (line_parsers.go parseNameVal), or undefined. */
function pairsError(keyword: string, pairs: KeyValue[], legacy: boolean): string | undefined {
  if (pairs.length === 0) return `${keyword} requires at least one argument`;
  if (legacy) return pairs[0].key === '' ? `${keyword} names can not be blank` : undefined;
  if (pairs.length === 1 && pairs[0].value === undefined) return `${keyword} must have two arguments`;
  const missing = pairs.find((p) => p.value === undefined);
  if (missing) return `Syntax error - can't find = in "${missing.key}". Must be of the form: name=value`;
  if (pairs.some((p) => p.key === '')) return `${keyword} names can not be blank`;
  return undefined;
}

export function parseDockerfile(file: string, text: string, options: ModelOptions = {}): DockerfileModel {
  const tok = tokenize(text);
  const buildArgs = options.buildArgs ?? {};
  const escape = tok.escape;
  const problems: ModelProblem[] = tok.problems.map((p: TokenProblem) => ({ ...p, kind: 'syntax' as const }));
  const limitHits: LimitHit[] = [];
  const limitSeen = new Set<string>();
  const addLimit = (hit: LimitHit) => {
    const key = `${hit.line}\0${hit.bound}`;
    if (limitSeen.has(key)) return;
    limitSeen.add(key);
    limitHits.push(hit);
  };
  // Characters substitutions may still add in this file (model and rules together).
  const budgetTotal = options.limits?.expansionBudget ?? MODEL_LIMITS.expansionBudget;
  let expansionLeft = budgetTotal;
  /** Every substitution of the file goes through here: bounded per call and in total. */
  const boundedSubstitute = (t: string, lookup: (name: string) => string | undefined, line: number, instr?: Instruction): Substitution => {
    if (expansionLeft <= 0) {
      if (!t.includes('$')) return { value: t, unresolved: [] };
      const sub = substitute(t, lookup, escape, { maxDepth: SUBSTITUTION_LIMITS.maxDepth, maxLength: 0 });
      if (sub.limit === undefined) return sub;
      const message = `variable expansion of this file was stopped after ${budgetTotal} characters`;
      addLimit({ line, bound: 'expansion-budget', message, instruction: instr });
      return { ...sub, limit: message };
    }
    const capped = expansionLeft < SUBSTITUTION_LIMITS.maxLength;
    const sub = substitute(t, lookup, escape, { maxDepth: SUBSTITUTION_LIMITS.maxDepth, maxLength: capped ? expansionLeft : SUBSTITUTION_LIMITS.maxLength });
    if (sub.limit !== undefined && capped && !sub.limit.includes('nested')) {
      const message = `variable expansion of this file was stopped after ${budgetTotal} characters`;
      expansionLeft = 0;
      addLimit({ line, bound: 'expansion-budget', message, instruction: instr });
      return { ...sub, limit: message };
    }
    if (sub.limit !== undefined) addLimit({ line, bound: 'substitution', message: sub.limit, instruction: instr });
    else if (sub.value !== t) expansionLeft -= Math.max(0, sub.value.length - t.length);
    return sub;
  };
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs: Instruction[] = [];
  const globalScope = new ScopeHistory();
  let scope = globalScope;
  let currentShell: string[] | undefined;
  let stage: Stage | undefined;
  const stageByName = new Map<string, Stage>();
  const stageEnv = new Map<number, StageEnv>();
  const globalUnresolved = new Map<string, string[]>();
  // Names whose value is unknown because a bound was hit computing it (or a value it used): their text
  // is never copied into other values (unresolved references are otherwise kept as written, and a
  // doubling chain would keep doubling the references).
  const unknownNames = new Set<string>();
  const boundedValue = (sub: Substitution, key: string): string | undefined => {
    if (sub.limit !== undefined || sub.unresolved.some((n) => unknownNames.has(n))) {
      unknownNames.add(key);
      return undefined;
    }
    unknownNames.delete(key);
    return sub.value;
  };

  for (const raw of tok.instructions) {
    const keyword = raw.keyword;
    const known = KNOWN_INSTRUCTIONS.has(keyword);
    if (!known) {
      problems.push({ line: raw.line, message: `unknown instruction "${keyword}"`, kind: 'unknown-instruction' });
    }
    const { flags, restOffset } = FLAG_KEYWORDS.has(keyword) ? parseFlags(raw.args) : { flags: NO_FLAGS, restOffset: 0 };
    const rest = raw.args.slice(restOffset);
    const json = EXEC_FORM_KEYWORDS.has(keyword) ? parseJsonForm(rest) : undefined;
    let pairs: KeyValue[] = NO_PAIRS;
    let legacyPairs = false;
    if (PAIR_KEYWORDS.has(keyword)) {
      const parsed = parsePairs(rest, escape, keyword !== 'ARG');
      pairs = parsed.pairs;
      legacyPairs = parsed.legacy;
    }

    // BuildKit's parse errors (each stops `docker build` at this line).
    if (known && keyword !== 'ONBUILD') {
      const allowed = KNOWN_FLAGS[keyword];
      const all = FLAG_KEYWORDS.has(keyword) ? flags : parseFlags(raw.args).flags;
      const unknown = all.find((f) => !allowed?.has(f.name));
      if (unknown)
        problems.push({
          line: raw.line,
          message: `unknown flag: ${unknown.name} (${keyword} accepts ${allowed ? [...allowed].map((f) => '--' + f).join(', ') : 'no flags'})`,
          kind: 'syntax'
        });
    }
    if (keyword === 'ENV' || keyword === 'LABEL') {
      const err = pairsError(keyword, pairs, legacyPairs);
      if (err) problems.push({ line: raw.line, message: err, kind: 'syntax' });
    } else if (keyword === 'ARG' && pairs.length === 0) {
      problems.push({ line: raw.line, message: 'ARG requires at least one argument', kind: 'syntax' });
    }
    if (EXPANDED_KEYWORDS.has(keyword)) {
      const err = substitutionError(rest, escape);
      if (err) {
        problems.push({
          line: lineOfOffset(raw, restOffset + err.offset),
          message: `${keyword}: BuildKit cannot expand ${err.expression}: ${err.message}${/^\$\{\w+:\w/.test(err.expression) ? ' (a template placeholder? fill it in before building)' : ''}`,
          kind: 'syntax'
        });
      }
    }
    if (!json && EXEC_FORM_KEYWORDS.has(keyword) && keyword !== 'HEALTHCHECK') {
      const lead = rest.length - rest.trimStart().length;
      const t = rest.trim();
      if (JSON_INTENT_RE.test(t)) {
        const at = jsonArrayErrorAt(t);
        const why = at >= t.length ? 'unexpected end' : `unexpected ${JSON.stringify(t[at])} at column ${at + 1}`;
        problems.push({
          line: lineOfOffset(raw, restOffset + lead + Math.min(Math.max(at, 0), t.length - 1)),
          message: `${keyword} is meant as exec form but is not valid JSON (${why}): BuildKit runs it as a shell command instead`,
          kind: 'syntax'
        });
      }
    }

    const instr: Instruction = new Instr(
      instructions.length,
      keyword,
      raw,
      flags,
      rest,
      restOffset,
      json,
      pairs,
      legacyPairs,
      stage ? stage.index : -1,
      escape,
      scope,
      scope.version,
      boundedSubstitute
    );
    instructions.push(instr);

    if (keyword === 'FROM') {
      const words = instr.words;
      const imageWord = words[0]?.value ?? '';
      const asIdx = words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === 'as');
      const alias = asIdx > 0 ? words[asIdx + 1]?.value.toLowerCase() : undefined;
      // FROM sees only global ARGs.
      // An ARG whose default used unset variables is itself unresolved (`ARG BASE=${REG}/app`).
      const inheritedUnresolved: string[] = [];
      const sub = boundedSubstitute(
        imageWord,
        (name) => {
          const u = globalUnresolved.get(name);
          if (u) for (const v of u) inheritedUnresolved.push(v);
          return globalScope.get(name);
        },
        raw.line,
        instr
      );
      for (const v of inheritedUnresolved) if (!sub.unresolved.includes(v)) sub.unresolved.push(v);
      const platformOnly = sub.limit === undefined && sub.unresolved.length > 0 && sub.unresolved.every((v) => PLATFORM_ARGS.has(v));
      let resolved = sub.value;
      let stageRef: number | undefined;
      const lower = resolved.toLowerCase();
      if (sub.unresolved.length === 0 && stageByName.has(lower)) stageRef = stageByName.get(lower)?.index;
      if (platformOnly) {
        // `FROM build-${TARGETARCH}`: a stage alias chosen per platform.
        const pattern = new RegExp('^' + lower.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{?[A-Za-z_]+\}?/g, '.+') + '$');
        for (const s of stages) if (s.name && pattern.test(s.name)) stageRef = s.index;
      }
      const scratch = sub.unresolved.length === 0 && lower === 'scratch';
      const unresolved = stageRef !== undefined ? [] : sub.unresolved;
      const image = stageRef === undefined && !scratch && unresolved.length === 0 ? parseImageRef(resolved) : undefined;
      if (stageRef !== undefined) resolved = stages[stageRef].name ?? resolved;
      const platformFlag = flags.find((f) => f.name === 'platform');
      const from: FromInfo = {
        text: imageWord,
        resolved,
        unresolved,
        image,
        invalid: stageRef === undefined && !scratch && unresolved.length === 0 && image === undefined,
        stageRef,
        scratch,
        platform: platformFlag?.value,
        alias
      };
      const parent = stageRef !== undefined ? stages[stageRef] : undefined;
      const windows = parent ? parent.windows : escape === '`' || WINDOWS_IMAGE_RE.test(resolved);
      stage = { index: stages.length, name: alias, from, instruction: instr, instructions: [], windows };
      instr.stage = stage.index;
      stages.push(stage);
      if (alias && !stageByName.has(alias)) stageByName.set(alias, stage);
      // Each stage starts with a fresh ARG scope; ENV and SHELL are inherited from a parent stage.
      const env = new StageEnv(parent ? stageEnv.get(parent.index) : undefined);
      stageEnv.set(stage.index, env);
      scope = new ScopeHistory(parent ? env : undefined);
      currentShell = parent ? shellOfInstr(parent.instructions[parent.instructions.length - 1] ?? parent.instruction) : undefined;
      (instr as Instr).shell = currentShell;
      continue;
    }

    if (stage) stage.instructions.push(instr);
    else if (keyword === 'ARG') globalArgs.push(instr);

    if (keyword === 'ARG') {
      for (const p of pairs) {
        let v: string | undefined;
        if (Object.prototype.hasOwnProperty.call(buildArgs, p.key)) v = buildArgs[p.key];
        else if (p.value !== undefined) {
          const cur = scope;
          const sub = boundedSubstitute(p.value, (name) => cur.get(name), raw.line, instr);
          // A value that hit a bound is not known: the ARG behaves as one without a default.
          v = boundedValue(sub, p.key);
          if (!stage && sub.unresolved.length > 0) globalUnresolved.set(p.key, sub.unresolved);
        } else if (stage) v = globalScope.get(p.key);
        scope.set(p.key, v);
      }
    } else if (keyword === 'ENV') {
      // Docker substitutes every pair with the values from before the statement.
      const cur = scope;
      const before = scope.version;
      const env = stage ? stageEnv.get(stage.index) : undefined;
      for (const p of pairs) {
        let v: string | undefined;
        if (p.value !== undefined) {
          const sub = boundedSubstitute(p.value, (name) => cur.get(name, before), raw.line, instr);
          v = boundedValue(sub, p.key);
        }
        scope.set(p.key, v);
        env?.set(p.key, v);
      }
    } else if (keyword === 'SHELL' && json) {
      currentShell = json;
    }
    (instr as Instr).shell = currentShell;
  }

  const shellCache = new Map<Instruction, ShellScript | undefined>();
  const targets = new Set((options.targets ?? []).map((t) => t.toLowerCase()));

  const model: DockerfileModel = {
    file,
    lines: tok.lines,
    escape,
    directives: tok.directives,
    comments: tok.comments,
    instructions,
    stages,
    globalArgs,
    problems,
    limits: limitHits,
    shellFor: shellOfInstr,
    isShipped: (s) => (targets.size > 0 ? s.name !== undefined && targets.has(s.name) : s.index === stages.length - 1),
    shellOf(instr) {
      let script: ShellScript | undefined;
      if (shellCache.has(instr)) script = shellCache.get(instr);
      else {
        script = buildShellScript(model, instr, options.shellCache);
        shellCache.set(instr, script);
      }
      if (script?.limit === undefined) return script;
      const hit: LimitHit = { line: instr.line, bound: 'shell-script', message: `RUN script not analysed: ${script.limit}`, instruction: instr };
      addLimit(hit);
      model.onUnanalysed?.(instr, hit);
      return undefined;
    }
  };
  return model;
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);

function isPosixShell(shell: string[] | undefined, windows: boolean): boolean {
  if (!shell) return !windows;
  const prog = (shell[0] ?? '').split(/[\\/]/).pop() ?? '';
  return POSIX_SHELLS.has(prog.toLowerCase());
}

const HEREDOC_ONLY_RE = /^\s*(?:(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|a)?sh(?:\s+-[a-z]+)*\s+)?<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*$/;

function parseCached(text: string, cache: Map<string, ShellScript> | undefined): ShellScript {
  if (!cache) return parseShell(text, false);
  let s = cache.get(text);
  if (!s) {
    s = parseShell(text, false);
    // A parse cut short by this file's time budget says nothing about the same text in another file.
    if (s.limit !== undefined) return s;
    cache.set(text, s);
  }
  return cloneScript(s);
}

/** The heredoc a RUN runs as its whole script (`RUN <<EOF`, `RUN bash <<EOF`), if it is one. */
export function heredocScript(instr: Instruction): Heredoc | undefined {
  return instr.heredocs.length === 1 && HEREDOC_ONLY_RE.test(instr.rest) ? instr.heredocs[0] : undefined;
}

function buildShellScript(model: DockerfileModel, instr: Instruction, cache?: Map<string, ShellScript>): ShellScript | undefined {
  if (instr.keyword !== 'RUN' || instr.json || !shellParserReady()) return undefined;
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : undefined;
  if (!isPosixShell(model.shellFor(instr), stage?.windows ?? false)) return undefined;
  const hd = instr.heredocs;
  if (heredocScript(instr)) {
    // `RUN <<EOF` runs the heredoc body as the script, with its shebang's interpreter if any.
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(hd[0].body);
    if (shebang) {
      const prog = (shebang[1].endsWith('/env') ? (shebang[2] ?? '') : shebang[1]).split('/').pop() ?? '';
      if (!POSIX_SHELLS.has(prog)) return undefined;
    }
    const script = parseCached(hd[0].body, cache);
    const lineOf = newlineCounter(hd[0].body);
    for (const c of script.commands) c.line = hd[0].line + lineOf(c.offset);
    return script;
  }
  let text = instr.rest;
  if (hd.length > 0) text += '\n' + hd.map((h) => h.body + h.name + '\n').join('');
  const script = parseCached(text, cache);
  for (const c of script.commands) {
    c.line = c.offset < instr.rest.length ? instr.lineAt(instr.restOffset + c.offset) : instr.line;
  }
  return script;
}

/**
 * Newlines before an offset of `s`, counted incrementally: commands come in source order, so a
 * whole script costs one pass (counting from the start for each command was quadratic).
 */
function newlineCounter(s: string): (offset: number) => number {
  let pos = 0;
  let count = 0;
  return (offset: number) => {
    if (offset < pos) {
      pos = 0;
      count = 0;
    }
    for (; pos < offset && pos < s.length; pos++) if (s.charCodeAt(pos) === 10) count++;
    return count;
  };
}

/** The commands of every shell-form RUN in the given instructions, with their instruction. */
export function* runCommands(model: DockerfileModel, instrs: Iterable<Instruction> = model.instructions) {
  for (const instr of instrs) {
    if (instr.keyword !== 'RUN') continue;
    const script = model.shellOf(instr);
    if (!script) continue;
    for (const cmd of script.commands) yield { instr, cmd, script };
  }
}
