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
function wordText(cursor: TreeCursor): string {
  const t = cursor.nodeType;
  if (t === 'string' || t === 'raw_string') {
    const s = cursor.nodeText;
    return s.length >= 2 ? s.slice(1, -1) : s;
  }
  if (t === 'concatenation') {
    let s = '';
    if (cursor.gotoFirstChild()) {
      do s += wordText(cursor);
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
  while (WRAPPERS.has(name) && rest.length > 0) {
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

/** Parses a POSIX shell script into its simple commands, in source order. */
export function parseShell(script: string): ShellScript {
  if (!parser) throw new Error('shell parser not initialised: call initShellParser() first');
  const tree = parser.parse(script);
  if (!tree) return { commands: [], pipelines: 0, hasErrors: true };
  const commands: ShellCommand[] = [];
  let pipelines = 0;
  const hasErrors = tree.rootNode.hasError;
  // A cursor walk allocates no Node objects: the JS side of tree-sitter dominated the profile.
  const cursor = tree.walk();
  const visit = (group: ShellCommand[] | undefined): void => {
    const t = cursor.nodeType;
    let childGroup: ShellCommand[] | undefined;
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
      pipelines++;
      childGroup = [];
    }
    if (cursor.gotoFirstChild()) {
      do visit(childGroup);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit(undefined);
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
  return { commands, pipelines: s.pipelines, hasErrors: s.hasErrors };
}
