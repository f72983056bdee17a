import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { commandName, isShellName, runCommandsDeep, shortFlags, substitutionCommands } from './util/misc.js';

const FETCHERS = new Set(['curl', 'wget']);

type Family = 'shell' | 'python' | 'perl' | 'ruby' | 'node' | 'php';

function interpreterFamily(name: string): Family | undefined {
  if (isShellName(name)) return 'shell';
  if (/^python[0-9.]*$/.test(name) || name === 'pypy' || name === 'pypy3') return 'python';
  if (/^perl[0-9.]*$/.test(name)) return 'perl';
  if (/^ruby[0-9.]*$/.test(name)) return 'ruby';
  if (name === 'node' || name === 'nodejs' || name === 'deno' || name === 'bun') return 'node';
  if (/^php[0-9.]*$/.test(name)) return 'php';
  return undefined;
}

/** Options that take the program text (or a module) from the command line instead of stdin. */
const INLINE_CODE: Record<Family, RegExp> = {
  shell: /^-[a-zA-Z]*c[a-zA-Z]*$/,
  python: /^-[a-zA-Z]*[cm]/,
  perl: /^-[a-zA-Z]*[eE]/,
  ruby: /^-[a-zA-Z]*e/,
  node: /^(-[a-zA-Z]*[ep]|--eval|--print|--eval=.*|--print=.*)$/,
  php: /^-[a-zA-Z]*[rR]/
};

/** Short options whose value is the next argument (so it is not the script operand). */
const VALUE_OPTS: Record<Family, RegExp> = {
  shell: /^[-+][a-zA-Z]*o$/,
  python: /^-[WXQ]$/,
  perl: /^-[IMm]$/,
  ruby: /^-[IrCE]$/,
  node: /^(-r|--require|--import|--loader)$/,
  php: /^-[cdz]$/
};

/**
 * Where the interpreter takes its program from: `stdin` (`sh`, `bash -s -- x`, `python3 -`),
 * or the index of the argument holding the code or the script path (`sh -c CODE`, `bash FILE`),
 * or `module` (`python -m json.tool`).
 */
function programSource(cmd: ShellCommand, family: Family): 'stdin' | 'module' | number {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === '-') return 'stdin';
    if (arg === '--') {
      if (family === 'shell') return 'stdin';
      return k + 1 >= a.length || a[k + 1] === '-' ? 'stdin' : k + 1;
    }
    if (family === 'python' && /^-[a-zA-Z]*m/.test(arg)) return 'module';
    if (INLINE_CODE[family].test(arg)) {
      // `-c CODE` / `-e CODE`, or `-cCODE` glued (python, perl).
      const glued = family !== 'shell' && family !== 'node' && /^-[a-zA-Z]*[cerR]./.test(arg) && !/^-[a-zA-Z]*$/.test(arg);
      return glued ? k : k + 1;
    }
    if (family === 'shell' && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(arg)) return 'stdin';
    if (VALUE_OPTS[family].test(arg)) {
      k++;
      continue;
    }
    if (arg.startsWith('-') || arg.startsWith('+')) continue;
    // `bash /dev/stdin`, `python3 /dev/fd/0`: the script operand is stdin itself.
    return STDIN_PATH_RE.test(arg) ? 'stdin' : k;
  }
  return 'stdin';
}

const STDIN_PATH_RE = /^(?:\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/;

/** True when the download goes to stdout: curl without -o/-O, wget with -O - or no -O. */
function fetchesToStdout(cmd: ShellCommand): boolean {
  const name = commandName(cmd);
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (name === 'curl') {
      if (arg === '--output' || arg === '-o') return a[k + 1] === '-';
      if (arg.startsWith('--output=')) return arg.slice(9) === '-';
      if (arg === '--remote-name' || arg === '--remote-name-all') return false;
      const f = shortFlags(arg);
      if (f) {
        const o = f.search(/[oO]/);
        if (o >= 0) {
          if (f[o] === 'O') return false;
          const value = f.slice(o + 1) || a[k + 1];
          return value === '-';
        }
      }
    } else {
      if (arg === '--output-document' || arg === '-O') return a[k + 1] === '-';
      if (arg.startsWith('--output-document=')) return arg.slice(18) === '-';
      const f = shortFlags(arg);
      const o = f.indexOf('O');
      if (o >= 0) return (f.slice(o + 1) || a[k + 1]) === '-';
    }
  }
  return true;
}

