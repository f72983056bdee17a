import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import rule from '../../src/core/rules/secret-in-env.js';
import type { ReportDescriptor } from '../../src/core/rules/types.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { imageRuleTester } from '../helpers/image-rule-tester.js';
import { lintWith, ruleTester, type InvalidCase } from '../helpers/rule-tester.js';

// Fake credentials, assembled so no token-shaped literal sits in the source.
const GHP = 'ghp_' + 'A1b2C3d4'.repeat(5);
const GH_PAT = 'github_pat_' + '11AbCdEfG0'.repeat(4);
const GLPAT = 'glpat-' + 'xY3zW9vU7t'.repeat(2);
const AWS = 'AKIA' + 'IOSFODNN7EXAMPLE';
const SLACK = 'xoxb-' + '1234567890-abcdefABCDEF';
const STRIPE = 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc';
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiJ9.' + 'eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIn0.' + 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM_BODY = 'MIIEowIBAAKCAQEAx7Y2bWq9Z';
const PEM = '-----BEGIN RSA ' + 'PRIVATE KEY-----\\n' + PEM_BODY;
const URL_PASS = 'Sup3rS3cretPw';
const PASSWORD = 'hunter2-hunter2';
const SECRETS = [GHP, GH_PAT, GLPAT, AWS, SLACK, STRIPE, JWT, PEM_BODY, URL_PASS, PASSWORD, 'my-s3cret-pw', 'abc123xyz987', 'sh0rt'];

