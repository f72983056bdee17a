import { defineRule } from './types.js';
import { classifyFrom, describeSource, fromSources, isTemplated } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'copy-from-self',
    aliases: ['DL3023', 'DS-0006'],
    severity: 'error',
    title: 'COPY --from must not reference its own stage',
    description: [
      'A stage cannot copy from (or mount) itself: its filesystem does not exist yet while it is being built. BuildKit fails with a circular dependency error; older builders fail or copy from the wrong place.',
      '',
      "Copy from an earlier stage that produced the files, or drop `--from` to copy from the build context. The reference may be the stage's name (compared case-insensitively) or its index."
    ].join('\n'),
    bad: 'FROM golang:1.23 AS build\nCOPY --from=build /src /src',
    good: 'FROM golang:1.23 AS build\nCOPY . /src',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const src of fromSources(model)) {
      if (src.what === 'COPY --from' && src.hasVariables) continue;
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const target = classifyFrom(model, src.resolved);
      if (target.kind !== 'stage' || target.stage.index !== src.instr.stage) continue;
      const own = target.stage;
      const name = target.byIndex ? `stage ${own.index}` : `stage "${own.name}"`;
      const fix =
        src.what === 'COPY --from'
          ? 'copy from an earlier stage that builds the files, or drop --from to copy from the build context'
          : 'mount an earlier stage instead';
      report({
        line: src.position.line,
        column: src.position.column,
        message: `${describeSource(src)} refers to its own ${name} (FROM on line ${own.instruction.line}); a stage cannot use itself: ${fix}`
      });
    }
  }
});
