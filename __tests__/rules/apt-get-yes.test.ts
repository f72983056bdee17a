import rule from '../../src/core/rules/apt-get-yes.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    { name: '--yes', code: 'FROM debian:12\nRUN apt-get install --yes curl' },
    { name: '--assume-yes', code: 'FROM debian:12\nRUN apt-get install --assume-yes curl' },
    { name: 'combined short flags -qy', code: 'FROM debian:12\nRUN apt-get install -qy --no-install-recommends curl' },
    { name: '-y before the subcommand', code: 'FROM debian:12\nRUN apt-get -y install curl' },
    { name: '-qq implies -y', code: 'FROM debian:12\nRUN apt-get -qq install curl' },
    { name: '-q=2 implies -y', code: 'FROM debian:12\nRUN apt-get -q=2 install curl' },
    { name: '-o APT::Get::Assume-Yes=true', code: 'FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl' },
    { name: 'yes piped in', code: 'FROM debian:12\nRUN yes | apt-get install curl' },
    {
      name: 'assume-yes configured earlier in the stage',
      code: 'FROM debian:12\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl'
    },
    { name: 'apt-get update needs no -y', code: 'FROM debian:12\nRUN apt-get update' },
    { name: 'simulation does not prompt', code: 'FROM debian:12\nRUN apt-get install -s curl' },
    { name: 'heredoc with -y', code: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF' },
    { name: 'apt (not apt-get) is another rule', code: 'FROM debian:12\nRUN apt install curl' },
    { name: 'mentioned, not run', code: 'FROM debian:12\nRUN echo apt-get install curl' }
  ],
  invalid: [
    { name: 'xx-apt-get install without -y', code: 'FROM debian:12\nRUN xx-apt-get install --no-install-recommends gcc', errors: [{ line: 2 }] },
    { code: 'FROM debian:12\nRUN apt-get update && apt-get install curl', errors: [{ line: 2, message: '`apt-get install -y`' }] },
    {
      name: 'multi-line continuation reports the install line',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install \\\n      curl \\\n && rm -rf /var/lib/apt/lists/*',
      errors: [{ line: 3, message: 'apt-get install' }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF', errors: [{ line: 4 }] },
    { name: 'remove prompts too', code: 'FROM debian:12\nRUN apt-get remove curl', errors: [{ line: 2, message: '`apt-get remove -y`' }] },
    { name: 'a single -q is not enough', code: 'FROM debian:12\nRUN apt-get -q install curl', errors: [{ line: 2 }] },
    { name: 'through sudo', code: 'FROM debian:12\nRUN sudo apt-get install curl', errors: [{ line: 2 }] },
    { name: 'inside sh -c', code: 'FROM debian:12\nRUN sh -c "apt-get update && apt-get install curl"', errors: [{ line: 2 }] },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["apt-get", "install", "curl"]', errors: [{ line: 2 }] },
    { name: 'full path', code: 'FROM debian:12\nRUN /usr/bin/apt-get install curl', errors: [{ line: 2 }] },
    {
      name: 'configuration of another stage does not count',
      code: 'FROM debian:12 AS a\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nFROM debian:12\nRUN apt-get install curl',
      errors: [{ line: 4 }]
    }
  ]
});