function fetcherIn(cmds: readonly ShellCommand[]): ShellCommand | undefined {
  return cmds.find((c) => FETCHERS.has(commandName(c)));
}

const EXECUTORS = new Set(['eval', 'source', '.']);

export default defineRule({
  meta: {
    id: 'curl-pipe-shell',
    aliases: [],
    severity: 'error',
    title: 'Remote script piped into a shell or interpreter',
    description: [
      '`curl https://… | sh` runs whatever the server sends, unverified, with the privileges of the build. A compromised or hijacked download host, a truncated transfer (the shell executes a half-downloaded script) or a changed upstream script all end up in your image without any trace in the Dockerfile.',
      '',
      'The rule reports a pipeline in which `curl` or `wget` output flows into `sh`, `bash`, `zsh`, `ash`, `dash`, `ksh`, `python`, `perl`, `ruby`, `node` or `php` reading its program from stdin (`sh`, `sh -s`, `bash -s -- args`, `bash /dev/stdin`, `python3 -`, `node -`; also through `sudo`, `tee`, and inside `sh -c \'…\'`), and the same thing written with a substitution: `bash <(curl …)`, `sh -c "$(curl …)"`, `eval "$(wget -O- …)"`, `. <(curl …)`.',
      '',
      "Piping downloaded data into an interpreter that runs its own program (`curl … | python3 -c 'import json,sys; …'`, `curl … | python3 -m json.tool`, `curl … | bash ./parse.sh`) is not reported.",
      '',
      'Instead, download the script to a file, verify it against a checksum you pinned (or a signature), then run it:',
      '',
      '```dockerfile',
      'RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\',
      ' && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\',
      ' && sh /tmp/install.sh && rm /tmp/install.sh',
      '```',
      '',
      'Better still, install from a package manager or `COPY --from=` an official image.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh',
    good: 'FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n && echo "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh',
    tags: ['security', 'supply-chain', 'cis:4.11']
  },
  defaultOptions: {},
  check({ model, report }) {
    const advice = 'download to a file, verify it (echo "<sha256>  file" | sha256sum -c -), then run it';
    for (const { cmd } of runCommandsDeep(model)) {
      const name = commandName(cmd);
      const family = interpreterFamily(name);
      if (!family && !EXECUTORS.has(name)) continue;
      const runner = cmd.wrappers.length > 0 ? `${cmd.wrappers.join(' ')} ${name}` : name;
      const source = family ? programSource(cmd, family) : undefined;

      // curl … | sh
      if (source === 'stdin' && cmd.pipeline) {
        const fetcher = cmd.pipeline.find((c) => c.offset < cmd.offset && FETCHERS.has(commandName(c)) && fetchesToStdout(c));
        if (fetcher) {
          report({ line: cmd.line, message: `${commandName(fetcher)} output is piped into ${runner}, which runs unverified remote code: ${advice}` });
          continue;
        }
      }

      // bash <(curl …), sh -c "$(curl …)", eval "$(curl …)", . <(curl …)
      const programArgs = family ? (typeof source === 'number' ? [cmd.args[source]] : []) : name === 'eval' ? cmd.args : cmd.args.slice(0, 1);
      for (const arg of programArgs) {
        if (arg === undefined) continue;
        const fetcher = fetcherIn(substitutionCommands(arg));
        if (!fetcher) continue;
        const how = arg.startsWith('<(') ? 'process substitution' : 'command substitution';
        report({ line: cmd.line, message: `${runner} runs the output of ${commandName(fetcher)} (${how}), which is unverified remote code: ${advice}` });
        break;
      }
    }
  }
});
