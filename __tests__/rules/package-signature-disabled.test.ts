import rule from '../../src/core/rules/package-signature-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2',
    { name: 'apt-get with -y', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl' },
    {
      name: 'signed-by source',
      code: 'FROM debian:12\nRUN echo "deb [signed-by=/etc/apt/keyrings/x.gpg] https://x.example/apt stable main" > /etc/apt/sources.list.d/x.list'
    },
    { name: 'local trusted repository', code: 'FROM debian:12\nRUN echo "deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list' },
    { name: 'gpgcheck=1', code: 'FROM rockylinux:9\nRUN printf "[x]\\nbaseurl=https://x\\ngpgcheck=1\\n" > /etc/yum.repos.d/x.repo' },
    { name: 'dnf with gpg check', code: 'FROM fedora:40\nRUN dnf install -y nginx && rpm --import https://x/key && rpm -K pkg.rpm' },
    { name: 'options mentioned as text', code: 'FROM debian:12\nRUN echo "never use --allow-untrusted or --nogpgcheck"' },
    { name: 'zypper auto-import of keys', code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive --gpg-auto-import-keys refresh' },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nEOF' },
    {
      name: 'packages built by a stage of this file (bind mount)',
      code: 'FROM alpine:3.20 AS builder\nRUN abuild -r\nFROM alpine:3.20\nRUN --mount=type=bind,target=/tmp/packages/,source=/tmp/packages/,from=builder \\\n    apk add --no-cache --allow-untrusted /tmp/packages/nginx-module-*.apk'
    },
    {
      name: 'packages built by a stage of this file (COPY --from)',
      code: 'FROM alpine:3.20 AS builder\nRUN abuild -r\nFROM alpine:3.20\nCOPY --from=builder /home/builder/packages /pkgs\nRUN apk add --allow-untrusted /pkgs/x86_64/app-1.0-r0.apk'
    }
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/glibc-2.35-r1.apk',
      errors: [{ line: 2, message: '/etc/apk/keys' }]
    },
    {
      name: 'multi-line continuation',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      --allow-unauthenticated \\\n      curl',
      errors: [{ line: 3, message: '--allow-unauthenticated' }]
    },
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install --force-yes curl\nEOF',
      errors: [{ line: 4, message: '`apt-get --force-yes`' }]
    },
    {
      name: '-o AllowUnauthenticated',
      code: 'FROM debian:12\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install -y curl',
      errors: [{ message: 'APT::Get::AllowUnauthenticated=true' }]
    },
    {
      name: 'insecure repositories',
      code: 'FROM debian:12\nRUN apt-get update --allow-insecure-repositories',
      errors: [{ message: '--allow-insecure-repositories' }]
    },
    {
      name: 'trusted=yes remote source',
      code: 'FROM debian:12\nRUN echo "deb [trusted=yes] http://repo.example.com/ stable main" > /etc/apt/sources.list.d/x.list',
      errors: [{ message: 'signed-by' }]
    },
    { name: 'yum --nogpgcheck', code: 'FROM centos:7\nRUN yum install -y --nogpgcheck https://x/pkg.rpm', errors: [{ message: '`yum --nogpgcheck`' }] },
    { name: 'dnf --setopt=gpgcheck=0', code: 'FROM fedora:40\nRUN dnf install -y --setopt=gpgcheck=0 nginx', errors: [{ message: 'gpgcheck=0' }] },
    {
      name: 'gpgcheck=0 in a repo file',
      code: 'FROM rockylinux:9\nRUN printf "[x]\\nbaseurl=https://x\\ngpgcheck=0\\n" > /etc/yum.repos.d/x.repo',
      errors: [{ message: 'gpgcheck=1' }]
    },
    { name: 'rpm --nosignature', code: 'FROM centos:7\nRUN rpm -ivh --nosignature /tmp/x.rpm', errors: [{ message: '`rpm --nosignature`' }] },
    { name: 'rpm --nodigest', code: 'FROM centos:7\nRUN rpm -i --nodigest /tmp/x.rpm', errors: [{ message: '`rpm --nodigest`' }] },
    {
      name: 'zypper --no-gpg-checks',
      code: 'FROM opensuse/leap:15.6\nRUN zypper --no-gpg-checks -n install curl',
      errors: [{ message: 'zypper --no-gpg-checks' }]
    },
    {
      name: 'packages copied from an image, not a stage',
      code: 'FROM alpine:3.20\nCOPY --from=example/glibc:2.35 /glibc.apk /tmp/\nRUN apk add --allow-untrusted /tmp/glibc.apk',
      errors: [{ line: 3 }]
    },
    { name: 'tdnf through sh -c', code: "FROM photon:5.0\nRUN sh -c 'tdnf install -y --nogpgcheck curl'", errors: [{ line: 2, message: 'tdnf' }] }
  ]
});
