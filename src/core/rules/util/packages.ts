/**
 * Helpers for package-manager rules: the commands of every RUN (shell form,
 * heredocs, exec form and `sh -c '...'` scripts), option parsing that knows
 * which options take a value and splits combined short flags (`-qy`), and
 * per-tool views of apt-get, apk, yum/dnf, zypper, pip, npm and gem calls.
 * Everything works on parsed ShellCommands, never on raw RUN text.
 */
import type { DockerfileModel, Instruction, Stage } from '../../dockerfile/model.js';
import { parseShell, shellParserReady, type ShellCommand } from '../../shell/parser.js';
import { parseMountOptions } from './stages.js';

// ---------------------------------------------------------------------------
// RUN commands

export interface RunInfo {
  instr: Instruction;
  /** Undefined only for a RUN before the first FROM (invalid, but linted). */
  stage: Stage | undefined;
  /** Simple commands in source order; commands of `sh -c '...'` follow their `sh`. */
  commands: ShellCommand[];
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
const runCache = new WeakMap<DockerfileModel, RunInfo[]>();

/** The script of `sh -c 'script'` / `bash -ec "script"` / `sh -o pipefail -c "..."`. */
export function shellScriptArg(cmd: ShellCommand): string | undefined {
  const prog = cmd.program;
  const args = prog === 'busybox' && cmd.args[0] === 'sh' ? cmd.args.slice(1) : cmd.args;
  if (!SHELLS.has(prog) && prog !== 'busybox') return undefined;
  let sawC = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!sawC && (a === '-o' || a === '+o' || a === '-O' || a === '+O')) {
      i++;
      continue;
    }
    if (a === '--') continue;
    if (/^-[A-Za-z]+$/.test(a)) {
      if (a.includes('c')) sawC = true;
      continue;
    }
    if (a.startsWith('--')) continue;
    return sawC ? a : undefined;
  }
  return undefined;
}

function expand(cmds: ShellCommand[], depth: number): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const c of cmds) {
    out.push(c);
    if (depth >= 3) continue;
    const script = shellScriptArg(c);
    if (script === undefined || !/[A-Za-z]/.test(script)) continue;
    let inner: ShellCommand[];
    try {
      inner = parseShell(script).commands;
    } catch {
      continue;
    }
    for (const k of inner) k.line = c.line;
    out.push(...expand(inner, depth + 1));
  }
  return out;
}

function execCommand(instr: Instruction, json: string[]): ShellCommand | undefined {
  if (json.length === 0) return undefined;
  const program = (json[0].split('/').pop() ?? json[0]).toLowerCase();
  return { name: json[0], program, args: json.slice(1), wrappers: [], assignments: [], offset: 0, line: instr.line };
}

/** Every RUN of the file with its commands (shell form, heredoc, exec form, `sh -c` scripts). */
export function runInfos(model: DockerfileModel): RunInfo[] {
  const cached = runCache.get(model);
  if (cached) return cached;
  const out: RunInfo[] = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== 'RUN') continue;
    const stage = instr.stage >= 0 ? model.stages[instr.stage] : undefined;
    let base: ShellCommand[] = [];
    if (instr.json) {
      const c = execCommand(instr, instr.json);
      if (c) base = [c];
    } else {
      base = model.shellOf(instr)?.commands ?? [];
    }
    out.push({ instr, stage, commands: shellParserReady() ? expand(base, 0) : base });
  }
  runCache.set(model, out);
  return out;
}

/** Stages whose layers end up in a shipped image: shipped stages and the stages they build FROM. */
export function shippedStages(model: DockerfileModel): Set<number> {
  const out = new Set<number>();
  for (const s of model.stages) {
    if (!model.isShipped(s)) continue;
    let cur: Stage | undefined = s;
    while (cur && !out.has(cur.index)) {
      out.add(cur.index);
      cur = cur.from.stageRef !== undefined ? model.stages[cur.from.stageRef] : undefined;
    }
  }
  return out;
}

