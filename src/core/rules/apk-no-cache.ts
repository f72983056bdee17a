import { defineRule } from './types.js';
import { STAGES_OPTIONS_DOC, STAGES_OPTIONS_SCHEMA, apkCall, hasOpt, mountCovers, removesPath, runInfos, shippedStages } from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

const APK_CACHE = '/var/cache/apk';

function coversCache(path: string): boolean {
  return /^\/var\/cache\/apk\/?(\*)?$/.test(path);
}

export default defineRule<Options>({
  meta: {
    id: 'apk-no-cache',
    aliases: ['DL3019', 'DS-0025'],
    severity: 'note',
    title: 'apk add without --no-cache',
    description: [
      '`apk add` (and `apk update`, `apk add --update`) stores the package index in `/var/cache/apk`. Unless the same `RUN` deletes it, every image carries a few MB of index that nothing at run time needs.',
      '',
      'Write `apk add --no-cache <packages>`: apk fetches a fresh index into memory, installs, and leaves nothing behind, so `apk update` and `--update` are no longer needed either. Alternatives: end the `RUN` with `rm -rf /var/cache/apk/*`, or use a cache mount, `RUN --mount=type=cache,target=/var/cache/apk apk add ...` (the cache then speeds up rebuilds and stays out of the image).',
      '',
      'Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nRUN apk update && apk add curl',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      if (mountCovers(instr, APK_CACHE) || mountCovers(instr, '/etc/apk/cache')) continue;
      let reported = false;
      commands.forEach((cmd, k) => {
        if (reported) return; // one finding per RUN (the same advice again would be dropped anyway)
        const call = apkCall(cmd);
        // `--no-network` installs from what is already there and fetches no index.
        if (!call || call.sub !== 'add' || hasOpt(call, 'no-cache', 'no-network')) return;
        if (commands.slice(k + 1).some((c) => removesPath(c, coversCache))) return;
        reported = true;
        report({
          line: cmd.line,
          message: '`apk add` leaves the package index in /var/cache/apk: write `apk add --no-cache` (no `apk update` needed)'
        });
      });
    }
  }
});
