import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { STAGES_OPTIONS_DOC, STAGES_OPTIONS_SCHEMA, mountCovers, removesPath, runInfos, shippedStages, yumCall, type ParsedCall } from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

const INSTALLS = new Set([
  'install',
  'in',
  'groupinstall',
  'localinstall',
  'reinstall',
  'rei',
  'update',
  'upgrade',
  'up',
  'update-minimal',
  'upgrade-minimal',
  'up-min',
  'downgrade',
  'dg',
  'distro-sync',
  'distrosync',
  'dsync',
  'swap',
  'builddep',
  'groupupdate'
]);
const NESTED: Record<string, Set<string>> = {
  group: new Set(['install', 'upgrade', 'update']),
  groups: new Set(['install', 'upgrade', 'update']),
  module: new Set(['install', 'update', 'upgrade', 'switch-to'])
};
const CACHE_DIRS = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/tdnf'];
const CACHE_RE = /^\/var\/cache\/(yum|dnf|libdnf5|tdnf)(\/\*?|\*)?$/;

function installs(call: ParsedCall): string | undefined {
  if (!call.sub) return undefined;
  if (INSTALLS.has(call.sub)) return call.sub;
  const nested = NESTED[call.sub];
  const next = call.operands[0];
  return nested && next !== undefined && nested.has(next) ? `${call.sub} ${next}` : undefined;
}

function cleans(cmd: ShellCommand): boolean {
  const call = yumCall(cmd);
  if (call?.sub === 'clean') return call.operands.includes('all');
  return removesPath(cmd, (p) => CACHE_RE.test(p) || p === '/var/cache/*');
}

export default defineRule<Options>({
  meta: {
    id: 'yum-clean',
    aliases: ['DL3032', 'DL3040', 'DS-0015', 'DS-0019'],
    severity: 'note',
    title: 'yum/dnf install without clean all',
    description: [
      '`yum` and `dnf` keep the repository metadata (often 100 MB and more) and, depending on `keepcache`, the downloaded packages in `/var/cache/yum` or `/var/cache/dnf` (`/var/cache/libdnf5` with dnf5). Unless the same `RUN` removes them, they stay in the image layer for good; a later `RUN` cannot make the image smaller.',
      '',
      'End the `RUN` that installs with `yum clean all` / `dnf clean all` (`microdnf clean all`, `tdnf clean all`), or `rm -rf /var/cache/dnf`, after the last install; or keep the cache out of the image with a cache mount, `RUN --mount=type=cache,target=/var/cache/dnf dnf install -y ...`.',
      '',
      'Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger.'
    ].join('\n'),
    bad: 'FROM rockylinux:9\nRUN dnf install -y nginx',
    good: 'FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      if (CACHE_DIRS.some((d) => mountCovers(instr, d))) continue;
      // The first install after the last clean leaves its cache behind.
      let pending: { cmd: ShellCommand; text: string; program: string } | undefined;
      for (const cmd of commands) {
        if (cleans(cmd)) {
          pending = undefined;
          continue;
        }
        const call = yumCall(cmd);
        const what = call && installs(call);
        if (call && what && !pending) pending = { cmd, text: `${call.program} ${what}`, program: call.program };
      }
      if (!pending) continue;
      report({
        line: pending.cmd.line,
        message: `\`${pending.text}\` leaves the package cache and metadata in this layer: end the same RUN with \`${pending.program} clean all\``
      });
    }
  }
});
