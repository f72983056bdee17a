import rule from '../../src/core/rules/chmod-777.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a temp dir opened for APT and removed in the same RUN',
      code: 'FROM debian:12\nRUN tempDir="$(mktemp -d)" \\\n && chmod 777 "$tempDir" \\\n && apt-get source nginx \\\n && rm -rf "$tempDir"'
    },
    { name: 'a build tree removed through its parent', code: 'FROM debian:12\nRUN chmod -R 777 /tmp/build/out && make && rm -rf /tmp/build' },
    'FROM alpine:3.20\nRUN chmod 755 /app && chmod -R 644 /app/conf',
    { name: 'sticky temp dir', code: 'FROM alpine:3.20\nRUN mkdir -p /scratch && chmod 1777 /scratch && chmod a+rwxt /tmp2' },
    { name: 'symbolic without who follows the umask', code: 'FROM alpine:3.20\nRUN chmod +x /entrypoint.sh && chmod u+w,g+w /data && chmod o-w /x' },
    { name: 'group-writable only', code: 'FROM alpine:3.20\nRUN chmod 775 /data && chmod -R g=u /data' },
    { name: 'COPY with a safe --chmod', code: 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/' },
    { name: 'mkdir -m 750', code: 'FROM alpine:3.20\nRUN mkdir -pm 750 /data && install -m 0644 a /b' },
    { name: 'chmod --reference', code: 'FROM alpine:3.20\nRUN chmod --reference=/a /b' }
  ],
  invalid: [
    { name: 'only one of two targets removed', code: 'FROM debian:12\nRUN chmod 777 /tmp/a /srv/data && rm -rf /tmp/a', errors: [{ line: 2 }] },
    {
      name: 'removed before the chmod does not count',
      code: 'FROM debian:12\nRUN rm -rf /srv/data && mkdir /srv/data && chmod 777 /srv/data',
      errors: [{ line: 2 }]
    },
    { code: 'FROM alpine:3.20\nRUN chmod 777 /app', errors: [{ line: 2, message: 'chmod 777 makes /app world-writable' }] },
    {
      name: 'recursive, sudo, continuation',
      code: 'FROM alpine:3.20\nRUN mkdir /data \\\n && sudo chmod -R 0777 /data',
      errors: [{ line: 3, message: '1777 (sticky bit)' }]
    },
    {
      name: 'symbolic a+rwx and o+w',
      code: 'FROM alpine:3.20\nRUN chmod -R a+rwx /srv && chmod o+w /etc/app.conf && chmod u=rwx,go=rwx /x',
      errors: [
        { line: 2, message: 'a+rwx' },
        { line: 2, message: 'o+w' },
        { line: 2, message: 'go=rwx' }
      ]
    },
    { name: 'world-writable file mode', code: 'FROM alpine:3.20\nRUN chmod 666 /var/run/app.sock', errors: [{ line: 2, message: 'chmod 666' }] },
    {
      name: 'COPY and ADD --chmod',
      code: 'FROM alpine:3.20\nCOPY --chmod=777 app /app\nADD --chmod=a+rwx https://x.example/f /f',
      errors: [
        { line: 2, message: 'COPY --chmod=777' },
        { line: 3, message: 'ADD --chmod=a+rwx' }
      ]
    },
    {
      name: 'mkdir -m and install -m',
      code: 'FROM alpine:3.20\nRUN mkdir -p -m 777 /shared && install -m0777 -d /d',
      errors: [
        { line: 2, message: 'mkdir -m 777 makes /shared' },
        { line: 2, message: 'install -m 0777' }
      ]
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\nchmod 777 /app\nEOF', errors: [{ line: 4 }] }
  ]
});
