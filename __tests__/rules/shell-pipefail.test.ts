import rule from '../../src/core/rules/shell-pipefail.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    {
      name: 'SHELL with -o pipefail',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x.example/k | gpg --dearmor -o /k.gpg'
    },
    {
      name: 'SHELL with -eo pipefail, inherited by a child stage',
      code: 'FROM alpine:3.20 AS base\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nFROM base\nRUN wget -qO- https://x.example/a | tar -xz'
    },
    { name: 'set -o pipefail in the RUN', code: 'FROM debian:12\nRUN set -o pipefail && curl -fsSL https://x.example/k | gpg --dearmor -o /k.gpg' },
    {
      name: 'set -euxo pipefail in a heredoc',
      code: 'FROM debian:12\nRUN <<EOF\nset -euxo pipefail\ncurl -fsSL https://x.example/k | gpg --dearmor -o /k.gpg\nEOF'
    },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["sh", "-c", "a | b"]' },
    {
      name: 'PowerShell',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem | Select-Object Name'
    },
    { name: 'no pipe, only || and |&-free', code: 'FROM debian:12\nRUN make || true' }
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN curl -fsSL https://x.example/k | gpg --dearmor -o /k.gpg',
      errors: [{ line: 2, message: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]' }]
    },
    {
      name: 'alpine gets ash',
      code: 'FROM alpine:3.20\nRUN wget -qO- https://x.example/a | tar -xz',
      errors: [{ line: 2, message: 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]' }]
    },
    {
      name: 'SHELL without pipefail',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a | b',
      errors: [{ line: 3, message: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]' }]
    },
    { name: 'set pipefail after the pipe is too late', code: 'FROM debian:12\nRUN a | b && set -o pipefail', errors: [{ line: 2 }] },
    { name: 'set +o pipefail', code: 'FROM debian:12\nRUN set -o pipefail; set +o pipefail; a | b', errors: [{ line: 2 }] },
    {
      name: 'reported at the pipe line',
      code: 'FROM debian:12\nRUN apt-get update \\\n && curl -fsSL https://x.example/a \\\n    | tar -xz',
      errors: [{ line: 3, message: 'set -o pipefail' }]
    },
    {
      name: 'pipefail SHELL in an unrelated stage',
      code: 'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN a | b',
      errors: [{ line: 4 }]
    },
    { name: 'heredoc with pipe and no set', code: 'FROM debian:12\nRUN <<EOF\nset -eux\nls | wc -l\nEOF', errors: [{ line: 4 }] }
  ]
});
