import type { DockerfileModel, Instruction } from '../dockerfile/model.js';
import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { apkCall, aptCall, instructionsBefore, isFalse, isTrue, optValues, parseCall, runInfos, yumCall, zypperCall } from './util/packages.js';
import { classifyFrom, parseMountOptions } from './util/stages.js';

/** `deb [trusted=yes] https://...` (a local `file:`/`copy:` repository is fine: nothing is downloaded). */
const TRUSTED_SOURCE_RE = /\[[^\]]*\btrusted\s*=\s*yes\b[^\]]*\]\s*(?!file:|copy:)[a-z+]+:/i;
const APT_CONF_RE =
  /(APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)\s*"?\s*(1|true|yes|on)\b/i;
const GPGCHECK_OFF_RE = /(^|\\n|\n|\s|;)(repo_)?gpgcheck\s*=\s*(0|false|no|off)\b/i;

const INSECURE_APT_KEYS = new Set(['apt::get::allowunauthenticated', 'acquire::allowinsecurerepositories', 'acquire::allowdowngradetoinsecurerepositories']);

function aptProblem(cmd: ShellCommand): string | undefined {
  const call = aptCall(cmd, ['apt-get', 'apt', 'aptitude']);
  if (!call) return undefined;
  const p = call.program;
  for (const o of call.opts) {
    if (o.name === 'allow-unauthenticated' && !isFalse(o.value))
      return `\`${p} --allow-unauthenticated\` installs packages whose signatures were not verified: remove it and import the repository's key (signed-by=)`;
    if (o.name === 'force-yes') return `\`${p} --force-yes\` also installs unauthenticated packages and downgrades: remove it and use \`-y\``;
    if (o.name === 'allow-insecure-repositories' && !isFalse(o.value))
      return `\`${p} --allow-insecure-repositories\` accepts unsigned repositories: remove it and import the repository's key (signed-by=)`;
  }
  for (const v of optValues(call, 'o', 'option')) {
    const eq = v.indexOf('=');
    if (eq > 0 && INSECURE_APT_KEYS.has(v.slice(0, eq).trim().toLowerCase()) && isTrue(v.slice(eq + 1))) {
      return `\`${p} -o ${v}\` turns off signature checks: remove it and import the repository's key (signed-by=)`;
    }
  }
  return undefined;
}

function rpmFamilyProblem(cmd: ShellCommand): string | undefined {
  const yum = yumCall(cmd);
  if (yum) {
    if (yum.opts.some((o) => o.name === 'nogpgcheck' || o.name === 'no-gpgchecks'))
      return `\`${yum.program} --nogpgcheck\` installs packages without checking their signatures: remove it and import the vendor key with \`rpm --import\``;
    const off = optValues(yum, 'setopt').find((v) => /(^|\.)(localpkg_|repo_)?gpgcheck=/i.test(v) && isFalse(v.slice(v.indexOf('=') + 1)));
    if (off) return `\`${yum.program} --setopt=${off}\` turns off signature checks: remove it and import the vendor key with \`rpm --import\``;
    return undefined;
  }
  if (cmd.program === 'rpm') {
    const call = parseCall(cmd, cmd.args, { long: ['root', 'dbpath', 'define', 'eval', 'macros', 'rcfile', 'prefix', 'relocate', 'excludepath'] });
    const off = call.opts.find((o) => o.long && ['nosignature', 'nodigest', 'noverify', 'nofiledigest'].includes(o.name));
    if (off) return `\`rpm --${off.name}\` skips package signature or digest checks: remove it and import the vendor key with \`rpm --import\``;
  }
  return undefined;
}

function zypperProblem(cmd: ShellCommand): string | undefined {
  const call = zypperCall(cmd);
  if (!call) return undefined;
  if (call.opts.some((o) => o.global && o.name === 'no-gpg-checks'))
    return '`zypper --no-gpg-checks` installs packages without checking their signatures: remove it and import the repository key (`rpm --import`)';
  if ((call.sub === 'addrepo' || call.sub === 'ar') && call.opts.some((o) => !o.global && (o.name === 'no-gpgcheck' || o.name === 'G')))
    return '`zypper addrepo --no-gpgcheck` adds a repository whose packages are never verified: remove it and import the repository key (`rpm --import`)';
  return undefined;
}

