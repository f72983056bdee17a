/**
 * RUN bodies are parsed with tree-sitter-bash (WASM, error tolerant), not with
 * regexes. The WASM bytes are handed in by the entry point, so this module does
 * no I/O of its own.
 */
import { Language, Parser, type TreeCursor } from 'web-tree-sitter';

export interface ShellCommand {
  /** Program name as written, after wrappers such as `sudo` or `env` are peeled off. */
  name: string;
  /** Lower-cased base name of `name` (`/usr/bin/Apt-Get` → `apt-get`). */
  program: string;
  args: string[];
  /** Wrappers peeled off in order, e.g. ['sudo']. */
  wrappers: string[];
  /** Leading `NAME=value` assignments. */
  assignments: string[];
  /** Offset of the command in the script. */
  offset: number;
  /** The commands of the pipeline this command belongs to (itself included), when piped. */
  pipeline?: ShellCommand[];
  /** Source line in the Dockerfile; set by the model. */
  line: number;
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Number of pipelines (`a | b`) in the script. */
  pipelines: number;
  /** True when tree-sitter could not parse part of the script. */
  hasErrors: boolean;
  /** Set when the script was not parsed because a bound was hit (size or time); `commands` is then empty. */
  limit?: string;
}

/** Bounds of one parse: a script larger than `maxScriptBytes`, or a parse still running at `deadline`, is not analysed. */
export interface ShellBudget {
  /** `performance.now()` value after which parses are cancelled. */
  deadline?: number;
  /** Called for every parse that hit a bound (the engine names the rule that asked). */
  onLimit?: (message: string) => void;
}

/** The default file limit (`lint.max-file-size`, 2 MiB): a script is never larger than its file by default. */
export const MAX_SCRIPT_BYTES = 2 * 1024 * 1024;
/**
 * Time one parse may take: tree-sitter reads ~250 KB/s of ordinary script (WASM, baseline compiler; 4× that margin here for a loaded machine),
 * but its error recovery on hostile input (`cd /app \\<CR># | | …`) is far slower. The allowance grows
 * with the size, so a real script never comes near it; the file's deadline caps it.
 */
export const PARSE_BASE_MS = 3000;
export const PARSE_MS_PER_KIB = 20;
/** `sudo env nohup …`: wrappers peeled off one command at most. */
const MAX_WRAPPERS = 16;
/** Nesting of `concatenation` nodes read for one argument. */
const MAX_WORD_DEPTH = 64;

let budget: ShellBudget = {};

/** Sets the bounds for the following parses (the engine sets them per file); returns the previous ones. */
export function setShellBudget(b: ShellBudget): ShellBudget {
  const prev = budget;
  budget = b;
  return prev;
}

let parser: Parser | undefined;

export interface ShellWasm {
  runtime: Uint8Array;
  bash: Uint8Array;
}

export async function initShellParser(wasm: ShellWasm): Promise<void> {
  if (parser) return;
  await Parser.init({ wasmBinary: wasm.runtime });
  const lang = await Language.load(wasm.bash);
  const p = new Parser();
  p.setLanguage(lang);
  parser = p;
}

export function shellParserReady(): boolean {
  return parser !== undefined;
}

const WRAPPERS = new Set(['sudo', 'env', 'nohup', 'time', 'exec', 'doas', 'gosu', 'su-exec', 'chroot', 'xargs']);
// Wrapper options that take a separate value (`xargs -n 1 cmd`, `env -u HOME cmd`).
const VALUE_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U']),
  xargs: new Set(['-n', '-P', '-I', '-L', '-d', '-a', '-s', '-E']),
  env: new Set(['-u', '-C', '-S']),
  exec: new Set(['-a']),
  time: new Set(['-f', '-o']),
  doas: new Set(['-u', '-C'])
};
// Wrappers whose first operand is not the command (gosu USER cmd, chroot DIR cmd).
const WRAPPER_OPERANDS: Record<string, number> = { gosu: 1, 'su-exec': 1, chroot: 1 };

