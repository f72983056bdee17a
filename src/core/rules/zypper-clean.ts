import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { STAGES_OPTIONS_DOC, STAGES_OPTIONS_SCHEMA, mountCovers, removesPath, runInfos, shippedStages, zypperCall } from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

const INSTALLS = new Set(['install', 'in', 'update', 'up', 'patch', 'dist-upgrade', 'dup', 'source-install', 'si']);

function cleans(cmd: ShellCommand): boolean {
  const call = zypperCall(cmd);
  if (call?.sub === 'clean' || call?.sub === 'cc') return true;
  return removesPath(cmd, (p) => /^\/var\/cache\/zypp(\/|\/\*)?$/.test(p) || p === '/var/cache/*');
}

export default defineRule<Options>({
  meta: {
    id: 'zypper-clean',
    aliases: ['DL3036', 'DS-0020'],
    severity: 'note',
    enabledByDefault: false,
    title: 'zypper install without zypper clean',
    description: [
      '`zypper` keeps repository metadata and downloaded packages in `/var/cache/zypp`. Unless the same `RUN` removes them, they stay in the image layer for good.',
      '',
      'End the `RUN` that installs with `zypper clean` (or `zypper cc`), or keep the cache out of the image with `RUN --mount=type=cache,target=/var/cache/zypp`. Only stages that ship are checked (see `all-stages`). Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx',
    good: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx && zypper clean',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      if (mountCovers(instr, '/var/cache/zypp')) continue;
      let pending: ShellCommand | undefined;
      for (const cmd of commands) {
        const call = zypperCall(cmd);
        if (call?.sub && INSTALLS.has(call.sub)) pending = cmd;
        else if (pending && cleans(cmd)) pending = undefined;
      }
      if (pending) report({ line: pending.line, message: 'zypper leaves its cache in /var/cache/zypp: end this RUN with `&& zypper clean`' });
    }
  }
});
