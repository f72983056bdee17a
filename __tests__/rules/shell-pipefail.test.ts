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
    { name: 'no pipe, only || and |&-free', code: 'FROM debian:12\nRUN make || true' },
    {
      name: 'echo into sha256sum -c: the left side cannot fail',
      code: 'FROM debian:12\nRUN curl -fsSLo app.tgz https://x.example/app.tgz \\\n && echo "$SHA256  app.tgz" | sha256sum -c -'
    },
    {
      name: 'a command substitution into a checksum check: any failure makes the check fail',
      code: 'FROM debian:12\nRUN echo "$(cat app.tgz.sha512)  app.tgz" | sha512sum -c -'
    },
    { name: 'a version check into grep -q', code: 'FROM debian:12\nRUN nginx -v 2>&1 | grep -qe "nginx/$NGINX_VERSION" && echo ok' },
    { name: 'go env into grep -E under set -e', code: 'FROM golang:1.23\nRUN set -e; go env | grep -E "^GO(OS|ARCH)="' },
    { name: 'a negated group into grep', code: "FROM debian:12\nRUN ! { ldd /usr/bin/x | grep 'not found'; }" },
    { name: 'a pipe in a substitution used as an argument', code: 'FROM debian:12\nRUN echo "$(cat f.sha512 | tr -d \'\\n\')  f" | sha512sum -c -' },
    { name: 'a download into a checksum check', code: 'FROM debian:12\nRUN curl -fsSL https://x.example/SHA256SUMS | sha256sum --check --ignore-missing' },
    { name: 'echo into sha512sum --check --strict', code: 'FROM debian:12\nRUN echo "${SHA512} *file" | sha512sum --check --strict' },
    { name: 'printf into tee', code: "FROM debian:12\nRUN printf '%s\\n' a b | tee /etc/x.conf" },
    { name: 'a group of echos into tee', code: "FROM debian:12\nRUN { echo 'a'; echo 'b'; } | tee /etc/apt/preferences.d/x" },
    { name: 'cat of a heredoc into tee', code: 'FROM debian:12\nRUN cat <<EOF | tee /etc/x.conf\nkey=value\nEOF' },
    {
      name: 'pipe in an && list of an if condition',
      code: 'FROM debian:12\nRUN <<EOT\nset -e\nif [ -f .git ] && head -n 1 .git | grep -q "^gitdir:"; then\n  VERSION=dev\nfi\nEOT'
    },
    { name: 'pipe in an if condition', code: 'FROM debian:12\nRUN if head -n 1 .git | grep -q gitdir; then echo worktree; fi' },
    { name: 'pipe in a negated while condition', code: 'FROM debian:12\nRUN while ! pg_isready | grep -q accepting; do sleep 1; done' }
  ],
  invalid: [
    {
      name: 'echo with a command substitution can fail',
      code: 'FROM debian:12\nRUN echo "$(curl -fsSL https://x.example/sum)" | tee sum.txt',
      errors: [{ line: 2 }]
    },
    {
      name: 'grep -v succeeds on anything else',
      code: 'FROM debian:12\nRUN curl -fsSL https://x.example/list | grep -v "^#" > list.txt',
      errors: [{ line: 2 }]
    },
    {
      name: 'a pipe in an assignment from a substitution',
      code: 'FROM debian:12\nRUN set -e; V=$(curl -fsSL https://x.example/v | tr -d v); echo $V',
      errors: [{ line: 2 }]
    },
    { name: 'sha256sum without -c only prints', code: 'FROM debian:12\nRUN curl -fsSL https://x.example/a | sha256sum', errors: [{ line: 2 }] },
    {
      name: 'a safe pipe, then a risky one: reported at the risky one',
      code: 'FROM debian:12\nRUN echo "$S  f" | sha256sum -c - \\\n && curl -fsSL https://x.example/a | tar -xz',
      errors: [{ line: 3 }]
    },
    { name: 'a group that runs a download', code: 'FROM debian:12\nRUN { echo a; curl -fsSL https://x.example/a; } | tee /x', errors: [{ line: 2 }] },
    {
      name: 'a pipe in the then branch is not a condition',
      code: 'FROM debian:12\nRUN if [ -f x ]; then curl -fsSL https://x.example/a | tar -xz; fi',
      errors: [{ line: 2 }]
    },
    {
      name: 'a pipe after the loop body starts',
      code: 'FROM debian:12\nRUN while read -r u; do curl -fsSL "$u" | tar -xz; done < urls',
      errors: [{ line: 2 }]
    },
    { name: 'a subshell on the left', code: 'FROM debian:12\nRUN (cd /src && make) | tee build.log', errors: [{ line: 2 }] },
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
