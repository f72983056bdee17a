import rule from '../../src/core/rules/world-writable-path.js';
import { imageFile, imageRuleTester } from '../helpers/image-rule-tester.js';

imageRuleTester(rule, {
  valid: [
    { name: 'normal modes', files: [imageFile('usr/bin/app', { mode: 0o755 }), imageFile('etc/app.conf', { mode: 0o644 })] },
    { name: 'sticky directories', files: [imageFile('usr/tmp', { type: 'dir', mode: 0o1777 })] },
    { name: 'outside system paths', files: [imageFile('tmp/x', { mode: 0o666 }), imageFile('home/app/data', { mode: 0o777 })] },
    { name: 'symlinks', files: [imageFile('usr/lib/libx.so', { type: 'symlink', mode: 0o777 })] }
  ],
  invalid: [
    { name: 'a file', files: [imageFile('opt/app/run.sh', { mode: 0o777 })], errors: [{ message: '/opt/app/run.sh is world-writable (mode 777)' }] },
    { name: 'a directory', files: [imageFile('etc/app', { type: 'dir', mode: 0o777 })], errors: [{ message: '/etc/app' }] },
    {
      name: 'one finding per layer and directory for a chmod -R',
      files: [imageFile('opt/app/a', { mode: 0o666 }), imageFile('opt/app/b', { mode: 0o666 }), imageFile('usr/x', { mode: 0o666, layer: 1 })],
      errors: [{ message: 'with 1 more entries under /opt/app' }, { message: '/usr/x' }]
    }
  ]
});