/** The stage and the stages it builds FROM, nearest first. */
export function stageLineage(model: DockerfileModel, stage: Stage | undefined): Stage[] {
  const out: Stage[] = [];
  let cur = stage;
  while (cur && !out.includes(cur)) {
    out.push(cur);
    cur = cur.from.stageRef !== undefined ? model.stages[cur.from.stageRef] : undefined;
  }
  return out;
}

/** Instructions that ran before `instr` in the image it builds: earlier ones of its stage and of the stages it builds on. */
export function instructionsBefore(model: DockerfileModel, instr: Instruction): Instruction[] {
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : undefined;
  const out: Instruction[] = [];
  for (const s of stageLineage(model, stage)) {
    for (const i of s.instructions) if (s !== stage || i.index < instr.index) out.push(i);
  }
  return out;
}

/**
 * The value an environment variable has when `instr` runs: ARG/ENV of its stage,
 * else the last ENV of the stages it builds FROM. Undefined when unknown.
 */
export function envValue(model: DockerfileModel, instr: Instruction, name: string): string | undefined {
  const own = instr.resolve('${' + name + '}');
  if (own.unresolved.length === 0) return own.value;
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : undefined;
  for (const s of stageLineage(model, stage).slice(1)) {
    let v: string | undefined;
    for (const i of s.instructions) if (i.keyword === 'ENV') for (const p of i.pairs) if (p.key === name) v = p.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Targets of `--mount=type=cache|tmpfs,target=...` on a RUN, without trailing slashes. */
export function cacheMountTargets(instr: Instruction): string[] {
  const out: string[] = [];
  for (const f of instr.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    const o = parseMountOptions(f.value);
    const type = (o.get('type') ?? 'bind').toLowerCase();
    if (type !== 'cache' && type !== 'tmpfs') continue;
    const target = o.get('target') ?? o.get('dst') ?? o.get('destination');
    if (target) out.push(target.length > 1 ? target.replace(/\/+$/, '') : target);
  }
  return out;
}

/** True when a cache or tmpfs mount of the RUN holds `path` (is it, or one of its parents). */
export function mountCovers(instr: Instruction, path: string): boolean {
  return cacheMountTargets(instr).some((t) => path === t || path.startsWith(t.endsWith('/') ? t : t + '/'));
}

/** `rm` (or `find ... -delete` / `-exec rm`) removing a path that `match` accepts. */
export function removesPath(cmd: ShellCommand, match: (path: string) => boolean): boolean {
  const prog = cmd.program;
  if (prog === 'rm') return cmd.args.some((a) => !a.startsWith('-') && match(a));
  if (prog === 'find') {
    const deletes = cmd.args.includes('-delete') || cmd.args.some((a, k) => a === '-exec' && /(^|\/)rm$/.test(cmd.args[k + 1] ?? ''));
    return deletes && cmd.args.some((a) => !a.startsWith('-') && match(a));
  }
  return false;
}

// ---------------------------------------------------------------------------
// Options

export interface Opt {
  /** Name without dashes: `y`, `yes`, `o`, `no-install-recommends`. */
  name: string;
  long: boolean;
  value?: string;
  /** True for options before the subcommand (global options). */
  global: boolean;
}

export interface OptSpec {
  /** Short options that take a value (`o` for `-o X`, `-oX`). */
  short?: string;
  /** Long options that take a value when given as `--name value`. */
  long?: readonly string[];
}

export interface ParsedCall {
  cmd: ShellCommand;
  program: string;
  opts: Opt[];
  /** First operand (`install`), when there is one. */
  sub?: string;
  /** Operands after the subcommand. */
  operands: string[];
  /** Arguments after a `--` that ends the options, if any. */
  afterDashes: string[];
}

/**
 * Splits `args` into options and operands. Short flags may be combined (`-qy`);
 * a short option that takes a value takes the rest of its cluster or the next
 * argument; `-q=2` gives `q` the value `2`. `--` ends the options.
 * With `globalSpec`, options before the first operand are parsed with it and
 * the rest with `spec` (zypper's global and command options differ).
 */
export function parseCall(cmd: ShellCommand, args: string[], spec: OptSpec, globalSpec: OptSpec = spec): ParsedCall {
  const opts: Opt[] = [];
  const operands: string[] = [];
  let afterDashes: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const global = operands.length === 0;
    const s = global ? globalSpec : spec;
    if (a === '--') {
      afterDashes = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (value === undefined && s.long?.includes(name) && i + 1 < args.length) value = args[++i];
      opts.push({ name, long: true, value, global });
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (a[k + 1] === '=') {
          opts.push({ name: c, long: false, value: a.slice(k + 2), global });
          break;
        }
        if (s.short?.includes(c)) {
          let value: string | undefined = a.slice(k + 1);
          if (value === '') value = i + 1 < args.length ? args[++i] : undefined;
          opts.push({ name: c, long: false, value, global });
          break;
        }
        opts.push({ name: c, long: false, global });
      }
      continue;
    }
    operands.push(a);
  }
  const [sub, ...rest] = operands;
  return { cmd, program: cmd.program, opts, sub, operands: rest, afterDashes };
}

