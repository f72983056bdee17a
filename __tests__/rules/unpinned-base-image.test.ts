import { beforeAll, describe, expect, it, test } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { lintFile } from '../../src/core/lint.js';
import rule from '../../src/core/rules/unpinned-base-image.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { imageRuleTester } from '../helpers/image-rule-tester.js';
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
    { name: 'template placeholders are not judged', code: 'FROM alpine:{{ env.variant }}' },
    { name: 'dev-container template option is a placeholder, not an ARG', code: 'FROM mcr.microsoft.com/devcontainers/cpp:${templateOption:imageVariant}' },
    { name: 'debian codename is its version', code: 'FROM debian:bookworm-slim' },
    { name: 'ubuntu codename is its version', code: 'FROM ubuntu:noble' },
    { name: 'buildpack-deps codename', code: 'FROM buildpack-deps:bookworm-curl' },
    { name: 'codename on an arch-prefixed image', code: 'FROM amd64/buildpack-deps:noble-curl AS installer' },
    { name: 'newest Ubuntu codenames', code: 'FROM ubuntu:resolute\nFROM ubuntu.azurecr.io/ubuntu:questing' },
    { name: 'codename on a dev-container base', code: 'FROM mcr.microsoft.com/devcontainers/base:bullseye' },
    { name: 'dated snapshot of a channel', code: 'FROM debian:stable-20240110-slim' },
    { name: 'version next to a variant', code: 'FROM php:8.3-fpm-alpine' },
    { name: 'Windows LTSC tag has a version', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022' },
    { name: 'floating tag pinned by digest', code: `FROM node:lts@${D}` },
    { name: 'image ID names one immutable image', code: `FROM ${'0123456789abcdef'.repeat(4)}` },
    { name: 'allow-floating-tags: a tag', code: 'FROM gcr.io/distroless/static:nonroot', options: { 'allow-floating-tags': ['nonroot'] } },
    {
      name: 'allow-floating-tags: image and tag',
      code: 'FROM node:lts\nFROM gcr.io/distroless/static:nonroot',
      options: { 'allow-floating-tags': ['node:lts', 'gcr.io/distroless/*:nonroot'] }
    },
    { name: 'build-arg supplies a pinned image', code: 'ARG BASE\nFROM ${BASE}', buildArgs: { BASE: 'alpine:3.20' } },
    // Broken builds are BuildKit's checks' findings (undefined-arg-in-from, invalid-default-arg-in-from): one per line.
    { name: 'undeclared variable: undefined-arg-in-from', code: 'FROM ${IMG}:1.0' },
    { name: 'ARG declared after FROM: undefined-arg-in-from', code: 'FROM alpine:3.20\nARG BASE=alpine:3.20\nFROM ${BASE}' },
    { name: 'several undeclared variables', code: 'FROM ${REG}/${IMG}:1' },
    { name: 'build-supplied next to undeclared: undefined-arg-in-from', code: 'ARG REG\nFROM ${REG}/app:${VER}' },
    { name: 'ARG default that uses an undeclared variable: invalid-default-arg-in-from', code: 'ARG BASE=${REG}/app:1\nFROM ${BASE}' },
    { name: 'empty ARG default: invalid-default-arg-in-from', code: 'ARG BASE=\nFROM ${BASE}' },
    { name: 'invalid ARG default: invalid-default-arg-in-from', code: 'ARG BASE=Alpine:3.20\nFROM ${BASE}' }
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
      name: 'ARG without default or build-arg: supplied by the build, one note',
      code: 'ARG BASE\nFROM ${BASE}',
      errors: [
        {
          line: 2,
          message:
            'FROM ${BASE}: the base image is supplied by the build system (BASE has no default), so it cannot be checked here; set BASE in lint.build-args (or --build-arg BASE=<image>:<version>) to have it checked'
        }
      ]
    },

    {
      name: 'node:lts',
      code: 'FROM node:lts',
      errors: [
        {
          line: 1,
          message:
            'Base image node:lts uses the tag :lts, which floats like :latest ("lts" names a moving channel, not a version); pin a version, e.g. node:<version>'
        }
      ]
    },
    { name: 'node:lts-buster-slim', code: 'FROM node:lts-buster-slim', errors: [{ line: 1, message: 'e.g. node:<version>-buster-slim' }] },
    { name: 'lts next to a pinned variant', code: 'FROM node:lts-alpine3.20 AS web', errors: [{ line: 1, message: ':lts-alpine3.20, which floats' }] },
    { name: 'node:current', code: 'FROM node:current', errors: [{ line: 1, message: '"current" names a moving channel' }] },
    { name: 'debian:stable-slim', code: 'FROM debian:stable-slim', errors: [{ line: 1, message: 'e.g. debian:<version>-slim' }] },
    { name: 'alpine:edge', code: 'FROM alpine:edge', errors: [{ line: 1, message: ':edge' }] },
    { name: 'nginx:mainline-alpine', code: 'FROM nginx:mainline-alpine', errors: [{ line: 1, message: '"mainline"' }] },
    {
      name: 'nginx:alpine carries no version',
      code: 'FROM nginx:alpine',
      errors: [
        { line: 1, message: 'nginx:alpine uses the tag :alpine, which floats like :latest (it carries no version); pin a version, e.g. nginx:<version>-alpine' }
      ]
    },
    { name: 'python:slim', code: 'FROM python:slim', errors: [{ line: 1, message: 'python:<version>-slim' }] },
    { name: 'nextcloud:fpm-alpine', code: 'FROM nextcloud:fpm-alpine', errors: [{ line: 1, message: 'nextcloud:<version>-fpm-alpine' }] },
    { name: 'golang:bookworm: the Go version floats', code: 'FROM golang:bookworm', errors: [{ line: 1, message: 'it carries no version' }] },
    { name: 'rust:buster: the Rust version floats', code: 'FROM rust:buster', errors: [{ line: 1, message: 'rust:<version>-buster' }] },
    { name: 'debian:sid is a channel', code: 'FROM debian:sid-slim', errors: [{ line: 1, message: '"sid" names a moving channel' }] },
    {
      name: 'a distribution name is not a codename',
      code: 'FROM mcr.microsoft.com/vscode/devcontainers/base:ubuntu',
      errors: [{ line: 1, message: 'it carries no version' }]
    },
    { name: 'acme/app:dev', code: 'FROM acme/app:dev', errors: [{ line: 1, message: ':dev' }] },
    {
      name: 'distroless :nonroot publishes no version tags: pin by digest',
      code: 'FROM gcr.io/distroless/static:nonroot',
      errors: [{ line: 1, message: 'it publishes no version tags, so pin it by digest: gcr.io/distroless/static:nonroot@sha256:<digest>' }]
    },
    {
      name: 'floating COPY --from image',
      code: 'FROM alpine:3.20\nCOPY --from=node:lts /usr/local/bin/node /usr/local/bin/',
      errors: [{ line: 2, message: 'COPY --from image node:lts uses the tag :lts' }]
    },
    {
      name: 'floating tag from an ARG default',
      code: 'ARG NODE=node:lts\nFROM $NODE',
      errors: [{ line: 2, message: 'node:lts (from $NODE) uses the tag :lts' }]
    },
    {
      name: 'allow-floating-tags for another image does not apply',
      code: 'FROM node:lts',
      options: { 'allow-floating-tags': ['gcr.io/distroless/*:nonroot'] },
      errors: [{ line: 1 }]
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
      name: 'several build-supplied variables: one note',
      code: 'ARG REG\nARG IMG\nFROM ${REG}/${IMG}:1',
      errors: [{ line: 3, message: '(REG, IMG have no default), so it cannot be checked here; set REG and IMG in lint.build-args' }]
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

describe('unpinned-base-image severities', () => {
  beforeAll(loadShellParser);
  const sev = (code: string, buildArgs?: Record<string, string>) =>
    lintWith(rule, { code, buildArgs })
      .findings.filter((f) => f.ruleId === rule.meta.id)
      .map((f) => [f.line, f.severity, f.fix]);
  it('a build-supplied base is one note without a fix; unpinned images stay warnings', () => {
    expect(sev('ARG BASE\nFROM ${BASE}')).toEqual([[2, 'note', undefined]]);
    expect(sev('FROM nginx')).toEqual([[1, 'warning', undefined]]);
    expect(sev('FROM node:lts')).toEqual([[1, 'warning', undefined]]);
  });
  it('a configured severity still wins over the note', () => {
    const config = defaultConfig();
    config.rules[rule.meta.id] = { enabled: true, severity: 'error' };
    const out = lintFile('Dockerfile', 'ARG BASE\nFROM ${BASE}', config, [rule]).findings.map((f) => f.severity);
    expect(out).toEqual(['error']);
  });
});

imageRuleTester(rule, {
  valid: [
    { name: 'no base annotation', image: { annotations: {} } },
    { name: 'a versioned base', image: { annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20' } } },
    {
      name: 'a floating tag recorded with the digest that was pulled',
      image: { annotations: { 'org.opencontainers.image.base.name': 'node:lts', 'org.opencontainers.image.base.digest': 'sha256:' + 'e'.repeat(64) } }
    }
  ],
  invalid: [
    {
      name: 'latest, no digest',
      image: { annotations: { 'org.opencontainers.image.base.name': 'nginx:latest' } },
      errors: [{ file: 'registry.test/app:1', message: 'floating :latest tag' }]
    },
    { name: 'no tag', image: { annotations: { 'org.opencontainers.image.base.name': 'ubuntu' } }, errors: [{ message: 'has no tag' }] },
    {
      name: 'require-digest',
      image: { annotations: { 'org.opencontainers.image.base.name': 'ghcr.io/acme/base:1.2' } },
      options: { 'require-digest': ['ghcr.io/acme/**'] },
      errors: [{ message: 'digest' }]
    },
    {
      name: 'not a reference',
      image: { annotations: { 'org.opencontainers.image.base.name': 'Not A Ref!' } },
      errors: [{ message: 'is not an image reference' }]
    }
  ]
});
