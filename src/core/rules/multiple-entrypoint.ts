import { defineRule } from './types.js';
import { repeatedInStage } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'multiple-entrypoint',
    aliases: ['DL4004', 'DS-0007'],
    severity: 'error',
    title: 'More than one ENTRYPOINT in a stage',
    description: [
      'Only the last `ENTRYPOINT` of a stage takes effect; earlier ones are silently discarded. The image then starts a different program than a reader of the first `ENTRYPOINT` expects.',
      '',
      'Keep one `ENTRYPOINT` per stage. If several steps must run at start-up, put them in one entrypoint script that ends with `exec "$@"`.',
      '',
      'The rule reports every `ENTRYPOINT` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `ENTRYPOINT` it overrides.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nENTRYPOINT ["/usr/local/bin/init.sh"]\nENTRYPOINT ["/usr/local/bin/app"]',
    good: 'FROM alpine:3.20\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["app"]',
    tags: ['correctness', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list of repeatedInStage(model, 'ENTRYPOINT')) {
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1];
        report({
          line: list[k].line,
          column: list[k].column,
          message: `another ENTRYPOINT in this stage: it overrides the ENTRYPOINT at line ${prev.line}, which has no effect; keep only one ENTRYPOINT (a script ending in exec "$@" can run several steps)`
        });
      }
    }
  }
});
