import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'maintainer-deprecated',
    aliases: ['DL4000', 'DS-0022', 'CKV_DOCKER_6', 'MaintainerDeprecated'],
    severity: 'note',
    title: 'MAINTAINER is deprecated',
    description:
      'The `MAINTAINER` instruction is deprecated since Docker 1.13. Use the OCI label `org.opencontainers.image.authors` instead, which tools and registries can read.',
    bad: 'FROM alpine:3.20\nMAINTAINER jane@example.com',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="jane@example.com"',
    tags: ['maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'MAINTAINER') continue;
      const who = instr.rest.trim().replace(/"/g, '\\"');
      report({
        line: instr.line,
        column: instr.column,
        message: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead',
        fix: { line: instr.line, endLine: instr.endLine, replacement: `LABEL org.opencontainers.image.authors="${who}"` }
      });
    }
  }
});
