import { defineRule } from './types.js';
import { asWordIndex, wordPosition } from './util/stages.js';

const RESERVED = new Set(['scratch', 'context']);

export default defineRule({
  meta: {
    id: 'reserved-stage-name',
    aliases: ['ReservedStageName', 'DL3063'],
    severity: 'warning',
    title: 'Stage names must not be reserved words',
    description: [
      '`scratch` names the empty image and `context` the build context in `COPY --from` and `RUN --mount=from`; a stage with either name is shadowed or shadows them, so `COPY --from=scratch` or `--from=context` does not do what it reads. BuildKit (`ReservedStageName`) and hadolint (DL3063) report such stages.',
      '',
      'Give the stage another name: `FROM alpine:3.20 AS base`.'
    ].join('\n'),
    bad: 'FROM alpine:3.20 AS scratch',
    good: 'FROM alpine:3.20 AS base',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      if (!stage.name || !RESERVED.has(stage.name)) continue;
      const pos = wordPosition(stage.instruction, asWordIndex(stage.instruction) + 1);
      report({
        line: pos.line,
        column: pos.column,
        message: `'${stage.name}' is reserved and should not be used as a stage name: rename the stage (and every --from that names it)`
      });
    }
  }
});
