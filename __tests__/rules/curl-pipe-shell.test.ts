import rule from '../../src/core/rules/curl-pipe-shell.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sha256sum -c sums && sh /tmp/i.sh',
    { name: 'download piped into tar', code: 'FROM debian:12\nRUN curl -fsSL https://x.example/a.tgz | tar -xz -C /opt' },
    {
      name: 'JSON parsed by python -c',
      code: "FROM python:3.12\nRUN curl -s https://api.example/v | python3 -c 'import json,sys; print(json.load(sys.stdin))'"
    },
    { name: 'python -m json.tool', code: 'FROM python:3.12\nRUN curl -s https://api.example/v | python -m json.tool' },
    { name: 'interpreter runs its own script file', code: 'FROM debian:12\nRUN curl -s https://api.example/v | bash ./parse.sh' },
    { name: 'curl writes to a file', code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x https://x.example/x | sh' },
    { name: 'wget to a file', code: 'FROM debian:12\nRUN wget -O /tmp/key https://x.example/key | sh' },
    { name: 'shell pipes into curl', code: 'FROM debian:12\nRUN sh -c "echo hi" | curl -d @- https://x.example/' },
    {
      name: 'substitution used as data',
      code: 'FROM debian:12\nRUN echo "$(curl -fsSL https://x.example/v)" > /v && sh -c "echo $(curl -s https://x.example/v)"'
    },
    { name: 'gpg key piped into gpg', code: 'FROM debian:12\nRUN wget -qO- https://x.example/key.asc | gpg --dearmor -o /k.gpg' }
  ],
  invalid: [
    {
      name: 'bash /dev/stdin',
      code: 'FROM debian:12\nRUN curl -fsSL https://get.example.com | bash /dev/stdin --version 1.2',
      errors: [{ line: 2, message: 'curl output is piped into bash' }]
    },
    {
      name: 'sh -s with arguments',
      code: 'FROM debian:12\nRUN curl -fsSL https://sh.rustup.rs | sh -s -- -y',
      errors: [{ line: 2, message: 'piped into sh' }]
    },
    {
      name: 'python3 -',
      code: 'FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | python3 -',
      errors: [{ line: 2, message: 'piped into python3' }]
    },
    {
      name: 'python3 - with arguments',
      code: 'FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | python3 - --version 1.8.3',
      errors: [{ line: 2 }]
    },
    {
      name: 'bash /dev/fd/0',
      code: 'FROM debian:12\nRUN wget -qO- https://get.example.com | bash /dev/fd/0',
      errors: [{ line: 2, message: 'wget output is piped into bash' }]
    },
    { code: 'FROM debian:12\nRUN curl -fsSL https://get.example.com | sh', errors: [{ line: 2, message: 'curl output is piped into sh' }] },
    {
      name: 'wget -O- into sudo bash -s --',
      code: 'FROM debian:12\nRUN wget -O- https://x.example/i.sh | sudo bash -s -- --yes',
      errors: [{ line: 2, message: 'sudo bash' }]
    },
    {
      name: 'through tee, on a continuation line',
      code: 'FROM debian:12\nRUN apt-get update \\\n && curl -sL https://deb.example/setup | tee /tmp/log | bash -',
      errors: [{ line: 3, message: 'bash' }]
    },
    {
      name: 'python and node from stdin',
      code: 'FROM debian:12\nRUN curl -sSL https://install.python-poetry.org | python3 - && curl -fsSL https://x.example/i.js | node',
      errors: [
        { line: 2, message: 'python3' },
        { line: 2, message: 'node' }
      ]
    },
    {
      name: 'shell options with values',
      code: 'FROM debian:12\nRUN curl -fsSL https://x.example/i.sh | bash -eo pipefail',
      errors: [{ line: 2, message: 'piped into bash' }]
    },
    {
      name: 'process substitution',
      code: 'FROM debian:12\nRUN bash <(curl -fsSL https://x.example/i.sh)',
      errors: [{ line: 2, message: 'process substitution' }]
    },
    {
      name: 'sh -c with command substitution',
      code: 'FROM debian:12\nRUN sh -c "$(curl -fsSL https://raw.example/ohmyzsh/install.sh)"',
      errors: [{ line: 2, message: 'command substitution' }]
    },
    {
      name: 'eval and source',
      code: 'FROM debian:12\nRUN eval "$(wget -qO- https://x.example/env)" && . <(curl -s https://x.example/rc)',
      errors: [
        { line: 2, message: 'eval' },
        { line: 2, message: '.' }
      ]
    },
    { name: 'inside sh -c', code: "FROM debian:12\nRUN sh -c 'curl -fsSL https://x.example/i.sh | sh'", errors: [{ line: 2 }] },
    { name: 'heredoc body', code: 'FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | sh\nEOF', errors: [{ line: 4 }] }
  ]
});