/** Configuration written by echo/printf: `deb [trusted=yes] ...`, `gpgcheck=0`, `APT::Get::AllowUnauthenticated "true";`. */
function configProblem(cmd: ShellCommand): string | undefined {
  const p = cmd.program;
  if (p !== 'echo' && p !== 'printf') return undefined;
  for (const a of cmd.args) {
    if (TRUSTED_SOURCE_RE.test(a))
      return 'an apt source with `[trusted=yes]` installs its packages without checking signatures: import the repository key and use `[signed-by=/etc/apt/keyrings/<key>.gpg]`';
    if (GPGCHECK_OFF_RE.test(a))
      return '`gpgcheck=0` in a repository configuration installs packages without checking signatures: set `gpgcheck=1` and a `gpgkey=`';
    if (APT_CONF_RE.test(a)) return 'this apt configuration turns off signature checks: remove it and import the repository key (signed-by=)';
  }
  return undefined;
}

/** Directories holding files that a stage of this Dockerfile produced: `RUN --mount=...,from=<stage>` targets and `COPY --from=<stage>` destinations. */
function builtHere(model: DockerfileModel, instr: Instruction): string[] {
  const dirs: string[] = [];
  const isStage = (v: string | undefined) => v !== undefined && classifyFrom(model, v).kind === 'stage';
  for (const f of instr.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    const o = parseMountOptions(f.value);
    const target = o.get('target') ?? o.get('dst') ?? o.get('destination');
    if (target && isStage(o.get('from'))) dirs.push(target);
  }
  for (const i of instructionsBefore(model, instr)) {
    if (i.keyword !== 'COPY' || !isStage(i.flags.find((f) => f.name === 'from')?.value)) continue;
    const dest = i.json ? i.json[i.json.length - 1] : i.words[i.words.length - 1]?.value;
    if (dest) dirs.push(dest);
  }
  return dirs.map((d) => (d.endsWith('/') ? d : d + '/'));
}

function problem(model: DockerfileModel, instr: Instruction, cmd: ShellCommand): string | undefined {
  const apk = apkCall(cmd);
  if (apk) {
    if (!apk.opts.some((o) => o.name === 'allow-untrusted')) return undefined;
    // Packages built by a stage of this Dockerfile are unsigned by nature and were never downloaded.
    const dirs = builtHere(model, instr);
    const local = apk.operands.length > 0 && apk.operands.every((p) => /\.apk$/.test(p) && dirs.some((d) => p.startsWith(d)));
    return local ? undefined : '`apk --allow-untrusted` installs packages whose signatures were not verified: add the signing key to /etc/apk/keys instead';
  }
  return aptProblem(cmd) ?? rpmFamilyProblem(cmd) ?? zypperProblem(cmd) ?? configProblem(cmd);
}

export default defineRule({
  meta: {
    id: 'package-signature-disabled',
    aliases: ['CKV2_DOCKER_7', 'CKV2_DOCKER_8', 'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11'],
    severity: 'error',
    title: 'Package signature checks disabled',
    description: [
      'Package managers verify that every package was signed by the distribution or vendor; that check is what stops a compromised mirror, proxy or DNS entry from slipping a modified package into the image. These options turn it off:',
      '',
      '- `apk add --allow-untrusted`',
      '- `apt-get --allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`, `-o APT::Get::AllowUnauthenticated=true`, and `deb [trusted=yes] http...` sources',
      '- `yum`/`dnf`/`tdnf --nogpgcheck`, `--setopt=gpgcheck=0`, and `gpgcheck=0` in a `.repo` file',
      '- `rpm --nosignature`, `--nodigest`, `--noverify`, `--nofiledigest`',
      '- `zypper --no-gpg-checks`, `zypper addrepo --no-gpgcheck`',
      '',
      "Import the vendor's key instead: copy it to `/etc/apk/keys/`, reference it with `signed-by=` in the apt source (`/etc/apt/keyrings/`), or `rpm --import` it and keep `gpgcheck=1`. For a package you built yourself, sign it, or verify its checksum (`sha256sum -c`) before installing it.",
      '',
      'Not reported, because nothing is downloaded: a local apt repository (`deb [trusted=yes] file:/...`), and `apk add --allow-untrusted` of `.apk` files that a stage of the same Dockerfile built (bind-mounted with `RUN --mount=...,from=<stage>` or copied with `COPY --from=<stage>`).'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nCOPY glibc-2.35-r1.apk /tmp/\nRUN apk add --allow-untrusted /tmp/glibc-2.35-r1.apk',
    good: 'FROM alpine:3.20\nCOPY sgerrand.rsa.pub /etc/apk/keys/\nCOPY glibc-2.35-r1.apk /tmp/\nRUN apk add /tmp/glibc-2.35-r1.apk',
    tags: ['security', 'supply-chain', 'cis:4.11']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const message = problem(model, instr, cmd);
        if (message) report({ line: cmd.line, message });
      }
    }
  }
});
