import rule from '../../src/core/rules/apt-not-apt-get.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    { name: 'apt-cache and apt-key are other programs', code: 'FROM debian:12\nRUN apt-cache policy curl && apt-key list && apt-mark hold curl' },
    { name: 'the word as an argument', code: 'FROM debian:12\nRUN echo apt install curl && command -v apt && which apt' },
    { name: 'a path containing apt', code: 'FROM debian:12\nRUN rm -rf /var/lib/apt/lists/*' },
    { name: 'heredoc with apt-get', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF' }
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt update && apt install -y curl',
      errors: [
        {
          line: 2,
          message: '`apt update`, `apt install` are meant for interactive use and have no stable CLI: write `apt-get update`, `apt-get install` instead'
        }
      ]
    },
    {
      name: 'multi-line continuation: one finding per RUN, at the first apt',
      code: 'FROM ubuntu:24.04\nRUN apt-get update \\\n && apt -y full-upgrade \\\n && apt search curl',
      errors: [{ line: 3, message: 'write `apt-get dist-upgrade`, `apt-cache search` instead' }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\nset -e\napt install -y curl\nEOF', errors: [{ line: 4, message: 'no stable CLI' }] },
    { name: 'apt list', code: 'FROM debian:12\nRUN apt list --installed', errors: [{ message: 'dpkg-query -W' }] },
    {
      name: 'options before the subcommand',
      code: 'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt -qq -o Dpkg::Use-Pty=0 install -y curl',
      errors: [{ message: '`apt-get install`' }]
    },
    { name: 'with sudo and a path', code: 'FROM debian:12\nRUN sudo /usr/bin/apt remove -y curl', errors: [{ message: '`apt-get remove`' }] }
  ]
});