const invalid: InvalidCase[] = [
  {
    name: 'a weak password under a password name is still a secret',
    code: 'FROM postgres:16\nENV POSTGRES_PASSWORD=postgres',
    errors: [{ line: 2, message: 'ENV POSTGRES_PASSWORD sets a secret to a literal value' }]
  },
  {
    name: 'a 40-hex value under an API key name is a credential',
    code: 'FROM alpine:3.20\nENV API_KEY=4ed778f539e3634c779c87c6d7062848a1ab005c',
    errors: [{ line: 2 }]
  },
  {
    name: 'password in a JDBC URL query',
    code: `FROM eclipse-temurin:21\nENV JDBC_URL="jdbc:postgresql://db/app?user=a&password=${URL_PASS}"`,
    errors: [{ line: 2, message: 'a password in a URL query' }]
  },
  {
    name: 'a token in a RUN argument',
    code: `FROM alpine:3.20\nRUN curl -H "Authorization: token ${GHP}" https://api.github.com/user`,
    errors: [{ line: 2, message: 'RUN holds a GitHub token (ghp_****), which is recorded in the image history' }]
  },
  {
    name: 'a token in CMD exec form',
    code: `FROM alpine:3.20\nCMD ["app", "--slack-token", "${SLACK}"]`,
    errors: [{ line: 2, message: 'stored in the image config' }]
  },
  { name: 'a token in a heredoc', code: `FROM alpine:3.20\nRUN <<EOF\necho ${GLPAT} > /tmp/t\nEOF`, errors: [{ line: 2, message: 'GitLab token' }] },
  {
    name: 'user:password@ in FROM',
    code: `FROM bot:${URL_PASS}@registry.example.com/team/base:1.0`,
    errors: [{ line: 1, message: 'a password in an image reference' }]
  },
  {
    name: 'user:password@ in an ADD URL',
    code: `FROM alpine:3.20\nADD https://ci:${URL_PASS}@artifacts.example.com/app.tgz /tmp/`,
    errors: [{ line: 2, message: 'a password in URL' }]
  },
  {
    name: 'user:password@ in COPY --from',
    code: `FROM alpine:3.20\nCOPY --from=bot:${URL_PASS}@registry.example.com/tools:1 /bin/t /bin/t`,
    errors: [{ line: 2, message: 'a password in an image reference' }]
  },
  {
    name: 'GitHub token in ENV: masked prefix, secret mount suggested',
    code: `FROM alpine:3.20\nENV GITHUB_TOKEN=${GHP}`,
    errors: [
      {
        line: 2,
        message:
          'ENV GITHUB_TOKEN holds a GitHub token (ghp_****); pass it at build time with RUN --mount=type=secret,id=github_token instead of baking it into the image'
      }
    ]
  },
  {
    name: 'literal password by name',
    code: `FROM alpine:3.20\nENV DB_PASSWORD=${PASSWORD}`,
    errors: [{ line: 2, message: 'ENV DB_PASSWORD sets a secret to a literal value' }]
  },
  { name: 'legacy ENV KEY value form', code: 'FROM mysql:8\nENV MYSQL_ROOT_PASSWORD my-s3cret-pw', errors: [{ line: 2, message: 'id=mysql_root_password' }] },
  { name: 'quoted value with spaces', code: 'FROM alpine:3.20\nENV API_KEY="abc123xyz987 and more"', errors: [{ line: 2, message: 'ENV API_KEY' }] },
  { name: 'camelCase name', code: 'FROM alpine:3.20\nENV apiKey=abc123xyz987', errors: [{ line: 2, message: 'ENV apiKey' }] },
  {
    name: 'several pairs on one ENV: each offending key reported',
    code: `FROM alpine:3.20\nENV A=1 API_KEY=abc123xyz987 B=2 GL=${GLPAT}`,
    errors: [
      { line: 2, message: 'ENV API_KEY' },
      { line: 2, message: 'ENV GL holds a GitLab token (glpa****)' }
    ]
  },
  {
    name: 'continuation lines: the line of the pair',
    code: `FROM alpine:3.20\nENV APP_HOME=/app \\\n    DB_PASSWORD=${PASSWORD} \\\n    PORT=8080 \\\n    SLACK_HOOK=${SLACK}`,
    errors: [
      { line: 3, message: 'ENV DB_PASSWORD' },
      { line: 5, message: 'Slack token (xoxb****)' }
    ]
  },
  {
    name: 'ARG without default',
    code: 'FROM node:22\nARG NPM_TOKEN\nRUN npm ci',
    errors: [
      {
        line: 2,
        message: 'ARG NPM_TOKEN passes a secret as a build argument, which is recorded in the image history; use RUN --mount=type=secret,id=npm_token'
      }
    ]
  },
  { name: 'ARG with a literal default', code: 'FROM node:22\nARG NPM_TOKEN=sh0rt', errors: [{ line: 2, message: 'has a literal default' }] },
  {
    name: 'ARG by value, whatever the name',
    code: `FROM alpine:3.20\nARG AWS_ACCESS_KEY_ID=${AWS}`,
    errors: [{ line: 2, message: 'ARG AWS_ACCESS_KEY_ID holds an AWS access key id (AKIA****)' }]
  },
  { name: 'global ARG and its stage re-declaration', code: 'ARG GITHUB_TOKEN\nFROM alpine:3.20\nARG GITHUB_TOKEN', errors: [{ line: 1 }, { line: 3 }] },
  {
    name: 'multi-stage: every stage is checked',
    code: `FROM golang:1.23 AS build\nENV GOPRIVATE=github.com/acme GH_PAT=${GH_PAT}\nRUN go build\nFROM alpine:3.20\nENV STRIPE_KEY=${STRIPE}`,
    errors: [
      { line: 2, message: 'GitHub fine-grained token (gith****)' },
      { line: 5, message: 'Stripe live key (sk_l****)' }
    ]
  },
  {
    name: 'password in a URL, by value',
    code: `FROM python:3.12\nENV DATABASE_URL=postgres://app:${URL_PASS}@db:5432/app`,
    errors: [{ line: 2, message: /holds a password in URL; pass it/ }]
  },
  {
    name: 'PEM private key: no preview at all',
    code: `FROM alpine:3.20\nENV SSH_PRIVATE_KEY="${PEM}"`,
    errors: [{ line: 2, message: /holds a PEM private key; pass/ }]
  },
  {
    name: 'JWT in a LABEL',
    code: `FROM alpine:3.20\nLABEL com.example.auth="${JWT}"`,
    errors: [{ line: 2, message: 'LABEL com.example.auth holds a JSON Web Token (eyJh****); remove it' }]
  },
  {
    name: 'heredoc RUN before the ENV: line numbers follow the file',
    code: `FROM alpine:3.20\nRUN <<EOF\napk add curl\necho done\nEOF\nENV SERVICE_TOKEN=${PASSWORD}`,
    errors: [{ line: 6, message: 'ENV SERVICE_TOKEN' }]
  },
  {
    name: 'escape directive, Windows-style file with backtick continuations',
    code: `# escape=\`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV APP_DIR=C:\\app \`\n    ADMIN_PASSWORD=${PASSWORD} \`\n    GH=${GHP}\nRUN powershell -Command Write-Host hi`,
    errors: [
      { line: 4, message: 'ENV ADMIN_PASSWORD' },
      { line: 5, message: 'ENV GH holds a GitHub token (ghp_****)' }
    ]
  },
  { name: 'lower-case keyword', code: 'from alpine:3.20\nenv CLIENT_SECRET=abc123xyz987', errors: [{ line: 2, message: 'ENV CLIENT_SECRET' }] },
  {
    name: 'value with a variable and a literal secret',
    code: `FROM alpine:3.20\nENV NPM_CONFIG=\${HOME}:${GHP}`,
    errors: [{ line: 2, message: 'GitHub token' }]
  }
];

