/**
 * The parsed model every rule reads: instructions with flags, words and pairs;
 * stages with their resolved base image; ARG/ENV scopes; lazily parsed RUN scripts.
 */
import { parseImageRef, type ImageRef } from '../image-ref.js';
import { cloneScript, parseShell, shellParserReady, type ShellScript } from '../shell/parser.js';
import { lineOfOffset, tokenize, type Comment, type Directive, type Heredoc, type RawInstruction, type TokenProblem } from './tokenizer.js';
import { parsePairs, splitWords, substitute, type KeyValue, type Substitution, type Word } from './words.js';

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
}

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
  return { flags, restOffset: i };
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

export function parseDockerfile(file: string, text: string, options: ModelOptions = {}): DockerfileModel {
  const tok = tokenize(text);
  const buildArgs = options.buildArgs ?? {};
  const escape = tok.escape;
  const problems: ModelProblem[] = tok.problems.map((p: TokenProblem) => ({ ...p, kind: 'syntax' as const }));
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs: Instruction[] = [];
  const globalScope = new Map<string, string | undefined>();
  let scope = globalScope;
  // Frozen per instruction: a new Map only when ARG/ENV changes it.
  let scopeSnapshot: ReadonlyMap<string, string | undefined> = new Map(scope);
  const shellAt = new Map<Instruction, string[] | undefined>();
  let currentShell: string[] | undefined;
  let stage: Stage | undefined;
  const stageByName = new Map<string, Stage>();
  const stageEnv = new Map<number, Map<string, string | undefined>>();
  const globalUnresolved = new Map<string, string[]>();

  const makeResolver = (snap: ReadonlyMap<string, string | undefined>) => (t: string) => substitute(t, (name) => snap.get(name), escape);

  for (const raw of tok.instructions) {
    const keyword = raw.keyword;
    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      problems.push({ line: raw.line, message: `unknown instruction "${keyword}"`, kind: 'unknown-instruction' });
    }
    const { flags, restOffset } = FLAG_KEYWORDS.has(keyword) ? parseFlags(raw.args) : { flags: [], restOffset: 0 };
    const rest = raw.args.slice(restOffset);
    const words = splitWords(rest, escape);
    const json =
      keyword === 'RUN' ||
      keyword === 'CMD' ||
      keyword === 'ENTRYPOINT' ||
      keyword === 'SHELL' ||
      keyword === 'VOLUME' ||
      keyword === 'COPY' ||
      keyword === 'ADD' ||
      keyword === 'HEALTHCHECK'
        ? parseJsonForm(rest)
        : undefined;
    let pairs: KeyValue[] = [];
    let legacyPairs = false;
    if (PAIR_KEYWORDS.has(keyword)) {
      const parsed = parsePairs(rest, escape, keyword !== 'ARG');
      pairs = parsed.pairs;
      legacyPairs = parsed.legacy;
    }
    const resolveIn = makeResolver(scopeSnapshot);
    const instr: Instruction = {
      index: instructions.length,
      keyword,
      line: raw.line,
      column: raw.column,
      endLine: raw.endLine,
      args: raw.args,
      flags,
      rest,
      restOffset,
      words,
      json,
      heredocs: raw.heredocs,
      pairs,
      legacyPairs,
      stage: stage ? stage.index : -1,
      raw,
      resolve: resolveIn,
      lineAt: (offset: number) => lineOfOffset(raw, offset)
    };
    instructions.push(instr);

    if (keyword === 'FROM') {
      const imageWord = words[0]?.value ?? '';
      const asIdx = words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === 'as');
      const alias = asIdx > 0 ? words[asIdx + 1]?.value.toLowerCase() : undefined;
      // FROM sees only global ARGs.
      // An ARG whose default used unset variables is itself unresolved (`ARG BASE=${REG}/app`).
      const inheritedUnresolved: string[] = [];
      const sub = substitute(
        imageWord,
        (name) => {
          inheritedUnresolved.push(...(globalUnresolved.get(name) ?? []));
          return globalScope.get(name);
        },
        escape
      );
      sub.unresolved.push(...inheritedUnresolved.filter((v) => !sub.unresolved.includes(v)));
      const platformOnly = sub.unresolved.length > 0 && sub.unresolved.every((v) => PLATFORM_ARGS.has(v));
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
      const inherited = parent ? new Map(stageEnv.get(parent.index)) : new Map<string, string | undefined>();
      stageEnv.set(stage.index, new Map(inherited));
      scope = inherited;
      scopeSnapshot = new Map(scope);
      currentShell = parent ? shellAt.get(parent.instructions[parent.instructions.length - 1] ?? parent.instruction) : undefined;
      shellAt.set(instr, currentShell);
      continue;
    }

    if (stage) stage.instructions.push(instr);
    else if (keyword === 'ARG') globalArgs.push(instr);

    if (keyword === 'ARG') {
      for (const p of pairs) {
        let v: string | undefined;
        if (Object.prototype.hasOwnProperty.call(buildArgs, p.key)) v = buildArgs[p.key];
        else if (p.value !== undefined) {
          const sub = substitute(p.value, (name) => scope.get(name), escape);
          v = sub.value;
          if (!stage && sub.unresolved.length > 0) globalUnresolved.set(p.key, sub.unresolved);
        } else if (stage) v = globalScope.get(p.key);
        scope.set(p.key, v);
      }
      scopeSnapshot = new Map(scope);
    } else if (keyword === 'ENV') {
      // Docker substitutes every pair with the values from before the statement.
      const before = new Map(scope);
      for (const p of pairs) {
        const v = p.value === undefined ? undefined : substitute(p.value, (name) => before.get(name), escape).value;
        scope.set(p.key, v);
        if (stage) stageEnv.get(stage.index)?.set(p.key, v);
      }
      scopeSnapshot = new Map(scope);
    } else if (keyword === 'SHELL' && json) {
      currentShell = json;
    }
    shellAt.set(instr, currentShell);
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
    shellFor: (instr) => shellAt.get(instr),
    isShipped: (s) => (targets.size > 0 ? s.name !== undefined && targets.has(s.name) : s.index === stages.length - 1),
    shellOf(instr) {
      if (shellCache.has(instr)) return shellCache.get(instr);
      const script = buildShellScript(model, instr, options.shellCache);
      shellCache.set(instr, script);
      return script;
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
  if (!cache) return parseShell(text);
  let s = cache.get(text);
  if (!s) {
    s = parseShell(text);
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
    for (const c of script.commands) c.line = hd[0].line + countNewlines(hd[0].body, c.offset);
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

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
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
