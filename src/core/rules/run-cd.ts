import { defineRule } from './types.js';
import type { ShellCommand } from '../shell/parser.js';
import { commandName } from './util/misc.js';
import { runInfos } from './util/packages.js';

const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Operands of a command (arguments that are not options). */
const operands = (c: ShellCommand) => c.args.filter((a) => !a.startsWith('-'));

/**
 * True for `tar -x…`/`tar x…`, `bsdtar -x`, `unzip`, `7z x`, `apt-get source`, `dpkg-source -x`: commands that create
 * directories nobody can name before the RUN.
 */
function extracts(c: ShellCommand): boolean {
  const name = commandName(c);
  if (name === 'apt-get' || name === 'apt') return c.args.includes('source');
  if (name === 'dpkg-source') return c.args.some((a) => a === '-x' || a === '--extract');
  if (name === 'unzip' || name === 'gunzip' || name === 'bunzip2' || name === 'unxz') return true;
  if (name === '7z' || name === '7za') return c.args[0] === 'x';
  if (name !== 'tar' && name !== 'bsdtar' && name !== 'gtar') return false;
  const first = c.args[0] ?? '';
  return (!first.startsWith('-') && first.includes('x')) || c.args.some((a) => a === '--extract' || a === '--get' || /^-[a-zA-Z]*x/.test(a));
}

/** Paths a command deletes (`rm` operands), normalized. */
function removedPaths(c: ShellCommand): string[] {
  return commandName(c) === 'rm' ? operands(c).map(norm) : [];
}

/** What `git clone` creates: its directory operand, or the repository's name. */
function cloneTarget(c: ShellCommand): string | undefined {
  if (commandName(c) !== 'git' || !c.args.includes('clone')) return undefined;
  const ops = operands(c).filter((a) => a !== 'clone');
  const target =
    ops.length >= 2
      ? ops[ops.length - 1]
      : (ops[0] ?? '')
          .replace(/\.git$/, '')
          .split('/')
          .pop();
  return target ? norm(target) : undefined;
}

/** True for an operand that names the current directory or something in it (`.`, `./x`). */
const relativeToHere = (a: string) => a === '.' || a.startsWith('./');

/** Places a RUN unpacks or deletes, read once per RUN (a RUN of thousands of commands stays linear). */
interface Layout {
  /** Index of the first command that extracts an archive, or Infinity. */
  firstExtract: number;
  clones: { at: number; target: string }[];
  /** Directories `mkdir` makes. */
  made: { at: number; path: string }[];
  removals: { at: number; path: string }[];
  /** Index of the first command that works on the current directory (an operand `.` or `./…`), or Infinity. */
  firstHereWork: number;
}

/** At most this many clones and removals are remembered per RUN. */
const MAX_PLACES = 1000;

function layoutOf(commands: readonly ShellCommand[]): Layout {
  const out: Layout = { firstExtract: Infinity, clones: [], made: [], removals: [], firstHereWork: Infinity };
  commands.forEach((c, at) => {
    if (out.firstExtract === Infinity && extracts(c)) out.firstExtract = at;
    if (out.firstHereWork === Infinity && commandName(c) !== 'cd' && c.args.some(relativeToHere)) out.firstHereWork = at;
    const target = cloneTarget(c);
    if (target !== undefined && out.clones.length < MAX_PLACES) out.clones.push({ at, target });
    for (const path of removedPaths(c)) if (out.removals.length < MAX_PLACES) out.removals.push({ at, path });
    if (commandName(c) === 'mkdir') for (const a of operands(c)) if (out.made.length < MAX_PLACES) out.made.push({ at, path: norm(a) });
  });
  return out;
}

/**
 * A `cd` a WORKDIR cannot stand for: into a directory this same RUN fills before it (`git clone url dir`, an
 * archive extracted) or makes under /tmp (`mkdir /tmp/x`), a scratch or source tree a WORKDIR would leave in the
 * image, or into a directory (or below one) the same RUN deletes later, a throw-away build tree. (`mkdir -p /opt/app
 * && cd /opt/app` is what WORKDIR does, and stays reported.)
 */
