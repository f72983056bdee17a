import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { apkCall, aptCall, removesPath, runInfos, yumCall, zypperCall } from './util/packages.js';

type Family = 'apt' | 'apk' | 'rpm' | 'zypper';

interface Step {
  family: Family;
  /** `discard`: the index is deleted again, so no later RUN can use it. */
  kind: 'refresh' | 'install' | 'discard';
  text: string;
}

const APT_INSTALLS = new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download', 'satisfy', 'safe-upgrade']);
const APK_INSTALLS = new Set(['add', 'upgrade', 'fix']);
const RPM_INSTALLS = new Set([
  'install',
  'in',
  'groupinstall',
  'localinstall',
  'reinstall',
  'update',
  'upgrade',
  'up',
  'distro-sync',
  'distrosync',
  'dsync',
  'downgrade',
  'builddep',
  'group',
  'groups',
  'module',
  'swap',
  'upgrade-minimal',
  'update-minimal'
]);
const ZYPPER_INSTALLS = new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si', 'install-new-recommends', 'inr']);

const INDEX_DIRS: [Family, RegExp][] = [
  ['apt', /^\/var\/lib\/apt(\/lists)?\/?(\*)?$/],
  ['apk', /^\/var\/cache\/apk\/?(\*)?$/],
  ['rpm', /^\/var\/cache\/(yum|dnf|libdnf5)\/?(\*)?$/],
  ['zypper', /^\/var\/cache\/zypp\/?(\*)?$/]
];

function classify(cmd: ShellCommand): Step | undefined {
  for (const [family, re] of INDEX_DIRS) if (removesPath(cmd, (p) => re.test(p))) return { family, kind: 'discard', text: 'rm' };
  const apt = aptCall(cmd, ['apt-get', 'apt', 'aptitude']);
  if (apt?.sub) {
    if (apt.sub === 'update') return { family: 'apt', kind: 'refresh', text: `${apt.program} update` };
    if (APT_INSTALLS.has(apt.sub)) return { family: 'apt', kind: 'install', text: `${apt.program} ${apt.sub}` };
    if (apt.sub === 'dist-clean' || apt.sub === 'distclean') return { family: 'apt', kind: 'discard', text: apt.sub };
    return undefined;
  }
  // Image helpers that run `apt-get update && apt-get install -y … && clean` in one go: gitpod's
  // `install-packages`, Bitnami minideb's `install_packages`.
  if ((cmd.program === 'install-packages' || cmd.program === 'install_packages') && cmd.args.length > 0)
    return { family: 'apt', kind: 'install', text: cmd.program };
  const apk = apkCall(cmd);
  if (apk?.sub) {
    if (apk.sub === 'update') return { family: 'apk', kind: 'refresh', text: 'apk update' };
    if (APK_INSTALLS.has(apk.sub)) return { family: 'apk', kind: 'install', text: `apk ${apk.sub}` };
    return undefined;
  }
  const yum = yumCall(cmd);
  if (yum?.sub) {
    if (yum.sub === 'makecache') return { family: 'rpm', kind: 'refresh', text: `${yum.program} makecache` };
    if (RPM_INSTALLS.has(yum.sub)) return { family: 'rpm', kind: 'install', text: `${yum.program} ${yum.sub}` };
    if (yum.sub === 'clean' && (yum.operands.includes('all') || yum.operands.includes('metadata')))
      return { family: 'rpm', kind: 'discard', text: `${yum.program} clean` };
    return undefined;
  }
  const zypper = zypperCall(cmd);
  if (zypper?.sub) {
    if (zypper.sub === 'refresh' || zypper.sub === 'ref') return { family: 'zypper', kind: 'refresh', text: `zypper ${zypper.sub}` };
    if (ZYPPER_INSTALLS.has(zypper.sub)) return { family: 'zypper', kind: 'install', text: `zypper ${zypper.sub}` };
    if (zypper.sub === 'clean' || zypper.sub === 'cc') return { family: 'zypper', kind: 'discard', text: 'zypper clean' };
  }
  return undefined;
}

const FIX: Record<Family, (program: string) => string> = {
  apt: (p) =>
    p === 'aptitude' ? 'write `aptitude update && aptitude install -y ...` in one RUN' : 'write `apt-get update && apt-get install -y ...` in one RUN',
  apk: () => 'drop it and write `apk add --no-cache ...`, which fetches a fresh index itself',
  rpm: (p) => `drop it and write \`${p} install -y ...\`, which refreshes expired metadata itself`,
  zypper: () => 'write `zypper refresh && zypper install -y ...` in one RUN'
};

export default defineRule({
  meta: {
    id: 'update-alone',
    aliases: ['DS-0017', 'CKV_DOCKER_5'],
    severity: 'warning',
    title: 'Package index update without an install in the same RUN',
    description: [
      'Docker caches every `RUN` by its text. A `RUN apt-get update` on its own is built once and then reused for months, so a later `RUN apt-get install -y curl` installs from that stale index: changed packages fail with 404s, or an old version (security fixes included) is installed without any warning. The same goes for `apk update`, `dnf`/`yum makecache` and `zypper refresh`.',
      '',
      'Refresh the index and install in the same `RUN`, so that changing the package list also refreshes the index:',
      '',
      '```dockerfile',
      'RUN apt-get update \\',
      ' && apt-get install -y --no-install-recommends curl \\',
      ' && rm -rf /var/lib/apt/lists/*',
      '```',
      '',
      "The rule reports a refresh (`apt-get`/`apt`/`aptitude update`, `apk update`, `yum`/`dnf`/`microdnf makecache`, `zypper refresh`) that no install, upgrade or `add` of the same package manager follows in its `RUN`, unless the `RUN` deletes the index again (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`, `rm -rf /var/cache/apk/*`, `dnf clean all`, `zypper clean`). `apk add --no-cache` and `dnf install` fetch fresh metadata themselves and need no separate refresh. Installers that wrap `apt-get install` (gitpod's `install-packages`, minideb's `install_packages`) count as an install, and cross-compilation wrappers (`xx-apt-get`, `xx-apk`) as the tool they wrap. `yum update` upgrades packages and is not a refresh."
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*',
    tags: ['best-practice', 'reliability', 'cis:4.7']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      // The last refresh of each package manager must be followed by an install of that manager.
      const pending = new Map<Family, { cmd: ShellCommand; step: Step }>();
      for (const cmd of commands) {
        const step = classify(cmd);
        if (!step) continue;
        if (step.kind === 'refresh') pending.set(step.family, { cmd, step });
        else pending.delete(step.family);
      }
      for (const { cmd, step } of [...pending.values()].sort((a, b) => a.cmd.line - b.cmd.line)) {
        report({
          line: cmd.line,
          message: `\`${step.text}\` is not followed by an install in the same RUN, so later RUNs install from a stale cached index: ${FIX[step.family](step.text.split(' ')[0])}`
        });
      }
    }
  }
});
