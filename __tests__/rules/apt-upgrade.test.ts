import rule from '../../src/core/rules/apt-upgrade.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl',
    { name: 'simulated upgrade', code: 'FROM debian:12\nRUN apt-get update && apt-get -s upgrade' },
    { name: 'the word as a package or argument', code: 'FROM debian:12\nRUN echo upgrade && apt-get install -y unattended-upgrades' },
    { name: 'pip upgrade is another tool', code: 'FROM python:3.12\nRUN pip install --upgrade pip==24.0' },
    { name: 'heredoc without upgrade', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF' }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get update && apt-get -y upgrade', errors: [{ line: 2, message: '`apt-get upgrade`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get dist-upgrade -y \\\n && rm -rf /var/lib/apt/lists/*',
      errors: [{ line: 3, message: '`apt-get dist-upgrade`' }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get upgrade -y\nEOF', errors: [{ line: 4, message: 'newer base image' }] },
    { name: 'apt full-upgrade', code: 'FROM ubuntu:24.04\nRUN apt update && apt full-upgrade -y', errors: [{ message: '`apt full-upgrade`' }] },
    {
      name: 'options before the subcommand',
      code: 'FROM debian:12\nRUN apt-get -qq -o Dpkg::Options::=--force-confold upgrade',
      errors: [{ message: '--only-upgrade' }]
    }
  ]
});
