import type { Instruction } from '../dockerfile/model.js';
import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { clip, commandName, runCommandsDeep, worldWritableMode } from './util/misc.js';
import { runInfos } from './util/packages.js';

/** The mode and targets of `chmod [-R] MODE FILE…`. */
function chmodMode(cmd: ShellCommand): { mode: string; targets: string[] } | undefined {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === '--') return a[k + 1] === undefined ? undefined : { mode: a[k + 1], targets: a.slice(k + 2) };
    if (arg.startsWith('--reference')) return undefined;
    if (arg.startsWith('--') || /^-[RvcfHLP]+$/.test(arg)) continue;
    // Anything else is the mode, including symbolic `-w` / `-rwx`.
    return { mode: arg, targets: a.slice(k + 1).filter((t) => !t.startsWith('-')) };
  }
  return undefined;
}

/** Options of mkdir/install that take a value (so the value is not a target). */
const VALUE_OPTS = new Set(['-o', '-g', '-t', '-S', '--owner', '--group', '--target-directory', '--suffix', '--context', '-Z']);

/** `mkdir -m 777 dir`, `mkdir -pm 777 dir`, `install -m0777 …`, `mkdir --mode=777 dir`. */
function modeOption(cmd: ShellCommand): { mode: string; targets: string[] } | undefined {
  const a = cmd.args;
  let mode: string | undefined;
  const targets: string[] = [];
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === '--mode' || arg === '-m') {
      mode = a[++k];
    } else if (arg.startsWith('--mode=')) {
      mode = arg.slice(7);
    } else if (/^-[pvDdcCsb]*m/.test(arg)) {
      const rest = arg.slice(arg.indexOf('m') + 1);
      mode = rest || a[++k];
    } else if (VALUE_OPTS.has(arg)) {
      k++;
    } else if (!arg.startsWith('-')) {
      targets.push(arg);
    }
  }
  return mode === undefined ? undefined : { mode, targets };
}

const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Where each command of a RUN stands, and what its `rm`s delete (at most 1,000 paths per RUN). */
interface Removals {
  index: Map<ShellCommand, number>;
  removed: { at: number; path: string }[];
}

function removalsOf(commands: readonly ShellCommand[]): Removals {
  const index = new Map<ShellCommand, number>();
  const removed: { at: number; path: string }[] = [];
  commands.forEach((c, at) => {
    index.set(c, at);
    if (commandName(c) !== 'rm') return;
    for (const a of c.args) if (!a.startsWith('-') && removed.length < 1000) removed.push({ at, path: norm(a) });
  });
  return { index, removed };
}

/**
 * Every target is deleted later in the same RUN (`tempDir="$(mktemp -d)"; chmod 777 "$tempDir"; …; rm -rf
 * "$tempDir"`): nothing world-writable stays in the image.
 */
function removedLater(r: Removals | undefined, cmd: ShellCommand, targets: readonly string[]): boolean {
  const at = r?.index.get(cmd);
  if (r === undefined || at === undefined || targets.length === 0) return false;
  return targets.every((t) => {
    const p = norm(t);
    return r.removed.some((x) => x.at > at && (x.path === p || (x.path.startsWith('/') && p.startsWith(`${x.path}/`))));
  });
}

function advice(mode: string): string {
  return `grant only what the runtime user needs (e.g. chown app:app <dir> && chmod 755 <dir>, or COPY --chown=app:app)${/^0?777$/.test(mode) ? '; for a shared temp directory use 1777 (sticky bit)' : ''}`;
}

export default defineRule({
  meta: {
    id: 'chmod-777',
    aliases: [],
    severity: 'warning',
    title: 'World-writable permissions (chmod 777)',
    description: [
      '`chmod 777` (or `a+rwx`, `o+w`, `666`) lets every user in the container modify the files: any process that is compromised, whatever user it runs as, can replace binaries, scripts or configuration and persist its foothold. It is usually a shortcut around a permissions problem that `chown` solves properly.',
      '',
      'Give ownership to the user that needs to write (`chown -R app:app /app`, or `COPY --chown=app:app`) and use restrictive modes (`755` for directories, `644` for files, `750`/`640` when others need nothing).',
      '',
      'The rule reports `chmod` with a mode that grants write to others (octal with the others-write bit: `777`, `0666`, `757`; symbolic `o+w`, `a+rwx`, `a=rwx`, `go+w`), the same modes in `mkdir -m` / `install -m`, and `COPY --chmod` / `ADD --chmod`. Modes that also set the sticky bit (`1777`, `a+rwxt`) are the standard pattern for shared temp directories like `/tmp` and are not reported; symbolic modes without a "who" (`+w`) follow the umask and are not reported either. A `chmod` whose every target the same `RUN` deletes later (a `mktemp -d` directory opened for APT\'s `_apt` user, then `rm -rf`) leaves nothing world-writable in the image and is not reported.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nCOPY . /app\nRUN chmod -R 777 /app',
    good: 'FROM node:22-alpine\nCOPY --chown=node:node . /app\nRUN chmod -R 755 /app',
    tags: ['security']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
      const flag = instr.flags.find((f) => f.name === 'chmod');
      if (!flag?.value || !worldWritableMode(flag.value)) continue;
      report({
        line: instr.line,
        column: instr.column,
        message: `${instr.keyword} --chmod=${flag.value} makes the copied files world-writable: use --chown=<user> with --chmod=755 (directories/executables) or 644 (files)`
      });
    }
    const removalsByRun = new Map<Instruction, Removals>();
    const removals = (instr: Instruction) => {
      let r = removalsByRun.get(instr);
      if (!r) {
        const info = runInfos(model).find((i) => i.instr === instr);
        if (!info) return undefined;
        removalsByRun.set(instr, (r = removalsOf(info.commands)));
      }
      return r;
    };
    for (const { instr, cmd } of runCommandsDeep(model)) {
      const name = commandName(cmd);
      const found = name === 'chmod' ? chmodMode(cmd) : name === 'mkdir' || name === 'install' ? modeOption(cmd) : undefined;
      if (!found || !worldWritableMode(found.mode)) continue;
      if (removedLater(removals(instr), cmd, found.targets)) continue;
      const what = found.targets.length > 0 ? clip(found.targets.join(' '), 50) : 'the files';
      const shown = name === 'chmod' ? `chmod ${found.mode}` : `${name} -m ${found.mode}`;
      report({ line: cmd.line, message: `${shown} makes ${what} world-writable: ${advice(found.mode)}` });
    }
  }
});