export function hasOpt(call: ParsedCall, ...names: string[]): boolean {
  return call.opts.some((o) => names.includes(o.name));
}

export function optCount(call: ParsedCall, name: string): number {
  return call.opts.filter((o) => o.name === name).length;
}

export function optValues(call: ParsedCall, ...names: string[]): string[] {
  return call.opts.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value as string);
}

/** True for words the shell expands at build time (`$PKG`, `${PKGS}`, `$(cat list)`, backticks). */
export function isDynamic(word: string): boolean {
  return word.includes('$') || word.includes('`');
}

const TRUE_RE = /^(1|true|yes|on)$/i;
const FALSE_RE = /^(0|false|no|off)$/i;

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && TRUE_RE.test(v.trim().replace(/^["']|["']$/g, ''));
}

export function isFalse(v: string | undefined): boolean {
  return v !== undefined && FALSE_RE.test(v.trim().replace(/^["']|["']$/g, ''));
}

// ---------------------------------------------------------------------------
// apt-get / apt

const APT_SPEC: OptSpec = {
  short: 'octaP',
  long: ['option', 'config-file', 'target-release', 'default-release', 'host-architecture', 'build-profiles']
};

/**
 * The package manager a program is: cross-compilation wrappers (tonistiigi/xx's `xx-apt-get`, `xx-apt`,
 * `xx-apk`) take the same arguments as the tool they wrap and are judged as it.
 */
export function packageManager(program: string): string {
  return /^xx-(apt-get|apt|apk)$/.test(program) ? program.slice(3) : program;
}

/** `apt-get` (and, with `programs`, `apt` / `aptitude`) with options and operands; `xx-apt-get` too. */
export function aptCall(cmd: ShellCommand, programs: readonly string[] = ['apt-get']): ParsedCall | undefined {
  const prog = packageManager(cmd.program);
  if (!programs.includes(prog)) return undefined;
  return parseCall(cmd, cmd.args, APT_SPEC);
}

/** `-o Key=Value` settings of an apt call, keys lower-cased. */
export function aptSettings(call: ParsedCall): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of optValues(call, 'o', 'option')) {
    const eq = v.indexOf('=');
    if (eq > 0) out.set(v.slice(0, eq).trim().toLowerCase(), v.slice(eq + 1).trim());
  }
  return out;
}

/** `-s` / `--simulate` / `--dry-run` ...: apt-get only prints what it would do. */
export function aptDryRun(call: ParsedCall): boolean {
  return hasOpt(call, 's', 'simulate', 'just-print', 'dry-run', 'recon', 'no-act') || isTrue(aptSettings(call).get('apt::get::simulate'));
}

/** Package arguments of `apt-get install` (empty when the command is something else). */
export function installPackages(cmd: ShellCommand): string[] {
  const call = aptCall(cmd);
  return call && call.sub === 'install' ? call.operands : [];
}

/** Text of configuration files written by the image so far: `echo`/`printf` arguments and heredoc bodies. */
export function configWritten(model: DockerfileModel, instr: Instruction, beforeCmd: ShellCommand | undefined, re: RegExp): boolean {
  const infos = runInfos(model);
  const check = (i: Instruction): boolean => {
    if (i.heredocs.some((h) => re.test(h.body))) return true;
    if (i.keyword !== 'RUN') return false;
    const info = infos.find((r) => r.instr === i);
    for (const c of info?.commands ?? []) {
      if (i === instr && beforeCmd && c === beforeCmd) break;
      const p = c.program;
      if ((p === 'echo' || p === 'printf') && c.args.some((a) => re.test(a))) return true;
    }
    return false;
  };
  return instructionsBefore(model, instr).some(check) || check(instr);
}

// ---------------------------------------------------------------------------
// apk

const APK_SPEC: OptSpec = {
  short: 'Xtp',
  long: ['repository', 'virtual', 'root', 'arch', 'cache-dir', 'keys-dir', 'repositories-file', 'cache-max-age', 'timeout', 'progress-fd', 'wait', 'from']
};

export function apkCall(cmd: ShellCommand): ParsedCall | undefined {
  if (packageManager(cmd.program) !== 'apk') return undefined;
  return parseCall(cmd, cmd.args, APK_SPEC);
}

// ---------------------------------------------------------------------------
// yum / dnf / microdnf / tdnf, zypper, rpm

export const RPM_MANAGERS = ['yum', 'dnf', 'dnf5', 'microdnf', 'tdnf'];

const YUM_SPEC: OptSpec = {
  short: 'cdexR',
  long: [
    'config',
    'debuglevel',
    'errorlevel',
    'rpmverbosity',
    'exclude',
    'excludepkgs',
    'includepkgs',
    'enablerepo',
    'disablerepo',
    'repo',
    'repoid',
    'setopt',
    'installroot',
    'releasever',
    'color',
    'destdir',
    'downloaddir',
    'forcearch',
    'disableexcludes',
    'disableplugin',
    'enableplugin',
    'repofrompath',
    'comment',
    'advisory',
    'advisories',
    'bz',
    'cve',
    'sec-severity',
    'secseverity',
    'use-host-config'
  ]
};

export function yumCall(cmd: ShellCommand): ParsedCall | undefined {
  if (!RPM_MANAGERS.includes(cmd.program)) return undefined;
  return parseCall(cmd, cmd.args, YUM_SPEC);
}

const ZYPPER_GLOBAL_SPEC: OptSpec = {
  short: 'RDCcpx',
  long: [
    'root',
    'reposd-dir',
    'cache-dir',
    'raw-cache-dir',
    'solv-cache-dir',
    'pkg-cache-dir',
    'config',
    'userdata',
    'plus-repo',
    'plus-content',
    'installroot'
  ]
};
const ZYPPER_SPEC: OptSpec = { short: 'trp', long: ['type', 'repo', 'from', 'download', 'oldpackage', 'allow-vendor-change'] };

export function zypperCall(cmd: ShellCommand): ParsedCall | undefined {
  if (cmd.program !== 'zypper') return undefined;
  return parseCall(cmd, cmd.args, ZYPPER_SPEC, ZYPPER_GLOBAL_SPEC);
}

// ---------------------------------------------------------------------------
// pip

const PIP_RE = /^pip(\d+(\.\d+)?)?$/;
const PYTHON_RE = /^python(\d+(\.\d+)?)?$/;

const PIP_SPEC: OptSpec = {
  short: 'rceiftbC',
  long: [
    'requirement',
    'constraint',
    'editable',
    'index-url',
    'extra-index-url',
    'find-links',
    'target',
    'prefix',
    'root',
    'src',
    'build',
    'platform',
    'python-version',
    'implementation',
    'abi',
    'no-binary',
    'only-binary',
    'progress-bar',
    'proxy',
    'retries',
    'timeout',
    'exists-action',
    'trusted-host',
    'cert',
    'client-cert',
    'cache-dir',
    'log',
    'python',
    'upgrade-strategy',
    'root-user-action',
    'use-feature',
    'use-deprecated',
    'keyring-provider',
    'config-settings',
    'global-option',
    'install-option',
    'report',
    'group',
    'log-file'
  ]
};

/** `pip install ...`, `pip3 install`, `python3 -m pip install`: the install call, or undefined. */
export function pipInstallCall(cmd: ShellCommand): ParsedCall | undefined {
  const prog = cmd.program;
  let args: string[] | undefined;
  if (PIP_RE.test(prog)) args = cmd.args;
  else if (PYTHON_RE.test(prog)) {
    for (let i = 0; i < cmd.args.length; i++) {
      const a = cmd.args[i];
      if ((a === '-m' && cmd.args[i + 1] === 'pip') || a === '-mpip') {
        args = cmd.args.slice(a === '-m' ? i + 2 : i + 1);
        break;
      }
      if (!a.startsWith('-')) break;
      if (a === '-W' || a === '-X') i++;
    }
  }
  if (!args) return undefined;
  const call = parseCall(cmd, args, PIP_SPEC);
  return call.sub === 'install' ? call : undefined;
}

// ---------------------------------------------------------------------------
// npm

export const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);

const NPM_SPEC: OptSpec = {
  short: 'wC',
  long: [
    'registry',
    'loglevel',
    'prefix',
    'cache',
    'userconfig',
    'globalconfig',
    'tag',
    'workspace',
    'omit',
    'include',
    'install-strategy',
    'before',
    'only',
    'location',
    'script-shell',
    'fetch-retries',
    'fetch-timeout',
    'proxy',
    'https-proxy',
    'cafile',
    'ca',
    'maxsockets',
    'save-prefix'
  ]
};

export function npmInstallCall(cmd: ShellCommand): ParsedCall | undefined {
  if (cmd.program !== 'npm') return undefined;
  // npm accepts `--flag true|false` for any boolean config.
  const args = cmd.args.filter((a, k) => !(k > 0 && /^(true|false)$/.test(a) && cmd.args[k - 1].startsWith('--') && !cmd.args[k - 1].includes('=')));
  const call = parseCall(cmd, args, NPM_SPEC);
  return call.sub !== undefined && NPM_INSTALL.has(call.sub) ? call : undefined;
}

// ---------------------------------------------------------------------------
// gem

const GEM_SPEC: OptSpec = {
  short: 'vinPgsB',
  long: [
    'version',
    'install-dir',
    'bindir',
    'trust-policy',
    'file',
    'source',
    'platform',
    'build-root',
    'document',
    'http-proxy',
    'config-file',
    'bulk-threshold',
    'target-rbconfig'
  ]
};

export function gemInstallCall(cmd: ShellCommand): ParsedCall | undefined {
  if (cmd.program !== 'gem') return undefined;
  const call = parseCall(cmd, cmd.args, GEM_SPEC);
  return call.sub === 'install' || call.sub === 'i' ? call : undefined;
}

// ---------------------------------------------------------------------------
// Messages

/** `a`, `a and b`, `a, b and 3 more`. */
export function listPackages(names: string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``);
  if (names.length > max) return `${shown.join(', ')} and ${names.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The `ignore` option shared by the version-pinning rules. */
export const PIN_OPTIONS_SCHEMA = {
  type: 'object',
  properties: { ignore: { type: 'array', items: { type: 'string' } } },
  additionalProperties: false
};

export const PIN_OPTIONS_DOC =
  '- `ignore` (string[], default `[]`): package names that may stay unpinned (compared without any version or extra, case-insensitively).';

/** The `all-stages` option shared by the cleanup rules. */
export const STAGES_OPTIONS_SCHEMA = {
  type: 'object',
  properties: { 'all-stages': { type: 'boolean' } },
  additionalProperties: false
};

export const STAGES_OPTIONS_DOC =
  '- `all-stages` (boolean, default `false`): also check stages that do not ship. By default only stages whose layers end up in the image are checked: the final stage (or the configured `targets`) and the stages they build `FROM`; a builder stage whose files are copied out with `COPY --from` does not make the image bigger.';

export function isIgnored(name: string, ignore: readonly string[] | undefined): boolean {
  if (!ignore || ignore.length === 0) return false;
  const lower = name.toLowerCase();
  return ignore.some((i) => i.toLowerCase() === lower);
}
