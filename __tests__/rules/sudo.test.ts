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
    {
      name: 'the same command twice in one RUN: one finding',
      code: 'FROM node:22\nRUN sudo apt-get update && sudo apt-get install -y curl',
      errors: [{ line: 2 }]
    },
    {
      name: 'five sudo apt-get over continuation lines: one finding, at the first',
      code: 'FROM debian:12\nRUN sudo apt-get update \\\n && sudo apt-get install -y a \\\n && sudo apt-get install -y b \\\n && sudo apt-get autoremove -y \\\n && sudo apt-get clean',
      errors: [{ line: 2, message: 'sudo apt-get' }]
    },
    {
      name: 'different commands in one RUN: one finding each',
      code: 'FROM debian:12\nRUN sudo apt-get update && sudo systemctl enable x',
      errors: [
        { line: 2, message: 'sudo apt-get' },
        { line: 2, message: 'sudo systemctl' }
      ]
    },
    {
      name: 'the same command in two RUNs: one finding each',
      code: 'FROM debian:12\nRUN sudo make\nRUN sudo make install',
      errors: [{ line: 2 }, { line: 3 }]
    },
    {
      name: 'sudo -u drops privileges: advise USER <that user>, not USER root',
      code: 'FROM debian:12\nRUN sudo -u app -E make install',
      errors: [{ line: 2, message: 'RUN uses sudo -u app make: put USER app before this step instead of sudo' }]
    },
    {
      name: 'sudo -u with a variable',
      code: 'FROM debian:12\nARG USERNAME=dev\nRUN sudo -u ${USERNAME} npm install -g x',
      errors: [{ line: 3, message: /^RUN uses sudo -u \$\{USERNAME\} npm: put USER \$\{USERNAME\} before/ }]
    },
    { name: 'sudo --user=node', code: 'FROM node:22\nRUN sudo --user=node npm ci', errors: [{ line: 2, message: 'put USER node before this step' }] },
    { name: 'sudo -Hu gitpod', code: 'FROM debian:12\nRUN sudo -Hu gitpod bash -c "x"', errors: [{ line: 2, message: 'put USER gitpod' }] },
    {
      name: 'sudo -u root is plain sudo',
      code: 'FROM debian:12\nRUN sudo -u root make install',
      errors: [{ line: 2, message: 'put USER root before this step' }]
    },
    { name: 'exec form sudo -u', code: 'FROM debian:12\nRUN ["sudo", "-u", "app", "make"]', errors: [{ line: 2, message: 'put USER app' }] },
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
