import rule from '../../src/core/rules/update-alone.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: "gitpod's install-packages installs", code: 'FROM gitpod/workspace-base:2024\nRUN sudo apt update && install-packages clang' },
    { name: "minideb's install_packages installs", code: 'FROM bitnami/minideb:bookworm\nRUN apt-get update && install_packages curl' },
    { name: 'xx-apt-get update then install', code: 'FROM debian:12\nRUN xx-apt-get update && xx-apt-get install -y gcc' },
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    {
      name: 'multi-line continuation',
      code: 'FROM debian:12\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends \\\n        curl; \\\n    rm -rf /var/lib/apt/lists/*'
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF' },
    { name: 'apk update then add', code: 'FROM alpine:3.20\nRUN apk update && apk add curl' },
    { name: 'apk upgrade counts as an install', code: 'FROM alpine:3.20\nRUN apk update && apk upgrade' },
    { name: 'dnf makecache then install', code: 'FROM fedora:40\nRUN dnf makecache && dnf install -y curl' },
    { name: 'zypper refresh then install', code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh && zypper install -y curl' },
    { name: 'yum update is an upgrade, not a refresh', code: 'FROM centos:7\nRUN yum update -y' },
    { name: 'install in a conditional', code: 'FROM debian:12\nRUN apt-get update && if [ -n "$X" ]; then apt-get install -y curl; fi' },
    { name: 'update inside sh -c followed by install', code: 'FROM debian:12\nRUN sh -c "apt-get update && apt-get install -y curl"' },
    { name: 'index deleted again in the same RUN', code: 'FROM debian:12\nRUN apt update && dpkg -i /tmp/x.deb && rm -rf /var/lib/apt/lists/*' },
    { name: 'apk cache removed', code: 'FROM alpine:3.20\nRUN apk update && rm -rf /var/cache/apk/*' },
    { name: 'apt-get upgrade after update', code: 'FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y' }
  ],
  invalid: [
    { name: 'xx-apk update alone', code: 'FROM alpine:3.20\nRUN xx-apk update', errors: [{ line: 2, message: 'apk update' }] },
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl',
      errors: [{ line: 2, message: '`apt-get update && apt-get install -y ...` in one RUN' }]
    },
    {
      name: 'multi-line continuation: update after the last install',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y gnupg \\\n && echo "deb http://x/ y main" > /etc/apt/sources.list.d/x.list \\\n && apt-get update',
      errors: [{ line: 5 }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\nEOF', errors: [{ line: 4, message: 'stale cached index' }] },
    { name: 'apk update alone', code: 'FROM alpine:3.20\nRUN apk update\nRUN apk add curl', errors: [{ line: 2, message: '`apk add --no-cache ...`' }] },
    { name: 'dnf makecache alone', code: 'FROM fedora:40\nRUN dnf makecache', errors: [{ message: '`dnf install -y ...`' }] },
    { name: 'zypper refresh alone', code: 'FROM opensuse/leap:15.6\nRUN zypper ref', errors: [{ message: 'zypper refresh && zypper install' }] },
    {
      name: 'an install of another package manager does not count',
      code: 'FROM debian:12\nRUN apt-get update && pip install requests==2.32.3',
      errors: [{ line: 2 }]
    },
    { name: 'apt update', code: 'FROM ubuntu:24.04\nRUN apt update -y', errors: [{ message: '`apt update` is not followed' }] },
    {
      name: 'index deleted before a second update',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/* && apt-get update',
      errors: [{ line: 2 }]
    }
  ]
});
