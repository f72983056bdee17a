import rule from '../../src/core/rules/zypper-dist-upgrade.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM opensuse/leap:15.6\nRUN zypper --non-interactive install -y nginx=1.21.5', 'FROM opensuse/leap:15.6\nRUN zypper up -y'],
  invalid: [
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive dist-upgrade',
      errors: [{ line: 2, message: 'zypper dist-upgrade upgrades the whole distribution' }]
    },
    { name: 'dup', code: 'FROM opensuse/tumbleweed\nRUN zypper -n dup', errors: [{ line: 2, message: 'zypper dup' }] }
  ]
});
