import rule from '../../src/core/rules/apt-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5',
    { name: 'wildcard version', code: 'FROM debian:12\nRUN apt-get install -y "curl=7.88.*"' },
    { name: 'local .deb and paths', code: 'FROM debian:12\nRUN apt-get install -y ./zoom_amd64.deb /tmp/pkgs/x.deb ../other' },
    { name: 'variables', code: 'FROM debian:12\nARG PKGS\nRUN apt-get install -y $PKGS "${EXTRA}" "postgresql-$PG_MAJOR=$PG_VERSION" $(cat /pkgs.txt)' },
    {
      name: 'option values are not packages',
      code: 'FROM debian:12\nRUN apt-get install -y -t bookworm-backports -o Dpkg::Options::=--force-confold curl=1.0'
    },
    { name: 'no packages (fix broken)', code: 'FROM debian:12\nRUN apt-get install -f -y' },
    { name: 'other subcommands', code: 'FROM debian:12\nRUN apt-get purge -y --auto-remove curl && apt-get remove -y wget' },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=7.88.1\nEOF' },
    { name: 'removal with a trailing dash', code: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1 wget-' },
    { name: 'ignored package', options: { ignore: ['ca-certificates'] }, code: 'FROM debian:12\nRUN apt-get install -y ca-certificates' }
  ],
  invalid: [
    {
      name: 'two installs in one RUN: one finding with every package, at the first',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get install -y git=1:2.39.5-0+deb12u1 vim',
      errors: [{ line: 3, message: 'pin the version of `curl` and `vim` in apt-get install' }]
    },
    {
      name: 'installs in two RUNs: one finding each',
      code: 'FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y vim',
      errors: [{ line: 2 }, { line: 3 }]
    },
    { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', errors: [{ line: 2, message: '`curl=<version>`' }] },
    {
      name: 'multi-line continuation lists the unpinned ones',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      curl=7.88.1 \\\n      git \\\n      wget',
      errors: [{ line: 3, message: '`git` and `wget`' }]
    },
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF',
      errors: [{ line: 4, message: 'apt-cache policy curl' }]
    },
    { name: 'many packages are summarised', code: 'FROM debian:12\nRUN apt-get install -y a b c d e', errors: [{ message: '`a`, `b`, `c` and 2 more' }] },
    { name: 'release pin is not a version', code: 'FROM debian:12\nRUN apt-get install -y curl/bookworm-backports', errors: [{ message: '`curl=<version>`' }] },
    { name: 'combined flags before the packages', code: 'FROM debian:12\nRUN apt-get -qqy install curl', errors: [{ line: 2 }] },
    {
      name: 'ignore only exempts the listed package',
      options: { ignore: ['curl'] },
      code: 'FROM debian:12\nRUN apt-get install -y curl git',
      errors: [{ message: '`git`' }]
    }
  ]
});
