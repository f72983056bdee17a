import { defineRule } from './types.js';
import { repeatedInStage } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'multiple-healthcheck',
    aliases: ['DL3012', 'DS-0023'],
    severity: 'error',
    title: 'More than one HEALTHCHECK in a stage',
    description: [
      'Only the last `HEALTHCHECK` of a stage takes effect (`HEALTHCHECK NONE` included); earlier ones are silently discarded, so the probe that runs may not be the one a reader sees first.',
      '',
      'Keep a single `HEALTHCHECK` per stage. To check several things, combine them in one command or a small health script: `HEALTHCHECK CMD ["/usr/local/bin/healthcheck.sh"]`.',
      '',
      'The rule reports every `HEALTHCHECK` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `HEALTHCHECK` it overrides.'
    ].join('\n'),
    bad: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\nHEALTHCHECK CMD curl -fs http://localhost/health || exit 1',
    good: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/health || exit 1',
    tags: ['correctness', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list of repeatedInStage(model, 'HEALTHCHECK')) {
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1];
        report({
          line: list[k].line,
          column: list[k].column,
          message: `another HEALTHCHECK in this stage: it overrides the HEALTHCHECK at line ${prev.line}, which has no effect; keep only one HEALTHCHECK (combine the checks in one command or script)`
        });
      }
    }
  }
});
