import type { Severity } from '../finding.js';
import { defineRule } from './types.js';
import { repeatedInStage } from './util/misc.js';

const KINDS: { keyword: string; severity: Severity; advice: string }[] = [
  { keyword: 'CMD', severity: 'warning', advice: 'keep one CMD (run several processes from one start script)' },
  {
    keyword: 'ENTRYPOINT',
    severity: 'error',
    advice: 'keep one ENTRYPOINT (an entrypoint script that ends with exec "$@" can do the setup of both)'
  },
  { keyword: 'HEALTHCHECK', severity: 'error', advice: 'keep one HEALTHCHECK (combine the checks in one command or script)' }
];

export default defineRule({
  meta: {
    id: 'multiple-instructions',
    aliases: [
      'MultipleInstructionsDisallowed',
      'DL4003',
      'DL4004',
      'DL3012',
      'DS-0016',
      'DS-0007',
      'DS-0023',
      'multiple-cmd',
      'multiple-entrypoint',
      'multiple-healthcheck'
    ],
    severity: 'warning',
    title: 'More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage',
    description: [
      'An image has one `CMD`, one `ENTRYPOINT` and one `HEALTHCHECK`: only the last of each in a stage takes effect, and every earlier one is silently discarded (`HEALTHCHECK NONE` included). Several usually means a leftover from editing, or a belief that each `CMD` runs in turn, which it does not.',
      '',
      "Keep one of each at the end of the stage. The rule reports the instruction that has no effect, as BuildKit's `MultipleInstructionsDisallowed` does, and names the line that overrides it. A duplicate `ENTRYPOINT` or `HEALTHCHECK` is an error (hadolint DL4004, DL3012), a duplicate `CMD` a warning (DL4003). The `CMD` of a `HEALTHCHECK` and instructions under `ONBUILD` are not counted."
    ].join('\n'),
    differences:
      'hadolint reports the later, overriding instruction; container-guard reports the overridden one, where BuildKit does, because that is the line with no effect. A `# hadolint ignore=DL4003` comment therefore belongs above the first `CMD`. The three hadolint rules are one rule here (BuildKit has one check for the three instructions), so `DL4003`, `DL4004` and `DL3012` in a suppression or in the config each address all three.',
    bad: 'FROM python:3.12-slim\nCMD ["python", "migrate.py"]\nCMD ["python", "app.py"]',
    good: 'FROM python:3.12-slim\nCOPY start.sh /usr/local/bin/\nCMD ["start.sh"]',
    tags: ['correctness', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { keyword, severity, advice } of KINDS) {
      for (const list of repeatedInStage(model, keyword)) {
        for (let k = 0; k + 1 < list.length; k++) {
          report({
            line: list[k].line,
            column: list[k].column,
            endLine: list[k].endLine,
            severity,
            message: `Multiple ${keyword} instructions in one stage: this one has no effect, the ${keyword} at line ${list[k + 1].line} overrides it; ${advice}`
          });
        }
      }
    }
  }
});
