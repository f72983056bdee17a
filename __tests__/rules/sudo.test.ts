import rule from '../../src/core/rules/sudo.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'USER root instead of sudo', code: 'FROM node:22\nUSER root\nRUN apt-get update\nUSER node' },
    { name: 'installing the sudo package', code: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends sudo' },
    {
      name: 'sudo as an argument or in a string',
      code: 'FROM debian:12\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app && command -v sudo && which sudo'
    },
    { name: 'gosu / su-exec in an entrypoint script', code: 'FROM alpine:3.20\nRUN su-exec app true && gosu app id' },
    { name: 'sudoers file edited', code: 'FROM debian:12\nRUN chmod 0440 /etc/sudoers.d/app' },
    { name: 'sudo in a comment line', code: 'FROM debian:12\n# RUN sudo apt-get update\nRUN apt-get update' },
    {
      name: 'Windows shell is not parsed as POSIX',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command Write-Host sudo'
    }
  ],
  invalid: [
    {
      name: 'sudo apt-get',
      code: 'FROM node:22\nUSER node\nRUN sudo apt-get update',
      errors: [{ line: 3, message: 'RUN uses sudo apt-get: put USER root before this step' }]
    },
    { name: 'two sudo commands in one RUN', code: 'FROM node:22\nRUN sudo apt-get update && sudo apt-get install -y curl', errors: [{ line: 2 }, { line: 2 }] },
    { name: 'sudo with its own flags', code: 'FROM debian:12\nRUN sudo -u app -E make install', errors: [{ line: 2, message: 'sudo make' }] },
    {
      name: 'continuation lines: the line of the command',
      code: 'FROM debian:12\nRUN set -eux; \\\n    mkdir -p /opt/app; \\\n    sudo chown app /opt/app',
      errors: [{ line: 4, message: 'sudo chown' }]
    },
    { name: 'heredoc RUN', code: 'FROM debian:12\nRUN <<EOF\nset -e\nsudo apt-get update\nEOF', errors: [{ line: 4 }] },
    {
      name: 'in a pipeline',
      code: 'FROM debian:12\nRUN echo "deb http://x stable main" | sudo tee /etc/apt/sources.list.d/x.list',
      errors: [{ line: 2, message: 'sudo tee' }]
    },
    { name: 'through env', code: 'FROM debian:12\nRUN env DEBIAN_FRONTEND=noninteractive sudo apt-get upgrade', errors: [{ line: 2 }] },
    { name: 'absolute path to sudo', code: 'FROM debian:12\nRUN /usr/bin/sudo apt-get update', errors: [{ line: 2 }] },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["sudo", "apt-get", "update"]', errors: [{ line: 2, message: 'RUN uses sudo' }] },
    { name: 'build stage counts too', code: 'FROM debian:12 AS build\nRUN sudo make\nFROM debian:12\nRUN true', errors: [{ line: 2 }] },
    { name: 'in a subshell and an if', code: 'FROM debian:12\nRUN if [ -f x ]; then (sudo rm x); fi', errors: [{ line: 2, message: 'sudo rm' }] },
    { name: 'lower-case keyword', code: 'from debian:12\nrun sudo id', errors: [{ line: 2 }] }
  ]
});
