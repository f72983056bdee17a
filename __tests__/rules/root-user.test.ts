import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/core/config/load.js';
import { defaultConfig } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { lintFile } from '../../src/core/lint.js';
import rule from '../../src/core/rules/root-user.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { imageRuleTester } from '../helpers/image-rule-tester.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'named non-root user', code: 'FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCMD ["/app"]' },
    { name: 'numeric uid and gid', code: 'FROM debian:12\nUSER 10001:10001' },
    { name: 'root for a step, then back', code: 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nUSER app' },
    {
      name: 'root in a build stage that does not ship',
      code: 'FROM golang:1.23 AS build\nUSER root\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nUSER 65532'
    },
    { name: 'USER inherited from an earlier stage', code: 'FROM alpine:3.20 AS base\nRUN adduser -D app\nUSER app\nFROM base\nCOPY . /srv' },
    { name: 'inherited through two stages', code: 'FROM alpine:3.20 AS a\nUSER 1000\nFROM a AS b\nRUN true\nFROM b\nCMD ["sh"]' },
    { name: 'distroless nonroot tag', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app' },
    { name: 'distroless debug-nonroot tag', code: 'FROM gcr.io/distroless/base-debian12:debug-nonroot\nCOPY app /app' },
    { name: 'chainguard image', code: 'FROM cgr.dev/chainguard/static:latest\nCOPY app /app' },
    { name: '.NET chiseled image', code: 'FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled\nCOPY app /app' },
    { name: 'USER with a variable that has no value: no guess', code: 'FROM alpine:3.20\nARG APP_USER\nUSER $APP_USER' },
    { name: 'ARG-resolved non-root user', code: 'FROM alpine:3.20\nARG UID=10001\nUSER ${UID}:${UID}' },
    { name: 'heredoc RUN, then a non-root USER', code: 'FROM alpine:3.20\nRUN <<EOF\nadduser -D app\nUSER root\nEOF\nUSER app' },
    { name: 'scratch with a numeric USER', code: 'FROM scratch\nCOPY app /app\nUSER 65532:65532' },
    {
      name: 'Windows: ContainerUser, escape directive',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nUSER ContainerUser'
    },
    { name: 'Windows: Nano Server runs as ContainerUser by default', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe C:/app/' },
    { name: 'targets: only the configured target ships', code: 'FROM alpine:3.20 AS app\nUSER app\nFROM alpine:3.20 AS debug\nUSER root', targets: ['app'] },
    {
      name: 'configured non-root base image',
      code: 'FROM registry.example.com/base/runtime:2.1\nCOPY app /app',
      options: { 'non-root-images': ['registry.example.com/base/*:*'] }
    },
    { name: 'continuation line in USER', code: 'FROM alpine:3.20\nUSER \\\n  app' },
    { name: 'base supplied by the build: unknown user, no guess', code: 'ARG BASE\nFROM ${BASE}\nRUN true' },
    { name: 'an empty option keeps the catalog', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app', options: { 'non-root-images': [] } },
    ...[
      'bitnami/nginx:1.27',
      'docker.io/bitnami/postgresql:16.4.0',
      'bitnamilegacy/redis:7.2',
      'bitnami/kubectl:1.30',
      'quay.io/jupyter/base-notebook:2024-07-29',
      'jupyter/scipy-notebook:lab-4.0.7',
      'quay.io/jupyter/docker-stacks-foundation',
      'jenkins/jenkins:2.462.1-lts-jdk17',
      'jenkins/inbound-agent:3248.v65ecb_254c298-1',
      'registry.access.redhat.com/ubi8/nodejs-18:1-108',
      'registry.access.redhat.com/ubi9/python-311',
      'ubi8/ruby-25',
      'registry.access.redhat.com/ubi8/nginx-120',
      'quay.io/sclorg/nodejs-20-c9s',
      'quay.io/fedora/python-312',
      'registry.redhat.io/rhel8/postgresql-12',
      'grafana/grafana:11.1.0',
      'grafana/grafana-oss:11.1.0-ubuntu',
      'nginxinc/nginx-unprivileged:1.27-alpine',
      'cgr.dev/chainguard/python:latest',
      'gcr.io/distroless/static-debian12:nonroot-amd64',
      'mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled-extra',
      'mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-distroless',
      'mcr.microsoft.com/dotnet/aspnet:8.0.30-azurelinux3.0-distroless-extra-amd64',
      'mcr.microsoft.com/dotnet/monitor/base:9.0.5-amd64',
      'mcr.microsoft.com/dotnet/aspire-dashboard:9.0',
      'sonarqube:10.6-community',
      'kong:3.7',
      'prom/prometheus:v2.53.0',
      'quay.io/prometheus/prometheus:v2.53.0'
    ].map((image) => ({ name: `catalog: ${image}`, code: `FROM ${image}\nCOPY app /app` })),
    { name: 'catalog image through an ARG default', code: 'ARG BASE_IMAGE=quay.io/jupyter/base-notebook\nFROM $BASE_IMAGE\nRUN pip install dask' },
    { name: 'catalog image through an earlier stage', code: 'FROM bitnami/redis:7.2 AS base\nFROM base\nCOPY redis.conf /opt/bitnami/redis/etc/' },
    { name: 'export-only scratch stage', code: 'FROM golang:1.23 AS build\nRUN go build -o /out/app\nFROM scratch AS release\nCOPY --from=build /out/ /' },
    { name: 'export-only: ARG and LABEL allowed', code: 'FROM scratch\nARG VERSION\nLABEL org.opencontainers.image.version=$VERSION\nADD out.tar /' },
    {
      name: 'export-only through a stage picked by TARGETOS (buildx layout)',
      code: 'FROM golang:1.23 AS build\nRUN go build -o /out/app\nFROM scratch AS binaries-unix\nCOPY --from=build /out/app /app\nFROM binaries-unix AS binaries-linux\nFROM scratch AS binaries-windows\nCOPY --from=build /out/app /app.exe\nFROM binaries-$TARGETOS AS binaries\nFROM binaries'
    }
  ],
  invalid: [
    { name: 'no USER at all', code: 'FROM alpine:3.20\nRUN apk add curl', errors: [{ line: 1, message: 'has no USER' }] },
    {
      name: 'USER root last',
      code: 'FROM alpine:3.20\nUSER app\nRUN id\nUSER root\nCMD ["sh"]',
      errors: [{ line: 4, message: 'USER root makes the final stage run as root' }]
    },
    { name: 'uid 0 with group', code: 'FROM alpine:3.20\nUSER 0:0', errors: [{ line: 2, message: 'non-root USER' }] },
    { name: 'root with a group', code: 'FROM alpine:3.20\nUSER root:wheel', errors: [{ line: 2, message: 'USER root:wheel' }] },
    { name: 'back and forth ending in root', code: 'FROM alpine:3.20\nUSER root\nUSER app\nUSER root', errors: [{ line: 4 }] },
    { name: 'ARG-resolved root', code: 'FROM alpine:3.20\nARG RUN_AS=root\nUSER $RUN_AS', errors: [{ line: 3, message: 'USER $RUN_AS (resolves to root)' }] },
    {
      name: 'build arg overrides a safe default',
      code: 'FROM alpine:3.20\nARG RUN_AS=app\nUSER ${RUN_AS}',
      buildArgs: { RUN_AS: '0' },
      errors: [{ line: 3, message: 'resolves to 0' }]
    },
    { name: 'global ARG re-declared in the stage', code: 'ARG BASE_USER=root\nFROM alpine:3.20\nARG BASE_USER\nUSER $BASE_USER', errors: [{ line: 4 }] },
    { name: 'ENV-resolved uid 0', code: 'FROM alpine:3.20\nENV U=0\nUSER ${U}:${U}', errors: [{ line: 3, message: 'resolves to 0:0' }] },
    {
      name: 'shipped stage inherits USER root from a build stage',
      code: 'FROM alpine:3.20 AS base\nUSER root\nFROM base AS final\nCOPY . /srv',
      errors: [{ line: 2, message: 'is inherited by stage "final"' }]
    },
    {
      name: 'multi-stage: no USER in the final stage nor its ancestry',
      code: 'FROM golang:1.23 AS build\nUSER 1000\nRUN go build\nFROM debian:12 AS base\nFROM base\nCOPY --from=build /out /app',
      errors: [{ line: 5, message: 'default user of debian:12' }]
    },
    {
      name: 'scratch without USER, with an ENTRYPOINT',
      code: 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
      errors: [{ line: 2, message: 'FROM scratch, so it runs as uid 0' }]
    },
    { name: 'scratch with ENV is not export-only', code: 'FROM scratch\nCOPY app /app\nENV PATH=/', errors: [{ line: 1, message: 'FROM scratch' }] },
    { name: 'scratch with CMD in an ancestor', code: 'FROM scratch AS a\nCOPY app /app\nCMD ["/app"]\nFROM a\nCOPY b /b', errors: [{ line: 4 }] },
    { name: 'scratch ending in USER 0', code: 'FROM scratch\nCOPY app /app\nUSER 0', errors: [{ line: 3, message: 'USER 0' }] },
    {
      name: 'Bitnami image that runs as root (node)',
      code: 'FROM bitnami/node:20\nCOPY . /app',
      errors: [{ line: 1, message: 'default user of bitnami/node:20' }]
    },
    { name: 'Bitnami git runs as root', code: 'FROM docker.io/bitnami/git:2\nRUN git --version', errors: [{ line: 1 }] },
    { name: 'UBI base image runs as root', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nCOPY app /app', errors: [{ line: 1 }] },
    { name: 'UBI s2i-core parent is not in the catalog', code: 'FROM registry.access.redhat.com/ubi8/s2i-core:1\nCOPY app /app', errors: [{ line: 1 }] },
    { name: 'chainguard wolfi-base runs as root', code: 'FROM cgr.dev/chainguard/wolfi-base:latest\nCOPY app /app', errors: [{ line: 1 }] },
    { name: '.NET aspnet without chiseled/distroless runs as root', code: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY app /app', errors: [{ line: 1 }] },
    {
      name: 'a ! glob excludes a catalog image',
      code: 'FROM bitnami/nginx:1.27\nCOPY site /app',
      options: { 'non-root-images': ['!docker.io/bitnami/nginx:*'] },
      errors: [{ line: 1 }]
    },
    { name: 'distroless without the nonroot tag', code: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app', errors: [{ line: 1 }] },
    { name: 'chainguard -dev tag runs as root', code: 'FROM cgr.dev/chainguard/python:latest-dev\nCOPY . /app', errors: [{ line: 1 }] },

    { name: 'heredoc RUN before USER root', code: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nadduser -D app\nEOF\nUSER root', errors: [{ line: 6 }] },
    {
      name: 'Windows: ContainerAdministrator, escape directive',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nUSER ContainerAdministrator',
      errors: [{ line: 5, message: 'USER ContainerUser' }]
    },
    {
      name: 'Windows: Server Core without USER',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe C:/app/',
      errors: [{ line: 2, message: 'runs as ContainerAdministrator' }]
    },
    {
      name: 'Linux PowerShell image: no Windows advice',
      code: 'FROM mcr.microsoft.com/powershell:7.4-alpine-3.17\nRUN pwsh -c 1',
      errors: [{ line: 1, message: 'default user of mcr.microsoft.com/powershell:7.4-alpine-3.17 (root for most images)' }]
    },
    { name: 'escape directive and continuation: reported at the USER line', code: '# escape=`\nFROM alpine:3.20\nUSER `\n  root', errors: [{ line: 3 }] },
    {
      name: 'targets: every configured target is checked',
      code: 'FROM alpine:3.20 AS api\nUSER root\nFROM alpine:3.20 AS worker\nRUN true\nFROM alpine:3.20 AS tools\nUSER app',
      targets: ['api', 'worker'],
      errors: [
        { line: 2, message: 'stage "api"' },
        { line: 3, message: 'stage "worker" has no USER' }
      ]
    },
    {
      name: 'targets: a shared root USER is reported once',
      code: 'FROM alpine:3.20 AS base\nUSER root\nFROM base AS a\nFROM base AS b',
      targets: ['a', 'b'],
      errors: [{ line: 2 }]
    },
    { name: 'lower-case keywords', code: 'from alpine:3.20\nuser root', errors: [{ line: 2 }] }
  ]
});

describe('root-user per platform', () => {
  beforeAll(loadShellParser);
  const run = (code: string, platforms?: string[]) => {
    const config = defaultConfig();
    config.rules[rule.meta.id] = { enabled: true };
    if (platforms) config.lint.platforms = platforms;
    return lintFile('Dockerfile', code, config, [rule]).findings.map((f) => `${f.line}: ${f.message}`);
  };
  const BY_OS = 'FROM alpine:3.20 AS app-linux\nUSER root\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS app-windows\nFROM app-$TARGETOS';

  it('resolves the stage BuildKit picks for linux/amd64 by default, not the last one that matches', () => {
    expect(run(BY_OS)).toEqual([
      '2: USER root is inherited by the final stage, which ships and so runs as root: end the final stage with a non-root USER (e.g. USER 10001:10001, or a user created with useradd) (for linux/amd64)'
    ]);
  });
  it('checks each configured platform and names the ones a finding holds for', () => {
    expect(run(BY_OS, ['windows/amd64'])).toEqual([]);
    expect(run(BY_OS, ['linux/amd64', 'linux/arm64', 'windows/amd64'])).toEqual([expect.stringMatching(/^2: USER root .*\(for linux\/amd64, linux\/arm64\)$/)]);
  });
  it('TARGETARCH picks the stage per architecture', () => {
    const code = 'FROM alpine:3.20 AS build-amd64\nUSER root\nFROM alpine:3.20 AS build-arm64\nUSER 1000\nFROM build-${TARGETARCH}\nCMD ["sh"]';
    expect(run(code, ['linux/arm64'])).toEqual([]);
    expect(run(code, ['linux/amd64', 'linux/arm64'])).toEqual([expect.stringMatching(/^2: USER root .*\(for linux\/amd64\)$/)]);
  });
  it('a base image named by platform is judged per platform', () => {
    const code = 'FROM scratch AS bin-linux\nCOPY app /app\nFROM alpine:3.20 AS bin-windows\nFROM bin-$TARGETOS';
    expect(run(code)).toEqual([]);
    expect(run(code, ['windows/amd64'])).toEqual([
      expect.stringMatching(/^4: the final stage has no USER, so it runs as the default user of alpine:3.20 .*\(for windows\/amd64\)$/)
    ]);
  });
  it('a global ARG with a default wins over the platform value, as in BuildKit', () => {
    expect(run('ARG TARGETOS=windows\nFROM alpine:3.20 AS app-linux\nUSER root\nFROM alpine:3.20 AS app-windows\nUSER app\nFROM app-$TARGETOS')).toEqual([]);
  });
  it('findings that do not depend on the platform name none', () => {
    expect(run('FROM alpine:3.20\nUSER root', ['linux/amd64', 'linux/arm64'])).toEqual([expect.not.stringContaining('(for ')]);
  });
});

describe('lint.platforms in the config', () => {
  beforeAll(loadShellParser);
  const BY_OS = 'FROM alpine:3.20 AS app-linux\nUSER root\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS app-windows\nFROM app-$TARGETOS';
  it('is read from YAML and reaches the rule', () => {
    const config = parseConfig('lint:\n  platforms: [windows/amd64]\n', '.container-guard.yml', BUILTIN_RULES);
    expect(config.lint.platforms).toEqual(['windows/amd64']);
    expect(lintFile('Dockerfile', BY_OS, config, [rule]).findings).toEqual([]);
    const linux = parseConfig('lint:\n  platforms: [linux/arm64, windows/amd64]\n', '.container-guard.yml', BUILTIN_RULES);
    expect(lintFile('Dockerfile', BY_OS, linux, [rule]).findings.map((f) => f.message)).toEqual([expect.stringMatching(/\(for linux\/arm64\)$/)]);
  });
  it.each(['platforms: linux/amd64', 'platforms: [linux]', 'platforms: ["Linux/AMD64"]', 'platforms: []'])('rejects %s', (line) => {
    expect(() => parseConfig(`lint:\n  ${line}\n`, '.container-guard.yml', BUILTIN_RULES)).toThrow(/platforms/);
  });
});

imageRuleTester(rule, {
  valid: [
    { name: 'a numeric non-root user', image: { user: '10001:10001' } },
    { name: 'a named user (a base image set it)', image: { user: 'node' } },
    { name: 'Windows ContainerUser', image: { user: 'ContainerUser', platform: 'windows/amd64' } }
  ],
  invalid: [
    {
      name: 'no User: root',
      image: { user: '' },
      errors: [{ file: 'registry.test/app:1', message: 'the image config sets no User, so it runs as root (uid 0)' }]
    },
    { name: 'root by name', image: { user: 'root' }, errors: [{ message: 'User is "root"' }] },
    { name: 'uid 0 with a group', image: { user: '0:0' }, errors: [{ message: '"0:0", which is root' }] },
    { name: 'Windows without User', image: { user: '', platform: 'windows/amd64' }, errors: [{ message: 'ContainerAdministrator' }] }
  ]
});