ruleTester(rule, {
  valid: [
    {
      name: 'GPG_KEY fingerprint as in the official images',
      code: 'FROM buildpack-deps:bookworm\nENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305\nRUN gpg --recv-keys "$GPG_KEY"'
    },
    { name: 'GPG_KEYS list', code: 'FROM debian:12\nENV GPG_KEYS B42F6819007F00F88E364FD4036A9C25BF357DD4 C9C0BE26EC6F5B9E5D4A9F9A9C87E36F0A3C2F7A' },
    {
      name: 'public key and key URL',
      code: 'FROM alpine:3.20\nENV COSIGN_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----" NGINX_KEY_URL=https://nginx.org/keys/nginx_signing.key'
    },
    { name: '*_FILE locations', code: 'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password' },
    { name: 'value is only a variable reference', code: 'FROM alpine:3.20\nENV API_TOKEN=${API_TOKEN_FROM_RUNTIME}' },
    { name: 'empty value', code: 'FROM alpine:3.20\nENV DB_PASSWORD=""' },
    { name: 'flag-like value', code: 'FROM alpine:3.20\nENV USE_AUTH=false\nARG SKIP_AUTH=true' },
    { name: 'path-like value', code: 'FROM nginx:1.27\nENV SSL_KEY=/etc/ssl/private/server.key' },
    { name: 'relative file path value', code: 'FROM alpine:3.20\nENV NGROK_SERVER_KEY assets/server/tls/snakeoil.key' },
    { name: 'secret-looking LABEL name with a plain value', code: 'FROM alpine:3.20\nLABEL com.example.token-scope="read:packages"' },
    { name: 'URL without credentials', code: 'FROM alpine:3.20\nENV AUTH_SERVER_URL=https://auth.example.com DATABASE_URL=postgres://db:5432/app' },
    { name: 'value built from a variable', code: 'FROM alpine:3.20\nENV AUTH_HEADER="Bearer ${API_TOKEN}"' },
    { name: 'URL whose password is a variable', code: 'FROM alpine:3.20\nENV DATABASE_URL=postgres://app:${DB_PASS}@db/app' },
    { name: 'secret mount instead of ARG', code: 'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci' },
    { name: 'heredoc body text is not an instruction', code: 'FROM alpine:3.20\nCOPY <<EOF /etc/app.conf\nENV API_TOKEN=abc123xyz987\nEOF\nUSER app' },
    {
      name: 'ordinary names and values',
      code: 'FROM alpine:3.20\nARG VERSION=1.2.3\nENV PATH=/app/bin:$PATH LANG=C.UTF-8\nLABEL org.opencontainers.image.source=https://github.com/acme/app'
    },
    // Real-world false positives of the by-name signal (issue 10): the name and the value are judged together.
    { name: '.NET hierarchical setting', code: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENV Serilog__Filter__0__Args__Key=ProcessId' },
    { name: 'an auth method is a setting', code: 'FROM postgres:16\nENV POSTGRES_HOST_AUTH_METHOD=trust' },
    { name: 'a signing key fingerprint', code: 'FROM debian:12\nENV NODE_SIGNING_KEY=4ED778F539E3634C779C87C6D7062848A1AB005C' },
    { name: 'a cache key', code: 'FROM node:22\nARG CACHE_KEY=deps-v3' },
    {
      name: 'setting words at the end',
      code: 'FROM alpine:3.20\nENV TOKEN_TTL_SECONDS=3600 PASSWORD_POLICY=strong PASS_MAX_DAYS=90 PASSWORD_PROMPT=Login KEY_ALIAS=server PASSWORD_LENGTH=16'
    },
    { name: 'names with public', code: 'FROM alpine:3.20\nENV STRIPE_PUBLISHABLE_KEY=pk_test_123 PUBLIC_API_TOKEN_HINT=xyz NEXT_PUBLIC_AUTH_KEY=abcdef12' },
    {
      name: 'a duration, a number, an enum word under auth/key names',
      code: 'FROM alpine:3.20\nENV SESSION_KEY_ROTATE=24h AUTH=oauth2 API_KEY_VERSION=2 SSH_KEY=ed25519'
    },
    {
      name: 'Windows file with backtick escape and no secrets',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV APP_DIR=C:\\app `\n    KEY_ID=ABCDEF0123456789'
    }
  ],
  invalid
});

describe('secret-in-env never prints a secret', () => {
  beforeAll(loadShellParser);
  const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

  it.each(invalid.map((c) => [c.name ?? c.code, c] as const))('engine output: %s', (_n, c) => {
    const result = lintWith(rule, c);
    const own = result.findings.filter((f) => f.ruleId === rule.meta.id);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) {
      expect(leaks(f.message)).toEqual([]);
      expect(leaks(f.snippet ?? '')).toEqual([]);
      expect(leaks(JSON.stringify(f.fix ?? {}))).toEqual([]);
      expect(leaks(JSON.stringify(f))).toEqual([]);
    }
  });

  it.each(invalid.map((c) => [c.name ?? c.code, c] as const))('rule output before engine masking: %s', (_n, c) => {
    const model = parseDockerfile('Dockerfile', c.code, { buildArgs: c.buildArgs, targets: c.targets });
    const reported: ReportDescriptor[] = [];
    rule.check({ model, options: {}, external: {}, report: (d) => reported.push(d) });
    expect(reported).toHaveLength(c.errors.length);
    expect(leaks(JSON.stringify(reported))).toEqual([]);
  });
});

describe('secret-in-env: PEM bodies', () => {
  beforeAll(loadShellParser);
  // The private-key pattern covers the body up to END (or the closing quote), not just the header.
  it('snippet masks the body of a PEM key under a neutral name', () => {
    const c = { code: `FROM alpine:3.20\nENV DEPLOY_SSH="${PEM}"` };
    const own = lintWith(rule, c).findings.filter((f) => f.ruleId === rule.meta.id);
    expect(own).toHaveLength(1);
    expect(own[0].message).not.toContain(PEM_BODY);
    expect(own[0].snippet).not.toContain(PEM_BODY);
  });
});

imageRuleTester(rule, {
  valid: [
    {
      name: 'ordinary env and labels',
      image: {
        env: [
          { name: 'PATH', value: '/usr/bin' },
          { name: 'GPG_KEY', value: '7169605F62C751356D054A26A821E680E5FA6305' }
        ],
        labels: { 'org.opencontainers.image.source': 'https://github.com/acme/app' }
      }
    },
    { name: 'history without secrets', image: { history: [{ createdBy: '|1 VERSION=1.2 /bin/sh -c make', emptyLayer: false, layer: 0 }] } }
  ],
  invalid: [
    {
      name: 'a token in Env',
      image: { env: [{ name: 'GH', value: GHP }] },
      errors: [{ file: 'registry.test/app:1', message: "the image config's Env GH holds a GitHub token (ghp_****)" }]
    },
    {
      name: 'a password by name in Env (a base image set it)',
      image: { env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'changeit-please' }] },
      errors: [{ message: 'secret-looking literal' }]
    },
    {
      name: 'a build argument recorded in the history',
      image: { history: [{ createdBy: '|2 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 HOME=/root /bin/sh -c npm ci', emptyLayer: false, layer: 0 }] },
      errors: [{ message: 'history step 1 (layer 1) records an npm token (npm_****)' }]
    },
    {
      name: 'a build argument by name',
      image: { history: [{ createdBy: '|1 DB_PASSWORD=hunter2hunter2 /bin/sh -c ./migrate', emptyLayer: false, layer: 0 }] },
      errors: [{ message: 'records the build argument DB_PASSWORD' }]
    },
    { name: 'a token in a label', image: { labels: { deploy: `token=${GLPAT}` } }, errors: [{ message: 'label deploy holds a GitLab token' }] }
  ]
});
