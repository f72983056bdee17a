/**
 * Small helpers shared by the instruction and RUN rules: command names,
 * ADD/COPY sources, world-writable modes, nested `sh -c` scripts.
 */
import { heredocScript, type DockerfileModel, type Instruction, type Stage } from '../../dockerfile/model.js';
import { parseShell, type ShellCommand, type ShellScript } from '../../shell/parser.js';

/** Program name without its directory, lower-cased: `/usr/bin/curl` → `curl`. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? name).toLowerCase();
}

/** Lower-cased base name of a parsed command. */
export function commandName(cmd: ShellCommand): string {
  return cmd.program;
}

const POSIX_SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

export function isShellName(name: string): boolean {
  return POSIX_SHELL_NAMES.has(name);
}

/** The script of `sh -c '…'` / `bash -ec '…'`, when the command is a shell given one. */
export function inlineScriptArg(cmd: ShellCommand): string | undefined {
  if (!isShellName(commandName(cmd))) return undefined;
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === '--' || !arg.startsWith('-')) return undefined;
    if (arg === '-o' || arg === '+o') {
      k++;
      continue;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return a[k + 1];
  }
  return undefined;
}

export interface RunCommand {
  instr: Instruction;
  cmd: ShellCommand;
  script: ShellScript;
  /** True for commands found inside a `sh -c '…'` argument. */
  nested: boolean;
}

const MAX_NESTING = 3;

function* withNested(instr: Instruction, script: ShellScript, nested: boolean, depth: number): Generator<RunCommand> {
  for (const cmd of script.commands) {
    yield { instr, cmd, script, nested };
    if (depth >= MAX_NESTING) continue;
    const inner = inlineScriptArg(cmd);
    // A `$(…)` or backquote inside the argument was already parsed by tree-sitter.
    if (!inner || inner.includes('$(') || inner.includes('`')) continue;
    const sub = parseShell(inner);
    for (const c of sub.commands) c.line = cmd.line;
    yield* withNested(instr, sub, true, depth + 1);
  }
}

/**
 * The commands of every shell-form RUN (like `runCommands`), plus the commands of
 * scripts handed to a shell with `-c` (`sh -c 'curl … | sh'`), reported on the line
 * of the outer command.
 */
export function* runCommandsDeep(model: DockerfileModel, instrs: Iterable<Instruction> = model.instructions): Generator<RunCommand> {
  for (const instr of instrs) {
    if (instr.keyword !== 'RUN') continue;
    const script = model.shellOf(instr);
    if (!script) continue;
    yield* withNested(instr, script, false, 0);
  }
}

/** The inner script of an argument that is exactly one `$(…)`, `<(…)` or backquoted substitution. */
export function substitutionScript(arg: string): string | undefined {
  const t = arg.trim();
  if ((t.startsWith('$(') || t.startsWith('<(')) && t.endsWith(')') && !t.startsWith('$((')) return t.slice(2, -1);
  if (t.length > 1 && t.startsWith('`') && t.endsWith('`')) return t.slice(1, -1);
  return undefined;
}

/** Commands of a substitution argument (`$(curl …)`), parsed; empty when the argument is not one. */
export function substitutionCommands(arg: string): ShellCommand[] {
  const inner = substitutionScript(arg);
  if (inner === undefined) return [];
  return parseShell(inner).commands;
}

/** Short-option letters of an argument like `-fsSL` (empty for long options and operands). */
export function shortFlags(arg: string): string {
  return /^-[a-zA-Z0-9]+$/.test(arg) ? arg.slice(1) : '';
}

// ---------------------------------------------------------------------------
// ADD / COPY

export interface PathArg {
  /** As written (quotes removed). */
  text: string;
  /** After ARG/ENV substitution. */
  value: string;
  /** Variables without a value: `value` is not trustworthy. */
  unresolved: string[];
  line: number;
}

/** Sources and destination of COPY/ADD, shell or JSON form, flags excluded. */
export function copyArgs(instr: Instruction): { sources: PathArg[]; dest?: PathArg } {
  const make = (text: string, line: number): PathArg => {
    const sub = instr.resolve(text);
    return { text, value: sub.value, unresolved: sub.unresolved, line };
  };
  const args = instr.json ? instr.json.map((t) => make(t, instr.line)) : instr.words.map((w) => make(w.value, instr.lineAt(instr.restOffset + w.offset)));
  if (args.length === 0) return { sources: [] };
  return { sources: args.slice(0, -1), dest: args[args.length - 1] };
}

/** `https://…`, `ftp://…`, `git@host:repo`, `github.com/…`: not a path in the build context. */
export function isRemoteSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^[\w.-]+@[\w.-]+:/.test(src) || /^github\.com\//i.test(src);
}

