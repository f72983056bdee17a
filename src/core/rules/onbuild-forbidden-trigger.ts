import { defineRule } from './types.js';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export default defineRule({
  meta: {
    id: 'onbuild-forbidden-trigger',
    aliases: ['DL3043'],
    severity: 'error',
    title: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER',
    description: [
      '`ONBUILD` records an instruction to run when another image builds `FROM` this one. `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed: the downstream build fails with "… isn\'t allowed as an ONBUILD trigger".',
      '',
      'Remove the trigger, or move the instruction out of `ONBUILD`. On by default although it is a hadolint rule: it is a build error, not a style question.'
    ].join('\n'),
    bad: 'FROM node:22\nONBUILD FROM node:22-alpine',
    good: 'FROM node:22\nONBUILD COPY . /app',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ONBUILD') continue;
      const trigger = (instr.rest.trim().split(/\s+/)[0] ?? '').toUpperCase();
      if (!FORBIDDEN.has(trigger)) continue;
      report({
        line: instr.line,
        column: instr.column,
        message: `${trigger} isn't allowed as an ONBUILD trigger: the build FROM this image fails; remove it or move it out of ONBUILD`
      });
    }
  }
});
