import { KNOWN_INSTRUCTIONS } from '../dockerfile/model.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'invalid-instruction-order',
    aliases: ['DL3061'],
    severity: 'error',
    title: 'A Dockerfile must start with FROM (or ARG)',
    description: [
      'Every build instruction runs inside a stage, and a stage starts with `FROM`. Before the first `FROM` only parser directives (`# syntax=…`, `# escape=…`), comments and `ARG` (to parameterize `FROM`) are allowed; anything else is rejected by the builder.',
      '',
      'Move the instruction after the first `FROM`. If it sets a value that `FROM` needs, turn it into a global `ARG`.'
    ].join('\n'),
    bad: 'LABEL org.opencontainers.image.source="https://github.com/acme/app"\nFROM alpine:3.20',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/acme/app"',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    const hasFrom = model.stages.length > 0;
    for (const instr of model.instructions) {
      if (instr.keyword === 'FROM') break;
      // Unknown keywords are reported by the engine; ARG may precede FROM.
      if (instr.keyword === 'ARG' || !KNOWN_INSTRUCTIONS.has(instr.keyword)) continue;
      if (!hasFrom) {
        report({
          line: instr.line,
          column: instr.column,
          message: `${instr.keyword} comes before any FROM, and this Dockerfile has no FROM at all; start it with FROM <image>:<version> (only ARG and parser directives may come before it)`
        });
        return;
      }
      const hint = instr.keyword === 'ENV' ? '; if FROM needs the value, use a global ARG instead' : '';
      report({
        line: instr.line,
        column: instr.column,
        message: `${instr.keyword} comes before the first FROM; only ARG and parser directives may come before FROM: move it after FROM${hint}`
      });
    }
  }
});