/** Text of the argument at the cursor, quotes removed. */
function wordText(cursor: TreeCursor, depth = 0): string {
  const t = cursor.nodeType;
  if (depth > MAX_WORD_DEPTH) return cursor.nodeText;
  if (t === 'string' || t === 'raw_string') {
    const s = cursor.nodeText;
    return s.length >= 2 ? s.slice(1, -1) : s;
  }
  if (t === 'concatenation') {
    let s = '';
    if (cursor.gotoFirstChild()) {
      do s += wordText(cursor, depth + 1);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return s;
  }
  const s = cursor.nodeText;
  return t === 'word' && s.includes('\\') ? s.replace(/\\(.)/g, '$1') : s;
}

const ARG_TYPES = new Set([
  'word',
  'string',
  'raw_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'number',
  'command_substitution',
  'ansi_c_string',
  'translated_string',
  'process_substitution'
]);

/** Lower-cased base name: `/usr/bin/apt-get` → `apt-get`. */
function programName(name: string): string {
  const slash = name.lastIndexOf('/');
  return (slash >= 0 ? name.slice(slash + 1) : name).toLowerCase();
}

/** Reads the `command` node at the cursor (and leaves the cursor on it). */
function readCommand(cursor: TreeCursor): ShellCommand | undefined {
  const offset = cursor.startIndex;
  let name: string | undefined;
  const args: string[] = [];
  const assignments: string[] = [];
  if (cursor.gotoFirstChild()) {
    do {
      const t = cursor.nodeType;
      if (t === 'variable_assignment') assignments.push(cursor.nodeText);
      else if (t === 'command_name') {
        if (cursor.gotoFirstChild()) {
          name = wordText(cursor);
          cursor.gotoParent();
        } else name = cursor.nodeText;
      } else if (name !== undefined && ARG_TYPES.has(t)) args.push(wordText(cursor));
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  if (name === undefined) return undefined;
  const wrappers: string[] = [];
  let rest = args;
  while (WRAPPERS.has(name) && rest.length > 0 && wrappers.length < MAX_WRAPPERS) {
    wrappers.push(name);
    let k = 0;
    // Skip the wrapper's own flags and env assignments (sudo -u x, env -i A=1).
    const valued = VALUE_OPTIONS[name];
    while (k < rest.length && (rest[k].startsWith('-') || (name === 'env' && rest[k].includes('=')))) {
      if (name === 'env' && !rest[k].startsWith('-')) assignments.push(rest[k]);
      if (valued?.has(rest[k])) k++;
      k++;
    }
    k += WRAPPER_OPERANDS[name] ?? 0;
    if (k >= rest.length) break;
    name = rest[k];
    rest = rest.slice(k + 1);
  }
  return { name, program: programName(name), args: rest, wrappers, assignments, offset, line: 0 };
}

function limited(message: string, notify: boolean): ShellScript {
  if (notify) budget.onLimit?.(message);
  return { commands: [], pipelines: 0, hasErrors: true, limit: message };
}

/**
 * Parses a POSIX shell script into its simple commands, in source order. The tree is walked
 * with an explicit stack (a 10,000-deep `a && b && …` chain is 10,000 levels deep), and the
 * parse is bounded by size and by the current budget's deadline (tree-sitter's error recovery
 * can be slow on hostile input): a script over a bound comes back empty with `limit` set, and
 * the budget's `onLimit` hears of it unless `notify` is false (the model reports its own).
 */
export function parseShell(script: string, notify = true): ShellScript {
  if (!parser) throw new Error('shell parser not initialised: call initShellParser() first');
  if (script.length > MAX_SCRIPT_BYTES) {
    return limited(`shell script of ${script.length} characters is over the ${MAX_SCRIPT_BYTES}-character limit`, notify);
  }
  if (budget.deadline !== undefined && performance.now() > budget.deadline) {
    return limited('the time budget for this file was used up before this script was parsed', notify);
  }
  const start = performance.now();
  const deadline = Math.min(start + PARSE_BASE_MS + (script.length / 1024) * PARSE_MS_PER_KIB, budget.deadline ?? Infinity);
  const p = parser;
  // Returning true from the progress callback cancels the parse (the .d.ts types it as void).
  const progressCallback = (() => performance.now() > deadline) as unknown as () => void;
  const tree = p.parse(script, null, { progressCallback });
  if (!tree) {
    p.reset();
    return limited(`parsing this script took longer than its ${Math.round(deadline - start)} ms time budget`, notify);
  }
  const commands: ShellCommand[] = [];
  let pipelines = 0;
  const hasErrors = tree.rootNode.hasError;
  // A cursor walk allocates no Node objects: the JS side of tree-sitter dominated the profile.
  const cursor = tree.walk();
  // `group`: the pipeline the node at the cursor belongs to. `leftOnly`: only the first node of this level
  // belongs to it (see `list` below). `stack`: both for the levels above.
  const stack: { group: ShellCommand[] | undefined; leftOnly: boolean }[] = [];
  let group: ShellCommand[] | undefined;
  let leftOnly = false;
  for (;;) {
    const t = cursor.nodeType;
    let childGroup: ShellCommand[] | undefined;
    let childLeftOnly = false;
    if (t === 'command') {
      const cmd = readCommand(cursor);
      if (cmd) {
        if (group) {
          group.push(cmd);
          cmd.pipeline = group;
        }
        commands.push(cmd);
      }
    } else if (t === 'declaration_command') {
      // `export A=1`, `readonly B=2`: visible to rules as a command with assignments.
      const assignments: string[] = [];
      let name = 'export';
      const offset = cursor.startIndex;
      if (cursor.gotoFirstChild()) {
        name = cursor.nodeText;
        do if (cursor.nodeType === 'variable_assignment') assignments.push(cursor.nodeText);
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      commands.push({ name, program: name, args: [], wrappers: [], assignments, offset, line: 0 });
    } else if (t === 'pipeline') {
      // A pipeline inside a pipeline is the same pipeline (see `list`).
      if (group) childGroup = group;
      else {
        pipelines++;
        childGroup = [];
      }
    } else if (t === 'list' && group) {
      // tree-sitter-bash reads `a | b | c && d` as pipeline(a, list(pipeline(b, c), d)); the shell reads
      // list(pipeline(a, b, c), d). Only the list's left operand belongs to the enclosing pipeline.
      childGroup = group;
      childLeftOnly = true;
    }
    if (cursor.gotoFirstChild()) {
      stack.push({ group, leftOnly });
      group = childGroup;
      leftOnly = childLeftOnly;
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      ({ group, leftOnly } = stack.pop() ?? { group: undefined, leftOnly: false });
    }
    if (done) break;
    if (leftOnly) group = undefined;
  }
  cursor.delete();
  tree.delete();
  return { commands, pipelines, hasErrors };
}

/** A deep copy (commands are mutated with Dockerfile lines by the model). */
export function cloneScript(s: ShellScript): ShellScript {
  const map = new Map<ShellCommand, ShellCommand>();
  const commands = s.commands.map((c) => {
    const copy = { ...c };
    map.set(c, copy);
    return copy;
  });
  const groups = new Map<ShellCommand[], ShellCommand[]>();
  for (const c of commands) {
    if (!c.pipeline) continue;
    let g = groups.get(c.pipeline);
    if (!g) {
      g = c.pipeline.map((x) => map.get(x) as ShellCommand);
      groups.set(c.pipeline, g);
    }
    c.pipeline = g;
  }
  return s.limit === undefined
    ? { commands, pipelines: s.pipelines, hasErrors: s.hasErrors }
    : { commands, pipelines: s.pipelines, hasErrors: s.hasErrors, limit: s.limit };
}
