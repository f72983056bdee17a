import rule from '../../src/core/rules/apt-get-no-install-recommends.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    { name: 'flag before the subcommand', code: 'FROM debian:12\nRUN apt-get --no-install-recommends -y install curl' },
    { name: 'flag after the packages', code: 'FROM debian:12\nRUN apt-get install -y curl wget --no-install-recommends' },
    { name: '-o APT::Install-Recommends=false', code: 'FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl' },
    { name: '-o with quoted value, no space', code: 'FROM debian:12\nRUN apt-get install -y "-oAPT::Install-Recommends=0" curl' },
    {
      name: 'configured in apt.conf.d earlier in the stage',
      code: 'FROM debian:12\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get update && apt-get install -y curl'
    },
    {
      name: 'configured by a COPY heredoc',
      code: 'FROM debian:12\nCOPY <<EOF /etc/apt/apt.conf.d/99norecommends\nAPT::Install-Recommends "0";\nEOF\nRUN apt-get install -y curl'
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF' },
    { name: 'other subcommands', code: 'FROM debian:12\nRUN apt-get update && apt-get purge -y curl' },
    {
      name: 'a simulated install installs nothing',
      code: 'FROM debian:12\nRUN if apt-get install -s "postgresql-$PG_MAJOR-jit" > /dev/null 2>&1; then echo ok; fi'
    }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', errors: [{ line: 2, message: '--no-install-recommends' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl \\\n        git',
      errors: [{ line: 3, message: 'recommended packages' }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF', errors: [{ line: 5 }] },
    { name: 'recommends turned on', code: 'FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=true curl', errors: [{ line: 2 }] },
    {
      name: 'two installs in one RUN: one finding',
      code: 'FROM debian:12\nRUN apt-get install -y curl && apt-get install -y --no-install-recommends git && apt-get install -y vim',
      errors: [{ line: 2 }]
    },
    {
      name: 'configuration written after the install does not count',
      code: 'FROM debian:12\nRUN apt-get install -y curl && echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99x',
      errors: [{ line: 2 }]
    }
  ]
});
