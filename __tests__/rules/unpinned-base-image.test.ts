import { beforeAll, describe, expect, it, test } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { lintFile } from '../../src/core/lint.js';
import rule from '../../src/core/rules/unpinned-base-image.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

const D = 'sha256:' + 'a'.repeat(64);

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20',
    { name: 'digest only, no tag', code: `FROM alpine@${D}` },
    { name: 'tag and digest', code: `FROM nginx:1.27@${D}` },
    { name: 'scratch', code: 'FROM scratch\nCOPY app /app' },
    {
      name: 'stage alias reuse',
      code: 'FROM golang:1.23 AS build\nRUN go build ./...\nFROM build AS test\nRUN go test ./...\nFROM alpine:3.20\nCOPY --from=build /app /app'
    },
    { name: 'ARG default resolved', code: 'ARG BASE=alpine:3.20\nFROM ${BASE}' },
    { name: 'ARG ${X:-default} resolved', code: 'ARG BASE\nFROM ${BASE:-alpine:3.20}' },
    { name: 'build-arg overrides an unpinned default', code: 'ARG BASE=alpine\nFROM $BASE', buildArgs: { BASE: 'alpine:3.20' } },
    { name: 'ARG tag part', code: 'ARG VERSION=3.20\nFROM alpine:${VERSION}' },
    {
      name: 'Windows image with escape directive',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host `\n    hello'
    },
    { name: 'heredoc body lines are not instructions', code: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nFROM nginx\nEOF' },
    { name: 'COPY --from stage index', code: 'FROM golang:1.23\nRUN go build\nFROM alpine:3.20\nCOPY --from=0 /a /a' },
    { name: 'COPY --from stage name, other case', code: 'FROM golang:1.23 AS Build\nFROM alpine:3.20\nCOPY --from=BUILD /a /a' },
    { name: 'COPY --from pinned image', code: 'FROM alpine:3.20\nCOPY --from=busybox:1.37 /bin/busybox /bin/' },
    { name: 'RUN --mount from a stage', code: 'FROM golang:1.23 AS deps\nFROM golang:1.23\nRUN --mount=type=cache,from=deps,target=/go/pkg go build' },
    { name: 'stage chosen by TARGETARCH', code: 'FROM alpine:3.20 AS build-amd64\nFROM alpine:3.20 AS build-arm64\nFROM build-${TARGETARCH}' },
    { name: 'tag built from a platform ARG', code: 'FROM node:22-${TARGETARCH}' },
    { name: 'FROM --platform=$BUILDPLATFORM', code: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build' },
    { name: 'require-digest not matching', code: 'FROM nginx:1.27', options: { 'require-digest': ['ghcr.io/acme/**'] } },
    { name: 'require-digest satisfied', code: `FROM ghcr.io/acme/api:1.0@${D}`, options: { 'require-digest': ['ghcr.io/acme/**'] } },
    { name: 'bare --from word is left to copy-from-unknown-stage', code: 'FROM alpine:3.20\nCOPY --from=nginx /etc/nginx /etc/nginx' },
    { name: 'COPY --from with a variable is left to copy-from-unknown-stage', code: 'ARG IMG=nginx\nFROM alpine:3.20\nCOPY --from=${IMG} /a /a' },
    { name: 'template placeholders are not judged', code: 'FROM alpine:{{ env.variant }}' }
  ],
  invalid: [
    {
      name: 'no tag (DL3006)',
      code: 'FROM nginx',
      errors: [{ line: 1, message: 'Base image nginx has no tag and floats to :latest; pin a version, e.g. nginx:<version> (or add @sha256:<digest>)' }]
    },
    {
      name: ':latest (DL3007)',
      code: 'FROM nginx:latest',
      errors: [{ line: 1, message: 'nginx:latest uses the floating :latest tag; pin a version, e.g. nginx:<version>' }]
    },
    {
      name: 'registry with port has no tag',
      code: 'FROM localhost:5000/app',
      errors: [{ line: 1, message: 'localhost:5000/app has no tag and floats to :latest; pin a version, e.g. localhost:5000/app:<version>' }]
    },
    { name: 'lower-case keyword', code: 'from ubuntu', errors: [{ line: 1, message: 'ubuntu:<version>' }] },
    {
      name: 'multi-stage: each unpinned external FROM',
      code: 'FROM golang AS build\nRUN go build\nFROM build AS test\nFROM alpine:latest\nCOPY --from=build /a /a',
      errors: [
        { line: 1, message: 'golang has no tag' },
        { line: 4, message: 'alpine:latest' }
      ]
    },
    {
      name: 'ARG without default or build-arg',
      code: 'ARG BASE\nFROM ${BASE}',
      errors: [
        {
          line: 2,
          message:
            'FROM ${BASE}: cannot resolve BASE (no default and no build-arg); give the ARG a default, e.g. ARG BASE=<image>:<version>, or pass it with build-args'
        }
      ]
    },
    { name: 'ARG default without tag', code: 'ARG BASE=nginx\nFROM $BASE', errors: [{ line: 2, message: 'Base image nginx (from $BASE) has no tag' }] },
    {
      name: 'build-arg overrides a pinned default with :latest',
      code: 'ARG BASE=alpine:3.20\nFROM ${BASE}',
      buildArgs: { BASE: 'alpine:latest' },
      errors: [{ line: 2, message: 'alpine:latest (from ${BASE}) uses the floating :latest tag' }]
    },
    { name: '${X:-default} without tag', code: 'ARG BASE\nFROM ${BASE:-alpine}', errors: [{ line: 2, message: 'alpine (from ${BASE:-alpine}) has no tag' }] },
    {
      name: 'undeclared variable',
      code: 'FROM ${IMG}:1.0',
      errors: [{ line: 1, message: 'cannot resolve IMG (it is not declared); add ARG IMG=<value> before the first FROM' }]
    },
    {
      name: 'ARG declared after FROM is not seen by FROM',
      code: 'FROM alpine:3.20\nARG BASE=alpine:3.20\nFROM ${BASE}',
      errors: [{ line: 3, message: 'FROM only sees ARGs declared before the first FROM; move ARG BASE=<image>:<version> above the first FROM' }]
    },
    {
      name: 'several unresolved variables: one finding',
      code: 'ARG REG\nARG IMG\nFROM ${REG}/${IMG}:1',
      errors: [{ line: 3, message: /cannot resolve REG .*; cannot resolve IMG/ }]
    },
    {
      name: 'ARG default that uses an undeclared variable',
      code: 'ARG BASE=${REG}/app:1\nFROM ${BASE}',
      errors: [{ line: 2, message: 'cannot resolve REG (it is not declared)' }]
    },
    {
      name: 'COPY --from image :latest',
      code: 'FROM alpine:3.20\nCOPY --from=nginx:latest /etc/nginx /etc/nginx',
      errors: [{ line: 2, message: 'COPY --from image nginx:latest uses the floating :latest tag' }]
    },
    {
      name: 'RUN --mount from image without tag',
      code: 'FROM alpine:3.20\nRUN --mount=type=bind,from=ghcr.io/acme/tools,target=/t /t/run',
      errors: [{ line: 2, message: 'RUN --mount image ghcr.io/acme/tools has no tag and floats to :latest; pin a version, e.g. ghcr.io/acme/tools:<version>' }]
    },
    {
      name: 'heredoc RUN between unpinned FROMs',
      code: 'FROM ubuntu\nRUN <<EOF\nset -e\napt-get update\nEOF\nFROM debian:latest',
      errors: [
        { line: 1, message: 'ubuntu has no tag' },
        { line: 6, message: 'debian:latest' }
      ]
    },
    {
      name: 'escape directive and a Windows image without tag',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir',
      errors: [{ line: 2, message: 'mcr.microsoft.com/windows/servercore:<version>' }]
    },
    {
      name: 'require-digest **',
      code: 'FROM alpine:3.20',
      options: { 'require-digest': ['**'] },
      errors: [
        {
          line: 1,
          message:
            'Base image alpine:3.20 is not pinned by digest, which require-digest ("**") demands for docker.io/library/alpine; add the digest, e.g. alpine:3.20@sha256:<digest>'
        }
      ]
    },
    {
      name: 'require-digest org glob',
      code: 'FROM ghcr.io/acme/base:1.2 AS base\nFROM ghcr.io/other/x:1\nCOPY --from=ghcr.io/acme/tools:2 /t /t',
      options: { 'require-digest': ['ghcr.io/acme/**'] },
      errors: [
        { line: 1, message: 'ghcr.io/acme/base:1.2@sha256:<digest>' },
        { line: 3, message: 'COPY --from image ghcr.io/acme/tools:2 is not pinned by digest' }
      ]
    },
    {
      name: 'require-digest normalized Docker Hub name',
      code: 'FROM nginx:1.27\nFROM docker.io/library/redis:7',
      options: { 'require-digest': ['docker.io/library/*'] },
      errors: [{ line: 1 }, { line: 2 }]
    },
    {
      name: 'require-digest short Docker Hub name',
      code: 'FROM nginx:1.27\nFROM redis:7',
      options: { 'require-digest': ['nginx'] },
      errors: [{ line: 1, message: 'nginx:1.27@sha256:<digest>' }]
    },
    { name: 'invalid reference', code: 'FROM Alpine:3.20', errors: [{ line: 1, message: 'FROM Alpine:3.20 is not a valid image reference' }] },
    {
      name: 'unpinned parent reported once, not at its users',
      code: 'FROM node AS base\nFROM base AS dev\nFROM base',
      errors: [{ line: 1, message: 'node has no tag' }]
    },
    { name: 'per-platform image name without tag', code: 'FROM acme/app-${TARGETARCH}', errors: [{ line: 1, message: 'acme/app-${TARGETARCH} has no tag' }] },
    {
      name: 'COPY --from invalid reference',
      code: 'FROM alpine:3.20\nCOPY --from=Acme/Tools:1 /a /a',
      errors: [{ line: 2, message: 'neither a stage of this file nor a valid image reference' }]
    },
    {
      name: 'build-arg sets the image to an empty string',
      code: 'ARG BASE=alpine:3.20\nFROM $BASE',
      buildArgs: { BASE: '' },
      errors: [{ line: 2, message: 'FROM $BASE resolves to an empty image name; give BASE a value, e.g. ARG BASE=<image>:<version>' }]
    },
    {
      name: 'nginx-style %%PLACEHOLDER%% template is not judged, others are',
      code: 'FROM nginx:%%NGINX_VERSION%%\nFROM debian',
      errors: [{ line: 2, message: 'debian has no tag' }]
    },
    { name: 'FROM continued over lines', code: 'FROM \\\n  nginx \\\n  AS web', errors: [{ line: 2, message: 'nginx has no tag' }] }
  ]
});

describe('unpinned-base-image columns', () => {
  beforeAll(loadShellParser);
  const cols = (code: string) =>
    lintWith(rule, { code })
      .findings.filter((f) => f.ruleId === rule.meta.id)
      .map((f) => [f.line, f.column]);
  it('points at the image word', () => {
    expect(cols('FROM --platform=$BUILDPLATFORM nginx AS web')).toEqual([[1, 32]]);
    expect(cols('  from \\\n    nginx')).toEqual([[2, 5]]);
  });
  it('points at the --from / --mount flag', () => {
    expect(cols('FROM alpine:3.20\nCOPY --chown=1:1 --from=nginx:latest /a /b')).toEqual([[2, 18]]);
    expect(cols('FROM alpine:3.20\nRUN --mount=type=bind,from=acme/tools,target=/t true')).toEqual([[2, 5]]);
  });
});

describe('pin suggestions (digests looked up by lint --suggest-pins)', () => {
  const DIGEST = `sha256:${'b'.repeat(64)}`;
  const fixesOf = (text: string, digests: Record<string, string>) =>
    lintFile('Dockerfile', text, defaultConfig(), [rule], { external: new Map([['Dockerfile', { digests: new Map(Object.entries(digests)) }]]) }).findings.map(
      (f) => [f.line, f.fix ? [f.fix.line, f.fix.replacement] : undefined]
    );
  test.each<[string, string, Record<string, string>, unknown[]]>([
    ['latest tag gets the pinned line', 'FROM nginx:latest\n', { 'docker.io/library/nginx:latest': DIGEST }, [[1, [1, `FROM nginx:latest@${DIGEST}`]]]],
    [
      'no tag: the digest is appended, no tag invented',
      'FROM nginx AS web\n',
      { 'docker.io/library/nginx:latest': DIGEST },
      [[1, [1, `FROM nginx@${DIGEST} AS web`]]]
    ],
    [
      'FROM ${BASE}: the fix is on the ARG default line',
      'ARG BASE=alpine\nFROM ${BASE}\n',
      { 'docker.io/library/alpine:latest': DIGEST },
      [[2, [1, `ARG BASE=alpine@${DIGEST}`]]]
    ],
    [
      'COPY --from image',
      'FROM alpine:3.20\nCOPY --from=busybox:latest /bin/busybox /bin/\n',
      { 'docker.io/library/busybox:latest': DIGEST },
      [[2, [2, `COPY --from=busybox:latest@${DIGEST} /bin/busybox /bin/`]]]
    ],
    ['unknown digest: finding without fix', 'FROM nginx:latest\n', {}, [[1, undefined]]],
    ['malformed digest from a registry: no fix', 'FROM nginx:latest\n', { 'docker.io/library/nginx:latest': 'sha256:nothex' }, [[1, undefined]]]
  ])('%s', (_n, text, digests, expected) => {
    expect(fixesOf(text, digests)).toEqual(expected);
  });
});
