/**
 * RUN bodies are parsed with tree-sitter-bash (WASM, error tolerant), not with
 * regexes. The WASM bytes are handed in by the entry point, so this module does
 * no I/O of its own.
 */
import { Language, Parser, type Node } from 'web-tree-sitter';

export interface ShellCommand {
  /** Program name as written, after wrappers such as `sudo` or `env` are peeled off. */
  name: string;
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

/** Text of an argument node with quotes removed. */
function wordText(node: Node): string {
  switch (node.type) {
    case 'string': {
      const t = node.text;
      return t.length >= 2 ? t.slice(1, -1) : t;
    }
    case 'raw_string': {
      const t = node.text;
      return t.length >= 2 ? t.slice(1, -1) : t;
    }
    case 'concatenation': {
      let s = '';
      for (const c of node.children) if (c) s += wordText(c);
      return s;
    }
    case 'word': {
      const t = node.text;
      return t.includes('\\') ? t.replace(/\\(.)/g, '$1') : t;
    }
    default:
      return node.text;
  }
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

function buildCommand(node: Node): ShellCommand | undefined {
  let name: string | undefined;
  const args: string[] = [];
  const assignments: string[] = [];
  for (const c of node.children) {
    if (!c) continue;
    const t = c.type;
    if (t === 'variable_assignment') assignments.push(c.text);
    else if (t === 'command_name') name = wordText(c.firstChild ?? c);
    else if (name !== undefined && ARG_TYPES.has(t)) args.push(wordText(c));
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
  return { name, args: rest, wrappers, assignments, offset: node.startIndex, line: 0 };
}

/** Parses a POSIX shell script into its simple commands, in source order. */
export function parseShell(script: string): ShellScript {
  if (!parser) throw new Error('shell parser not initialised: call initShellParser() first');
  const tree = parser.parse(script);
  if (!tree) return { commands: [], pipelines: 0, hasErrors: true };
  const commands: ShellCommand[] = [];
  let pipelines = 0;
  const root = tree.rootNode;
  const hasErrors = root.hasError;
  const stack: Node[] = [root];
  const pipelineOf = new Map<number, ShellCommand[]>();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const t = node.type;
    if (t === 'declaration_command') {
      // `export A=1`, `readonly B=2`: visible to rules as a command with assignments.
      const first = node.firstChild;
      const assignments: string[] = [];
      for (const c of node.children) if (c && c.type === 'variable_assignment') assignments.push(c.text);
      commands.push({ name: first ? first.text : 'export', args: [], wrappers: [], assignments, offset: node.startIndex, line: 0 });
    } else if (t === 'command') {
      const cmd = buildCommand(node);
      if (cmd) {
        const p = node.parent;
        if (p && p.type === 'pipeline') {
          const group = pipelineOf.get(p.id) ?? [];
          pipelineOf.set(p.id, group);
          group.push(cmd);
          cmd.pipeline = group;
        }
        commands.push(cmd);
      }
    } else if (t === 'pipeline') {
      pipelines++;
    }
    // Children pushed in reverse so commands come out in source order.
    const kids = node.children;
    for (let k = kids.length - 1; k >= 0; k--) {
      const c = kids[k];
      if (c && (c.childCount > 0 || c.type === 'command')) stack.push(c);
    }
  }
  for (const group of pipelineOf.values()) group.sort((a, b) => a.offset - b.offset);
  tree.delete();
  return { commands, pipelines, hasErrors };
}
