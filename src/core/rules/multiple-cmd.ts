import { defineRule } from './types.js';
import { repeatedInStage } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'multiple-cmd',
    aliases: ['DL4003', 'DS-0016', 'MultipleInstructionsDisallowed'],
    severity: 'warning',
    title: 'More than one CMD in a stage',
    description: [
      'Only the last `CMD` of a stage takes effect; every earlier one is silently discarded. Having several usually means a leftover from editing, or a belief that each `CMD` runs in turn, which it does not.',
      '',
      'Keep a single `CMD` at the end of the stage. To run several processes, start them from one entrypoint script or use a process supervisor; to run something at build time, use `RUN`.',
      '',
      'The rule reports every `CMD` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `CMD` it overrides.'
    ].join('\n'),
    bad: 'FROM python:3.12-slim\nCMD ["python", "migrate.py"]\nCMD ["python", "app.py"]',
    good: 'FROM python:3.12-slim\nCOPY start.sh /usr/local/bin/\nCMD ["start.sh"]',
    tags: ['correctness', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list of repeatedInStage(model, 'CMD')) {
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1];
        report({
          line: list[k].line,
          column: list[k].column,
          message: `another CMD in this stage: it overrides the CMD at line ${prev.line}, which has no effect; keep only one CMD (merge them into one start script)`
        });
      }
    }
  }
});
