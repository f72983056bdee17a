import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'consecutive-run',
    aliases: ['DL3059'],
    severity: 'note',
    enabledByDefault: false,
    title: 'Consecutive RUN instructions could be one',
    description: [
      'Each `RUN` makes a layer. Consecutive `RUN`s that belong together (install, configure, clean up) are better as one, joined with `&&`: files deleted by a later `RUN` still ship in the earlier layer.',
      '',
      '`RUN`s with different flags (`--mount`, `--network`, `--security`) are not reported: they cannot simply be merged. Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    tags: ['style', 'image-size']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const list = stage.instructions;
      for (let k = 1; k < list.length; k++) {
        const [prev, cur] = [list[k - 1], list[k]];
        if (prev.keyword !== 'RUN' || cur.keyword !== 'RUN') continue;
        const flags = (i: typeof cur) => i.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
        if (flags(prev) !== flags(cur)) continue;
        report({ line: cur.line, column: cur.column, message: `RUN right after the RUN at line ${prev.line}: consider joining them with && into one layer` });
      }
    }
  }
});
