import { defineRule } from './types.js';
import { flagPosition } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'redundant-target-platform',
    aliases: ['RedundantTargetPlatform'],
    severity: 'note',
    title: 'FROM --platform=$TARGETPLATFORM is the default',
    description:
      "A stage is built for the target platform unless told otherwise, so `--platform=$TARGETPLATFORM` on `FROM` changes nothing and suggests a cross-build that is not there. BuildKit's `RedundantTargetPlatform` check reports it: drop the flag, or write `--platform=$BUILDPLATFORM` for a stage that should run on the build machine.",
    bad: 'FROM --platform=$TARGETPLATFORM alpine:3.20',
    good: 'FROM alpine:3.20',
    tags: ['style']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const flag = stage.instruction.flags.find((f) => f.name === 'platform');
      if (!flag?.value || !/^\$\{?TARGETPLATFORM\}?$/.test(flag.value.trim())) continue;
      const pos = flagPosition(stage.instruction, 'platform');
      report({
        line: pos.line,
        column: pos.column,
        message: `Setting platform to predefined ${flag.value} in FROM is redundant as this is the default behavior: remove --platform=${flag.value}`
      });
    }
  }
});
