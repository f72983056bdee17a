import rule from '../../src/core/rules/multiple-healthcheck.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1',
    { name: 'one per stage', code: 'FROM nginx:1.27 AS a\nHEALTHCHECK NONE\nFROM a\nHEALTHCHECK CMD ["/probe"]' },
    { name: 'none at all', code: 'FROM nginx:1.27\nCMD ["nginx"]' },
    { name: 'ONBUILD HEALTHCHECK', code: 'FROM nginx:1.27\nONBUILD HEALTHCHECK NONE\nHEALTHCHECK CMD ["/probe"]' }
  ],
  invalid: [
    { code: 'FROM nginx:1.27\nHEALTHCHECK CMD ["/a"]\nHEALTHCHECK CMD ["/b"]', errors: [{ line: 3, message: 'overrides the HEALTHCHECK at line 2' }] },
    { name: 'NONE counts', code: 'FROM nginx:1.27\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD ["/b"]', errors: [{ line: 3 }] },
    {
      name: 'multi-line with flags',
      code: 'FROM nginx:1.27\nHEALTHCHECK --interval=30s \\\n  CMD curl -fs http://localhost/ || exit 1\nhealthcheck CMD ["/b"]',
      errors: [{ line: 4, message: 'line 2' }]
    },
    { name: 'three', code: 'FROM nginx:1.27\nHEALTHCHECK NONE\nHEALTHCHECK NONE\nHEALTHCHECK NONE', errors: [{ line: 3 }, { line: 4 }] }
  ]
});