export function isHttpUrl(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

/** A Git source for ADD: git:// / ssh:// / git@ transports, or a URL whose path ends in `.git`. */
export function isGitSource(src: string): boolean {
  if (/^(git|ssh|git\+ssh|git\+https?):\/\//i.test(src) || /^[\w.-]+@[\w.-]+:/.test(src) || /^github\.com\//i.test(src)) return true;
  // `…/repo.git#ref:subdir`, and BuildKit's query form `…/repo.git?ref=v1&subdir=docs`.
  const bare = src.split('#')[0].split('?')[0].replace(/\/+$/, '');
  return isHttpUrl(src) && /\.git$/i.test(bare);
}

/** Extensions of tar archives that ADD extracts (hadolint's list plus zstd). */
const ARCHIVE_RE = /\.(tar|tar\.(gz|bz2|xz|lz|lzma|z|zst|zstd)|tgz|tb2|tbz|tbz2|tlz|txz|tz|taz|tzst|tpz|gz|bz2|xz|lz|lzma|z|zst)$/i;

export function isArchiveName(src: string): boolean {
  return ARCHIVE_RE.test(src);
}

/** A heredoc source (`<<EOF`). */
export function isHeredocSource(src: string): boolean {
  return /^<<-?/.test(src);
}

// ---------------------------------------------------------------------------
// Permissions

/**
 * True when a chmod-style mode grants write to "others": octal `777`, `0666`, `2757`,
 * or symbolic `o+w`, `a+rwx`, `a=rwx`, `go+w`. Modes with the sticky bit
 * (`1777`, `+t`) are the usual shared-temp-dir pattern and are not reported.
 * Symbolic clauses without who (`+w`) honour the umask and are not reported.
 */
export function worldWritableMode(mode: string): boolean {
  const m = mode.trim();
  if (/^[0-7]{1,4}$/.test(m)) {
    const n = parseInt(m, 8);
    if (n & 0o1000) return false;
    return (n & 0o002) !== 0;
  }
  if (!/^[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*(,[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*)*$/.test(m)) return false;
  let ww = false;
  let sticky = false;
  for (const clause of m.split(',')) {
    const who = /^[ugoa]*/.exec(clause)?.[0] ?? '';
    const ops = clause.slice(who.length);
    for (const op of ops.match(/[-+=][rwxXst]*/g) ?? []) {
      const perms = op.slice(1);
      const adds = op[0] === '+' || op[0] === '=';
      if (adds && perms.includes('t')) sticky = true;
      if (adds && perms.includes('w') && (who.includes('o') || who.includes('a'))) ww = true;
    }
  }
  return ww && !sticky;
}

// ---------------------------------------------------------------------------
// Stages

/** The stage an instruction belongs to (undefined for global ARGs). */
export function stageOf(model: DockerfileModel, instr: Instruction): Stage | undefined {
  return instr.stage >= 0 ? model.stages[instr.stage] : undefined;
}

/** The stage and the earlier stages it builds on (`FROM <stage>`), nearest first. */
export function stageAncestry(model: DockerfileModel, stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  let s: Stage | undefined = stage;
  while (s && !seen.has(s.index)) {
    out.push(s);
    seen.add(s.index);
    s = s.from.stageRef !== undefined ? model.stages[s.from.stageRef] : undefined;
  }
  return out;
}

/** `line` with the instruction keyword at `column` replaced (for single-line fixes). */
export function replaceKeyword(model: DockerfileModel, instr: Instruction, keyword: string): string | undefined {
  const text = model.lines[instr.line - 1];
  if (text === undefined) return undefined;
  const start = instr.column - 1;
  const found = text.slice(start, start + instr.keyword.length);
  if (found.toUpperCase() !== instr.keyword) return undefined;
  const replacement = found === found.toLowerCase() ? keyword.toLowerCase() : keyword;
  return text.slice(0, start) + replacement + text.slice(start + instr.keyword.length);
}

/** Quotes a list as a JSON exec-form array: `["a", "b"]`. */
export function jsonArray(items: readonly string[]): string {
  return '[' + items.map((s) => JSON.stringify(s)).join(', ') + ']';
}

/** Shortens a value for messages. */
export function clip(s: string, max = 60): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

// ---------------------------------------------------------------------------
// EXPOSE

export interface PortSpec {
  /** The word as written. */
  text: string;
  /** After ARG/ENV substitution. */
  value: string;
  start: number;
  end: number;
  protocol?: string;
  line: number;
}

/**
 * EXPOSE words that are a port or range after substitution: `80`, `80/tcp`, `8000-8100/udp`.
 * Words with unresolved variables or another shape are left out.
 */
export function exposedPorts(instr: Instruction): PortSpec[] {
  const out: PortSpec[] = [];
  for (const w of instr.words) {
    const sub = instr.resolve(w.value);
    if (sub.unresolved.length > 0) continue;
    // A variable may hold several ports: `ARG PORTS="80 443"`, `EXPOSE $PORTS`.
    for (const value of sub.value.trim().split(/\s+/)) {
      const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(value);
      if (!m) continue;
      const start = Number(m[1]);
      out.push({
        text: w.value,
        value,
        start,
        end: m[2] === undefined ? start : Number(m[2]),
        protocol: m[3]?.toLowerCase(),
        line: instr.lineAt(instr.restOffset + w.offset)
      });
    }
  }
  return out;
}

/** Per stage, the instructions with `keyword` when there is more than one: [earlier..., last]. */
export function repeatedInStage(model: DockerfileModel, keyword: string): Instruction[][] {
  const out: Instruction[][] = [];
  for (const stage of model.stages) {
    const list = stage.instructions.filter((i) => i.keyword === keyword);
    if (list.length > 1) out.push(list);
  }
  return out;
}

/** The text a RUN's shell script was parsed from (the offsets of its commands point into it). */
export function scriptText(instr: Instruction): string {
  const hd = heredocScript(instr);
  if (hd) return hd.body;
  return instr.rest + (instr.heredocs.length > 0 ? '\n' + instr.heredocs.map((h) => h.body + h.name + '\n').join('') : '');
}
