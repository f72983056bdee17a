import rule from '../../src/core/rules/pointless-commands.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-client vim procps',
    { name: 'names as arguments', code: 'FROM debian:12\nRUN echo ssh vim top && apk add ps' },
    { name: 'similar names', code: 'FROM debian:12\nRUN ssh-keygen -A && ssh-keyscan github.com >> /k && killall -q x || true && topgrade --version' },
    { name: 'exec form is not parsed', code: 'FROM debian:12\nRUN ["service", "x", "start"]' },
    { name: 'CMD is not RUN', code: 'FROM debian:12\nCMD service nginx start' }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN service nginx start', errors: [{ line: 2, message: 'service makes no sense in a RUN step: services started in RUN stop' }] },
    {
      name: 'several on continuation lines',
      code: 'FROM debian:12\nRUN ps aux \\\n && free -m \\\n && top -bn1',
      errors: [
        { line: 2, message: 'ps' },
        { line: 3, message: 'free' },
        { line: 4, message: 'top' }
      ]
    },
    {
      name: 'through sudo, with path',
      code: 'FROM debian:12\nRUN sudo /bin/mount -t tmpfs none /mnt && /sbin/ifconfig',
      errors: [
        { line: 2, message: 'RUN --mount' },
        { line: 2, message: 'ifconfig' }
      ]
    },
    {
      name: 'ssh and vim in a heredoc',
      code: 'FROM debian:12\nRUN <<EOF\nssh git@example.com true\nvim -c wq /etc/x\nkill 1\nshutdown -h now\nEOF',
      errors: [
        { line: 3, message: 'type=ssh' },
        { line: 4, message: 'sed -i' },
        { line: 5, message: 'kill' },
        { line: 6, message: 'shutdown' }
      ]
    }
  ]
});
