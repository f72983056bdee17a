import rule from '../../src/core/rules/zypper-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper install -y nginx=1.21.5 && zypper clean',
    { name: 'range', code: 'FROM opensuse/leap:15.6\nRUN zypper in -y "curl>=8"' },
    { name: 'pattern', code: 'FROM opensuse/leap:15.6\nRUN zypper in -y -t pattern devel_basis' },
    { name: 'local rpm', code: 'FROM opensuse/leap:15.6\nRUN zypper in -y ./x.rpm' }
  ],
  invalid: [{ code: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx && zypper clean', errors: [{ line: 2, message: 'write `nginx=<version>`' }] }]
});
