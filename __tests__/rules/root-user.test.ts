import rule from '../../src/core/rules/root-user.js';
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
    { name: 'continuation line in USER', code: 'FROM alpine:3.20\nUSER \\\n  app' }
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
      name: 'scratch without USER',
      code: 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app',
      errors: [{ line: 2, message: 'FROM scratch, so it runs as uid 0' }]
    },
    { name: 'distroless without the nonroot tag', code: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app', errors: [{ line: 1 }] },
    { name: 'chainguard -dev tag runs as root', code: 'FROM cgr.dev/chainguard/python:latest-dev\nCOPY . /app', errors: [{ line: 1 }] },
    {
      name: 'option replaces the default list',
      code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app',
      options: { 'non-root-images': [] },
      errors: [{ line: 1 }]
    },
    { name: 'unresolvable base, no USER', code: 'ARG BASE\nFROM ${BASE}\nRUN true', errors: [{ line: 2, message: '${BASE}, which cannot be resolved' }] },
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