function excusedCd(layout: Layout, at: number, dir: string): boolean {
  const d = norm(dir);
  if (layout.firstExtract < at) return true;
  if (layout.clones.some((c) => c.at < at && (c.target === d || d.endsWith(`/${c.target}`)))) return true;
  // A scratch directory made under /tmp for this RUN; a directory made elsewhere stays, and WORKDIR makes it too.
  if (/^\/(?:var\/)?tmp\//.test(d) && layout.made.some((m) => m.at < at && m.path === d)) return true;
  return layout.removals.some((r) => r.at > at && (r.path === d || (r.path.startsWith('/') && d.startsWith(`${r.path}/`))));
}

export default defineRule({
  meta: {
    id: 'run-cd',
    aliases: ['DL3003', 'DS-0013'],
    severity: 'warning',
    title: 'Use WORKDIR instead of cd in RUN',
    description: [
      '`cd` in a `RUN` only lasts until the end of that `RUN`; the next instruction starts in the `WORKDIR` again. Scattering `cd` through the Dockerfile hides where commands run and makes long `RUN` chains fragile (`cd build && make` silently runs in the wrong place if the directory is missing and `set -e` is not in force).',
      '',
      'Set the directory with `WORKDIR /path` (it is created if needed and applies to every following instruction), then run the commands.',
      '',
      'Like hadolint, the rule reports any `cd` command in a `RUN`, also the common `cd dir && make` chain and a `cd` in a subshell: when the directory is fixed, a `WORKDIR` before the `RUN` expresses it better. A `cd` is not reported when a `WORKDIR` cannot stand for it: into a directory the same `RUN` extracts or clones before it (`tar -x`, `unzip`, `git clone … dir`) or makes under `/tmp` (`mkdir /tmp/x`) — a `WORKDIR` would leave it in the image; `mkdir -p /opt/app && cd /opt/app` is what `WORKDIR` does and stays reported —, into a directory (or below one) that the same `RUN` deletes later (a throw-away build directory) or unpacks (`apt-get source`), a relative `cd` from inside such a throw-away tree, a relative `cd` after the `RUN` already worked on its starting directory (`go test .` then `cd bench` in one heredoc script: a `WORKDIR` would move both steps), `cd /` (stepping out, often before deleting), and back out with `cd ..` / `cd -` after an earlier `cd`. Exec-form `RUN`s are not checked. One finding is reported per `RUN`, at its first reported `cd`.'
    ].join('\n'),
    bad: 'FROM golang:1.23\nCOPY . /src\nRUN cd /src && go build -o /out/app .',
    good: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .',
    tags: ['best-practice', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      if (instr.json) continue; // exec form: the program is explicit, nothing to move into WORKDIR
      let cdBefore = false;
      // The shell is inside a throw-away tree (an excused cd): a relative cd from there stays inside it.
      let inThrowaway = false;
      let layout: Layout | undefined;
      for (let k = 0; k < commands.length; k++) {
        const cd = commands[k];
        if (commandName(cd) !== 'cd') continue;
        const dir = cd.args.find((a) => !a.startsWith('-') || a === '-');
        const back = dir === '-' || dir === '..' || (dir !== undefined && dir.startsWith('../'));
        // `cd /` steps out of a directory (often one about to be deleted); WORKDIR / would say nothing.
        if (dir === '/') {
          cdBefore = true;
          continue;
        }
        // `src`, `$(find … -name 'git-*')`; not `/x`, `~`, or `$VAR` (which may hold an absolute path).
        const relative = dir !== undefined && !/^(?:[/~]|\$\{?[A-Za-z_])/.test(dir);
        layout ??= layoutOf(commands);
        const excused =
          (back && cdBefore) ||
          (relative && inThrowaway) ||
          // A relative cd after the RUN already worked on its starting directory (`go test .` then `cd bench`): a
          // WORKDIR before the RUN would move both steps.
          (relative && !cdBefore && layout.firstHereWork < k) ||
          (dir !== undefined && excusedCd(layout, k, dir));
        if (excused && !back) inThrowaway = true;
        cdBefore = true;
        if (excused) continue;
        const literal = dir !== undefined && dir.startsWith('/') && !/[$`*?]/.test(dir);
        report({
          line: cd.line,
          column: instr.column,
          message: literal
            ? `cd ${dir} in RUN does not carry over to later instructions: set WORKDIR ${dir} before this RUN instead`
            : `cd in RUN does not carry over to later instructions: set the directory with WORKDIR <absolute path> before this RUN instead`
        });
        break;
      }
    }
  }
});
