import rule from '../../src/core/rules/setuid-binary.js';
import { imageFile, imageRuleTester } from '../helpers/image-rule-tester.js';

imageRuleTester(rule, {
  valid: [
    { name: 'the distribution ones', files: [imageFile('usr/bin/passwd', { mode: 0o4755 }), imageFile('usr/bin/wall', { mode: 0o2755 })] },
    { name: 'ordinary executables', files: [imageFile('usr/local/bin/app', { mode: 0o755 })] },
    { name: 'allowed by option', files: [imageFile('usr/local/bin/helper', { mode: 0o4755 })], options: { allow: ['/usr/local/bin/helper'] } },
    { name: 'removed by a later layer', files: [imageFile('usr/local/bin/x', { mode: 0o4755, deletedInLayer: 1 })] },
    { name: 'a setuid-looking directory', files: [imageFile('srv/shared', { type: 'dir', mode: 0o2775 })] }
  ],
  invalid: [
    {
      name: 'setuid root shell',
      files: [imageFile('usr/local/bin/rootsh', { mode: 0o4755 })],
      errors: [{ file: 'registry.test/app:1!/usr/local/bin/rootsh', message: 'is setuid (mode 4755, owner 0:0)' }]
    },
    { name: 'setgid', files: [imageFile('opt/tool', { mode: 0o2755, gid: 5 })], errors: [{ message: 'is setgid' }] },
    { name: 'both', files: [imageFile('opt/both', { mode: 0o6755 })], errors: [{ message: 'setuid+setgid' }] }
  ]
});
