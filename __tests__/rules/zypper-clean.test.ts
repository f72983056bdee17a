import rule from '../../src/core/rules/zypper-clean.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper install -y nginx && zypper clean',
    { name: 'zypper cc -a', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc -a' },
    { name: 'rm of the cache', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && rm -rf /var/cache/zypp' },
    { name: 'cache mount', code: 'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl' },
    { name: 'builder stage', code: 'FROM opensuse/leap:15.6 AS b\nRUN zypper -n in gcc\nFROM scratch\nCOPY --from=b /x /x' }
  ],
  invalid: [
    { code: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx', errors: [{ line: 2, message: 'zypper clean' }] },
    { name: 'clean before the last install', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in a && zypper clean && zypper -n in b', errors: [{ line: 2 }] }
  ]
});
