import rule from '../../src/core/rules/chpasswd.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'user without a password', code: 'FROM ubuntu:24.04\nRUN useradd -m app\nUSER app' },
    { name: 'the word in an argument', code: 'FROM ubuntu:24.04\nRUN echo chpasswd && dpkg -S chpasswd' },
    { name: 'locking an account', code: 'FROM ubuntu:24.04\nRUN passwd -l root' },
    { name: 'in a comment', code: 'FROM ubuntu:24.04\n# RUN echo "root:x" | chpasswd\nRUN true' }
  ],
  invalid: [
    {
      name: 'piped password',
      code: 'FROM ubuntu:24.04\nRUN echo "root:changeme" | chpasswd',
      errors: [{ line: 2, message: 'create the user without a password' }]
    },
    { name: 'pre-hashed with -e', code: "FROM ubuntu:24.04\nRUN echo 'app:$6$salt$hash' | chpasswd -e", errors: [{ line: 2 }] },
    { name: 'absolute path and sudo', code: 'FROM ubuntu:24.04\nRUN echo "a:b" | sudo /usr/sbin/chpasswd', errors: [{ line: 2 }] },
    { name: 'here-string', code: 'FROM ubuntu:24.04\nRUN chpasswd <<< "app:pw"', errors: [{ line: 2 }] },
    { name: 'continuation lines', code: 'FROM ubuntu:24.04\nRUN useradd -m app && \\\n    echo "app:pw" | \\\n    chpasswd', errors: [{ line: 4 }] },
    { name: 'heredoc RUN', code: 'FROM ubuntu:24.04\nRUN <<EOF\nuseradd -m app\necho "app:pw" | chpasswd\nEOF', errors: [{ line: 4 }] },
    { name: 'build stage too', code: 'FROM ubuntu:24.04 AS b\nRUN echo "a:b" | chpasswd\nFROM ubuntu:24.04', errors: [{ line: 2 }] }
  ]
});
