import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { STAGES_OPTIONS_DOC, STAGES_OPTIONS_SCHEMA, aptCall, mountCovers, removesPath, runInfos, shippedStages } from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

const LISTS = '/var/lib/apt/lists';

/**
 * `/var/lib/apt/lists/*`, `/var/lib/apt/lists`, `/var/lib/apt/*`, `/var/lib/apt`, and any glob that empties the
 * lists: every index file is named `<host>_<path>_<file>`, so `*_*`, `*.*`, `*_*.*` remove them all (what stays,
 * `lock` and `partial/`, is empty).
 */
function coversLists(path: string): boolean {
  const p = path.replace(/\/+$/, '').replace(/\/{2,}/g, '/');
  if (p === LISTS || p === '/var/lib/apt' || /^\/var\/lib\/apt\/\*+$/.test(p)) return true;
  const under = p.startsWith(`${LISTS}/`) ? p.slice(LISTS.length + 1) : undefined;
  return under !== undefined && !under.startsWith('.') && /^[*?_.]*\*[*?_.]*$/.test(under);
}

/** `rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean` (apt 2.7+ also deletes the lists). */
function cleansLists(cmd: ShellCommand): boolean {
  if (removesPath(cmd, coversLists)) return true;
  const call = aptCall(cmd, ['apt-get', 'apt']);
  return call?.sub === 'dist-clean' || call?.sub === 'distclean';
}

function isIndexUpdate(cmd: ShellCommand): boolean {
  const call = aptCall(cmd, ['apt-get', 'apt', 'aptitude']);
  return call?.sub === 'update';
}

export default defineRule<Options>({
  meta: {
    id: 'apt-lists-cleanup',
    aliases: ['DL3009'],
    severity: 'note',
    title: 'apt lists left in the image',
    description: [
      '`apt-get update` downloads the package index to `/var/lib/apt/lists` (tens of MB). When the same `RUN` does not delete it, the index is stored in that layer forever: a later `RUN rm` hides the files but does not make the image smaller.',
      '',
      'End the `RUN` that runs `apt-get update` with `rm -rf /var/lib/apt/lists/*`:',
      '',
      '```dockerfile',
      'RUN apt-get update \\',
      ' && apt-get install -y --no-install-recommends curl \\',
      ' && rm -rf /var/lib/apt/lists/*',
      '```',
      '',
      '(any `rm` that empties the lists counts, globs such as `/var/lib/apt/lists/*_*` included; `apt-get dist-clean`, apt 2.7 and later, deletes the lists too), or keep the index out of the layer with a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists ...` (a cache or tmpfs mount on `/var/lib/apt` works too). The removal must come after the last update of the `RUN`.',
      '',
      'Only stages that ship are checked (see `all-stages`), as hadolint does: the files of a builder stage reach the image only through `COPY --from`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      if (mountCovers(instr, LISTS)) continue;
      let lastUpdate = -1;
      commands.forEach((c, k) => {
        if (isIndexUpdate(c)) lastUpdate = k;
      });
      if (lastUpdate < 0) continue;
      if (commands.slice(lastUpdate + 1).some(cleansLists)) continue;
      const update = commands[lastUpdate];
      report({
        line: update.line,
        message: `\`${update.program} update\` leaves the package lists in this layer: end the same RUN with \`rm -rf /var/lib/apt/lists/*\``
      });
    }
  }
});
