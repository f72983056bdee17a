import rule from '../../src/core/rules/tls-verification-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSL https://x.example/a -o /a && wget -q https://x.example/b',
    { name: '-k as the value of another option', code: 'FROM debian:12\nRUN curl -H -k https://x.example/ -o k && curl -fsSLo-k https://x.example/' },
    {
      name: 'safe values',
      code: 'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 NPM_CONFIG_STRICT_SSL=true\nRUN npm config set strict-ssl true && git config --global http.sslVerify true'
    },
    { name: 'ARG without value', code: 'FROM alpine:3.20\nARG GIT_SSL_NO_VERIFY\nARG PIP_TRUSTED_HOST' },
    { name: 'pip with a CA bundle', code: 'FROM python:3.12\nRUN pip install --cert /etc/ssl/ca.pem --index-url https://pypi.internal/simple flask' },
    {
      name: 'other git config keys',
      code: 'FROM alpine:3.20\nRUN git config --global http.sslCAInfo /ca.pem && git -c advice.detachedHead=false clone https://x.example/r.git'
    },
    { name: 'not a fetch tool', code: 'FROM alpine:3.20\nRUN ls -k /tmp && echo --insecure --no-check-certificate --trusted-host' }
  ],
  invalid: [
    {
      name: 'the same insecure flag twice in one RUN: one finding',
      code: 'FROM debian:12\nRUN curl -k -fsSLo a https://x.example/a && curl -k -fsSLo b https://x.example/b',
      errors: [{ line: 2 }]
    },
    { code: 'FROM debian:12\nRUN curl -k https://x.example/a -o /a', errors: [{ line: 2, message: 'curl -k disables' }] },
    {
      name: 'curl option cluster and --insecure',
      code: 'FROM debian:12\nRUN curl -fsSLk https://x.example/a | tar -x && curl --insecure -o b https://x.example/b',
      errors: [
        { line: 2, message: '-fsSLk' },
        { line: 2, message: '--insecure' }
      ]
    },
    {
      name: 'wget on a continuation line',
      code: 'FROM debian:12\nRUN apt-get update \\\n && wget --no-check-certificate https://x.example/a',
      errors: [{ line: 3, message: 'wget --no-check-certificate' }]
    },
    {
      name: 'pip --trusted-host (both spellings)',
      code: 'FROM python:3.12\nRUN pip install --trusted-host pypi.internal flask && python -m pip install --trusted-host=x y',
      errors: [
        { line: 2, message: 'pip --trusted-host' },
        { line: 2, message: 'python --trusted-host' }
      ]
    },
    { name: 'pip config set', code: 'FROM python:3.12\nRUN pip config set global.trusted-host pypi.internal', errors: [{ line: 2, message: 'pip --cert' }] },
    {
      name: 'ENV pairs, one finding each',
      code: 'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 \\\n    PYTHONHTTPSVERIFY=0\nENV npm_config_strict_ssl=false',
      errors: [
        { line: 2, message: 'NODE_EXTRA_CA_CERTS' },
        { line: 3, message: 'PYTHONHTTPSVERIFY=0' },
        { line: 4, message: 'npm_config_strict_ssl=false' }
      ]
    },
    {
      name: 'legacy ENV and ARG with value',
      code: 'FROM alpine:3.20\nENV GIT_SSL_NO_VERIFY true\nARG PIP_TRUSTED_HOST=pypi.internal',
      errors: [
        { line: 2, message: 'any value' },
        { line: 3, message: 'ARG PIP_TRUSTED_HOST' }
      ]
    },
    { name: 'GIT_SSL_NO_VERIFY=false still disables', code: 'FROM alpine:3.20\nENV GIT_SSL_NO_VERIFY=false', errors: [{ line: 2 }] },
    {
      name: 'assignment prefixing a command',
      code: 'FROM alpine:3.20\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x.example/r.git /r',
      errors: [{ line: 2, message: 'GIT_SSL_NO_VERIFY=1' }]
    },
    {
      name: 'npm, yarn, pnpm strict-ssl',
      code: 'FROM node:22\nRUN npm config set strict-ssl false && npm set strict-ssl=false && yarn config set strict-ssl false && pnpm install --strict-ssl=false',
      errors: [
        { line: 2, message: 'npm config set' },
        { line: 2, message: 'strict-ssl=false' },
        { line: 2, message: 'yarn' },
        { line: 2, message: 'pnpm' }
      ]
    },
    {
      name: 'git config and git -c',
      code: 'FROM alpine:3.20\nRUN git config --global http.sslVerify false\nRUN git -c http.sslVerify=false clone https://x.example/r.git',
      errors: [
        { line: 2, message: 'http.sslCAInfo' },
        { line: 3, message: '-c http.sslVerify=false' }
      ]
    },
    {
      name: 'heredoc RUN',
      code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\nsudo wget --no-check-certificate -qO /a https://x.example/a\nEOF',
      errors: [{ line: 4 }]
    },
    {
      name: 'apt-get option',
      code: 'FROM debian:12\nRUN apt-get -o Acquire::https::Verify-Peer=false update',
      errors: [{ line: 2, message: 'Acquire::https::Verify-Peer=false' }]
    }
  ]
});
