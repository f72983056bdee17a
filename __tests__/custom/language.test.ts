/**
 * The custom rule language, table by table: each condition kind, all/any/not nesting,
 * require vs forbid, stage final vs any, file-level rules, placeholders (with secret
 * masking) and compile errors with their JSON pointers. Each case lints a Dockerfile
 * with the one compiled rule and lists its findings as `line: message`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { defaultConfig } from '../../src/core/config/types.js';
import { compileCustomRule, compileCustomRules, CustomRuleError, maskValue, type ConfigLocation } from '../../src/core/custom/compile.js';
import { customRuleSchema } from '../../src/core/custom/schema.js';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { lintFile } from '../../src/core/lint.js';
import type { ReportDescriptor } from '../../src/core/rules/types.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { Ajv } from 'ajv';

beforeAll(loadShellParser);

type Def = Record<string, unknown>;

interface Case {
  name: string;
  code: string;
  /** Findings of the rule as `line: message`. */
  out: string[];
  targets?: string[];
  buildArgs?: Record<string, string>;
}

function run(def: Def, code: string, opts: { targets?: string[]; buildArgs?: Record<string, string> } = {}): string[] {
  const rule = compileCustomRule({ id: 'test/rule', message: '{{value}}', ...def });
  const config = defaultConfig();
  config.lint.targets = opts.targets ?? [];
  config.lint.buildArgs = opts.buildArgs ?? {};
  return lintFile('Dockerfile', code, config, [rule])
    .findings.filter((f) => f.ruleId === 'test/rule')
    .map((f) => `${f.line}: ${f.message}`);
}

function table(title: string, rule: Def, cases: Case[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
      expect(run(rule, c.code, c)).toEqual(c.out);
    });
  });
}

const DIGEST = `sha256:${'a'.repeat(64)}`;
const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

// ---------------------------------------------------------------------------
// The example, exactly as written.

describe('the issue example', () => {
  const yaml = `rules:
  custom:
    - id: org/approved-registry
      severity: error
      message: "Base image {{image}} is not from an approved registry"
      when: { instruction: FROM, stage: any }
      require:
        image: ["registry.example.com/**", "gcr.io/distroless/**"]
    - id: org/oci-source-label
      severity: warning
      message: "The final stage must declare org.opencontainers.image.source"
      when: { file: true }
      require:
        label: org.opencontainers.image.source
`;
  const defs = (load(yaml) as { rules: { custom: unknown[] } }).rules.custom;

  it('compiles and reports as the issue describes', () => {
    const rules = compileCustomRules(defs, (p) => ({ file: '.container-guard.yml', line: p.split('/').length }), '/rules/custom');
    const code = [
      'ARG BASE=golang:1.23',
      'FROM ${BASE} AS build',
      'FROM registry.example.com/mirror/node:22 AS assets',
      'FROM gcr.io/distroless/static-debian12:nonroot AS base',
      'LABEL org.opencontainers.image.source=https://github.com/acme/app',
      'FROM scratch AS empty',
      'FROM base',
      'COPY --from=build /out /app'
    ].join('\n');
    const r = lintFile('Dockerfile', code, defaultConfig(), rules);
    expect(r.findings.map((f) => `${f.line} ${f.ruleId} ${f.severity}: ${f.message}`)).toEqual([
      '2 org/approved-registry error: Base image golang:1.23 is not from an approved registry'
    ]);
    const r2 = lintFile('Dockerfile', 'FROM docker.io/library/nginx:1.27\nLABEL maintainer=me', defaultConfig(), rules);
    expect(r2.findings.map((f) => `${f.line} ${f.ruleId} ${f.severity}: ${f.message}`)).toEqual([
      '1 org/approved-registry error: Base image docker.io/library/nginx:1.27 is not from an approved registry',
      '1 org/oci-source-label warning: The final stage must declare org.opencontainers.image.source'
    ]);
  });

  it('builds rule metadata from the definition', () => {
    const [registry, label] = compileCustomRules(defs, () => ({ file: '.container-guard.yml', line: 4 }), '/rules/custom');
    expect(registry.meta).toMatchObject({
      id: 'org/approved-registry',
      aliases: [],
      severity: 'error',
      enabledByDefault: true,
      title: 'Base image <image> is not from an approved registry',
      bad: '',
      good: '',
      tags: ['custom']
    });
    expect(registry.meta.description).toContain('Custom rule defined in `.container-guard.yml` line 4.');
    expect(registry.location).toEqual({ file: '.container-guard.yml', line: 4 });
    expect(registry.meta.source).toBe('.container-guard.yml');
    expect(label.meta.severity).toBe('warning');
    expect(label.defaultOptions).toEqual({});
  });
});

describe('rule metadata and engine integration', () => {
  const def = {
    id: 'acme/no-latest',
    message: 'Image {{image}} floats',
    description: 'Pin images.\n\nMore text.',
    help: 'https://wiki.example.com/no-latest',
    aliases: ['ACME001'],
    tags: ['security', 'cis:4.2'],
    when: { instruction: 'from' },
    forbid: { image: '*:latest' }
  };

  it('takes id, aliases, tags, description, help; severity defaults to warning', () => {
    const rule = compileCustomRule(def);
    expect(rule.meta).toMatchObject({
      id: 'acme/no-latest',
      aliases: ['ACME001'],
      severity: 'warning',
      tags: ['security', 'cis:4.2', 'custom'],
      description: 'Pin images.\n\nMore text.'
    });
    const [f] = lintFile('Dockerfile', 'FROM nginx', defaultConfig(), [rule]).findings;
    expect(f).toMatchObject({
      ruleId: 'acme/no-latest',
      aliases: ['ACME001'],
      severity: 'warning',
      line: 1,
      help: 'https://wiki.example.com/no-latest',
      message: 'Image nginx floats'
    });
  });

  it('without help, points at the definition', () => {
    const rule = compileCustomRule({ ...def, help: undefined }, () => ({ file: 'ci/.container-guard.yml', line: 12 }), '/rules/custom/3');
    expect(lintFile('Dockerfile', 'FROM nginx', defaultConfig(), [rule]).findings[0].help).toBe('ci/.container-guard.yml#L12');
  });

  it('is suppressed inline by id and alias, and configured by id like any rule', () => {
    const rule = compileCustomRule(def);
    expect(lintFile('Dockerfile', '# container-guard ignore=acme/no-latest\nFROM nginx', defaultConfig(), [rule]).findings).toEqual([]);
    expect(lintFile('Dockerfile', '# hadolint ignore=ACME001\nFROM nginx', defaultConfig(), [rule]).findings).toEqual([]);
    const config = defaultConfig();
    config.rules['acme/no-latest'] = { severity: 'error' };
    expect(lintFile('Dockerfile', 'FROM nginx', config, [rule]).findings[0].severity).toBe('error');
    config.rules['acme/no-latest'] = { enabled: false };
    expect(lintFile('Dockerfile', 'FROM nginx', config, [rule]).findings).toEqual([]);
  });

  it('keyword case in when does not matter', () => {
    expect(
      run({ when: { instruction: ['Copy', 'add'] }, require: { flag: 'chown' }, message: '{{instruction}}' }, 'FROM a:1\nCOPY x y\nADD x y\ncopy x y')
    ).toEqual(['2: COPY', '3: ADD', '4: COPY']);
  });
});

// ---------------------------------------------------------------------------
// image

table(
  'image: require approved registries (FROM)',
  { when: { instruction: 'FROM' }, require: { image: ['registry.example.com/**', 'gcr.io/distroless/**'] }, message: '{{image}}' },
  [
    { name: 'Docker Hub short name', code: 'FROM nginx', out: ['1: nginx'] },
    { name: 'approved registry, nested path and tag', code: 'FROM registry.example.com/team/app:1.0', out: [] },
    { name: 'approved registry, digest only', code: `FROM registry.example.com/app@${DIGEST}`, out: [] },
    { name: 'approved registry, tag and digest', code: `FROM registry.example.com/app:1@${DIGEST}`, out: [] },
    { name: 'distroless', code: 'FROM gcr.io/distroless/static-debian12:nonroot', out: [] },
    { name: 'a look-alike path is not the prefix', code: 'FROM gcr.io/distroless-evil/static:1', out: ['1: gcr.io/distroless-evil/static:1'] },
    { name: 'a look-alike host is not the registry', code: 'FROM registry.example.com.evil.io/app:1', out: ['1: registry.example.com.evil.io/app:1'] },
    { name: 'the registry with a port is another host', code: 'FROM registry.example.com:5000/app:1', out: ['1: registry.example.com:5000/app:1'] },
    { name: 'scratch is not an image', code: 'FROM scratch', out: [] },
    { name: 'a stage alias is not an image', code: 'FROM registry.example.com/a:1 AS base\nFROM base\nFROM BASE', out: [] },
    { name: 'unresolvable ${VAR} is not judged', code: 'ARG BASE\nFROM ${BASE}', out: [] },
    { name: 'ARG default is resolved; {{image}} shows it', code: 'ARG BASE=nginx:1.27\nFROM ${BASE}', out: ['2: nginx:1.27'] },
    { name: 'a build arg wins over the default', code: 'ARG BASE=nginx:1.27\nFROM ${BASE}', buildArgs: { BASE: 'registry.example.com/nginx:1.27' }, out: [] },
    { name: 'templates are not judged', code: 'FROM alpine:{{ alpine_version }}\nFROM debian:%%VERSION%%-slim', out: [] },
    { name: 'platform-dependent reference is not judged', code: 'FROM alpine-${TARGETARCH}:3', out: [] },
    {
      name: 'every FROM once',
      code: 'FROM golang:1.23 AS build\nFROM registry.example.com/base:1\nFROM alpine:3.20',
      out: ['1: golang:1.23', '3: alpine:3.20']
    }
  ]
);

table('image: Docker Hub names in globs are normalised like references', { when: { instruction: 'FROM' }, forbid: { image: 'nginx' }, message: '{{image}}' }, [
  { name: 'short name', code: 'FROM nginx', out: ['1: nginx'] },
  { name: 'short name with tag (the name without tag matches)', code: 'FROM nginx:1.27', out: ['1: nginx:1.27'] },
  { name: 'full name with tag and digest', code: `FROM docker.io/library/nginx:1.27@${DIGEST}`, out: [`1: docker.io/library/nginx:1.27@${DIGEST}`] },
  { name: 'Docker Hub alias host', code: 'FROM index.docker.io/library/nginx:1', out: ['1: index.docker.io/library/nginx:1'] },
  { name: 'another repository', code: 'FROM nginxinc/nginx-unprivileged:1', out: [] },
  { name: 'another registry', code: 'FROM ghcr.io/nginx/nginx:1', out: [] }
]);

table('image: tags, digests and wildcards', { when: { instruction: 'FROM' }, forbid: { image: ['*:latest', 'bitnami/**'] }, message: '{{image}}' }, [
  { name: 'implicit latest', code: 'FROM alpine', out: ['1: alpine'] },
  { name: 'explicit latest on any registry', code: 'FROM ghcr.io/acme/tools/cli:latest', out: ['1: ghcr.io/acme/tools/cli:latest'] },
  { name: 'a version tag', code: 'FROM alpine:3.20', out: [] },
  { name: 'digest only is not latest', code: `FROM alpine@${DIGEST}`, out: [] },
  { name: 'organisation glob on Docker Hub', code: 'FROM bitnami/redis:7', out: ['1: bitnami/redis:7'] }
]);

table(
  'image: regex, { glob } and exclusions',
  {
    when: { instruction: 'FROM' },
    forbid: { any: [{ image: { regex: 'docker\\.io/library/(debian|ubuntu):.*' } }, { image: { glob: ['**', '!docker.io/**'] } }] },
    message: '{{image}}'
  },
  [
    { name: 'regex matches the whole normalised reference', code: 'FROM debian:12', out: ['1: debian:12'] },
    { name: 'regex is anchored', code: 'FROM debian-tools:1', out: [] },
    { name: 'a negated glob excludes', code: 'FROM alpine:3', out: [] },
    { name: 'everything else than Docker Hub', code: 'FROM quay.io/a/b:1', out: ['1: quay.io/a/b:1'] }
  ]
);

table(
  'image: COPY/ADD --from and RUN --mount from are images too',
  { when: { instruction: ['COPY', 'ADD', 'RUN'] }, require: { image: 'registry.example.com/**' }, message: '{{instruction}} {{image}}' },
  [
    { name: 'COPY --from=<image>', code: 'FROM registry.example.com/a:1\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx', out: ['2: COPY nginx:1.27'] },
    {
      name: 'COPY --from=<stage> / <index> / plain COPY',
      code: 'FROM registry.example.com/a:1 AS build\nFROM registry.example.com/b:1\nCOPY --from=build /a /a\nCOPY --from=0 /a /a\nCOPY . .',
      out: []
    },
    { name: 'COPY --from with a variable is not expanded by BuildKit', code: 'FROM registry.example.com/a:1\nARG IMG=nginx\nCOPY --from=$IMG /a /a', out: [] },
    { name: 'ADD --from', code: 'FROM registry.example.com/a:1\nADD --from=alpine:3 /a /a', out: ['2: ADD alpine:3'] },
    { name: 'RUN --mount from an image', code: 'FROM registry.example.com/a:1\nRUN --mount=type=bind,from=alpine:3,target=/x ls /x', out: ['2: RUN alpine:3'] },
    {
      name: 'RUN --mount from a stage, or without from',
      code: 'FROM registry.example.com/a:1 AS b\nRUN --mount=type=bind,from=b,target=/x --mount=type=cache,target=/c ls',
      out: []
    },
    {
      name: 'RUN --mount from, resolved from an ARG',
      code: 'FROM registry.example.com/a:1\nARG TOOLS=busybox:1\nRUN --mount=from=${TOOLS},target=/t ls',
      out: ['3: RUN busybox:1']
    },
    {
      name: 'two mounts: one finding, for the image that fails',
      code: 'FROM registry.example.com/a:1\nRUN --mount=from=registry.example.com/t:1,target=/a --mount=from=alpine:3,target=/b ls',
      out: ['2: RUN alpine:3']
    }
  ]
);

table(
  'image: file rules judge the base of the shipped image through FROM <stage>',
  { when: { file: true }, require: { image: 'gcr.io/distroless/**' }, message: '{{stage}} {{image}}' },
  [
    { name: 'inherited base', code: 'FROM debian:12 AS base\nFROM base AS final\nRUN true', out: ['2: final debian:12'] },
    {
      name: 'approved base of the shipped stage only',
      code: 'FROM golang:1.23 AS build\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /a /a',
      out: []
    },
    { name: 'scratch ships: nothing to judge', code: 'FROM golang:1.23 AS build\nFROM scratch', out: [] }
  ]
);

// ---------------------------------------------------------------------------
// registry

table('registry', { when: { instruction: ['FROM', 'COPY'] }, forbid: { registry: ['hub.docker.com', '*.evil.io'] }, message: '{{value}}' }, [
  {
    name: 'Docker Hub by any name',
    code: 'FROM nginx\nFROM docker.io/library/alpine:3\nFROM registry-1.docker.io/library/debian:12',
    out: ['1: docker.io', '2: docker.io', '3: docker.io']
  },
  { name: 'other registries', code: 'FROM ghcr.io/a/b:1\nFROM localhost:5000/app:1', out: [] },
  { name: 'glob over the host', code: 'FROM ghcr.io/a/b:1\nCOPY --from=cdn.evil.io/x:1 / /', out: ['2: cdn.evil.io'] },
  { name: 'not for scratch', code: 'FROM scratch', out: [] }
]);

// ---------------------------------------------------------------------------
// flag

table(
  'flag: name and value',
  { when: { instruction: ['COPY', 'ADD'] }, forbid: { flag: { name: 'chmod', value: { regex: '0?[0-7][0-7][2367]' } } }, message: '{{key}}={{value}}' },
  [
    { name: 'world-writable', code: 'FROM a:1\nCOPY --chmod=777 a b\nADD --chmod=0666 a b', out: ['2: --chmod=777', '3: --chmod=0666'] },
    { name: 'not world-writable', code: 'FROM a:1\nCOPY --chmod=755 a b\nCOPY --chmod=0644 a b', out: [] },
    { name: 'no such flag', code: 'FROM a:1\nCOPY a b', out: [] },
    { name: 'resolved from an ARG', code: 'FROM a:1\nARG MODE=777\nCOPY --chmod=${MODE} a b', out: ['3: --chmod=777'] }
  ]
);

table('flag: presence (require)', { when: { instruction: 'COPY' }, require: { flag: '--link' }, message: '{{instruction}} without {{key}}' }, [
  { name: 'present', code: 'FROM a:1\nCOPY --link a b', out: [] },
  { name: 'absent', code: 'FROM a:1\nCOPY a b', out: ['2: COPY without --link'] }
]);

table(
  'flag: a flag without value has the value true',
  { when: { instruction: 'COPY' }, require: { flag: { name: 'link', value: 'true' } }, message: '{{value}}' },
  [
    { name: '--link', code: 'FROM a:1\nCOPY --link a b', out: [] },
    { name: '--link=true', code: 'FROM a:1\nCOPY --link=true a b', out: [] },
    { name: '--link=false: the near miss is shown', code: 'FROM a:1\nCOPY --link=false a b', out: ['2: false'] }
  ]
);

table(
  'flag: FROM --platform, RUN --network/--security, HEALTHCHECK',
  {
    when: { instruction: ['FROM', 'RUN', 'HEALTHCHECK'] },
    forbid: {
      any: [
        { flag: { name: 'platform', value: 'linux/386' } },
        { flag: { name: 'network', value: 'host' } },
        { flag: { name: 'security', value: 'insecure' } },
        { flag: { name: 'retries', value: '0' } }
      ]
    },
    message: '{{instruction}} {{key}}={{value}}'
  },
  [
    {
      name: 'each flag on its instruction',
      code: 'FROM --platform=linux/386 alpine:3\nRUN --network=host apk add curl\nRUN --security=insecure true\nHEALTHCHECK --retries=0 CMD true\nRUN --network=none true',
      out: ['1: FROM --platform=linux/386', '2: RUN --network=host', '3: RUN --security=insecure', '4: HEALTHCHECK --retries=0']
    },
    { name: 'platform from an unset ARG is kept as written', code: 'FROM --platform=$BUILDPLATFORM golang:1.23\nRUN true', out: [] }
  ]
);

table(
  'flag: chown resolved from ARG/ENV',
  { when: { instruction: 'COPY' }, forbid: { flag: { name: 'chown', value: ['root', 'root:*', '0', '0:*'] } }, message: '{{value}}' },
  [
    { name: 'resolved to root', code: 'FROM a:1\nARG OWNER=root\nCOPY --chown=${OWNER}:${OWNER} a b', out: ['3: root:root'] },
    { name: 'resolved to app', code: 'FROM a:1\nENV OWNER=app\nCOPY --chown=$OWNER a b', out: [] }
  ]
);

// ---------------------------------------------------------------------------
// mount

table(
  'mount',
  {
    when: { instruction: 'RUN' },
    forbid: {
      any: [
        { mount: 'ssh' },
        { mount: { type: 'secret', id: '*token*' } },
        { mount: { type: 'bind', target: '/root/.ssh*' } },
        { mount: { type: 'cache', readonly: 'true' } }
      ]
    },
    message: '{{value}}'
  },
  [
    { name: 'type given as a string', code: 'FROM a:1\nRUN --mount=type=ssh git clone git@github.com:a/b', out: ['2: type=ssh'] },
    {
      name: 'secret id glob',
      code: 'FROM a:1\nRUN --mount=type=secret,id=gh_token,required cat /run/secrets/gh_token',
      out: ['2: type=secret,id=gh_token,required']
    },
    { name: 'other secret', code: 'FROM a:1\nRUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc', out: [] },
    { name: 'type defaults to bind; dst is target', code: 'FROM a:1\nRUN --mount=source=.ssh,dst=/root/.ssh ls', out: ['2: source=.ssh,dst=/root/.ssh'] },
    {
      name: 'ro is readonly=true',
      code: 'FROM a:1\nRUN --mount=type=cache,target=/c,ro ls\nRUN --mount=type=cache,target=/c ls',
      out: ['2: type=cache,target=/c,ro']
    },
    { name: 'no mount', code: 'FROM a:1\nRUN ls', out: [] }
  ]
);

table(
  'mount: require a cache mount for package installs',
  {
    when: { instruction: 'RUN' },
    forbid: { all: [{ run: { program: 'pip', arg: 'install' } }, { not: { mount: { type: 'cache', target: '/root/.cache/pip' } } }] },
    message: 'line {{line}}'
  },
  [
    { name: 'with the cache', code: 'FROM python:3\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt', out: [] },
    { name: 'without', code: 'FROM python:3\nRUN pip install -r r.txt\nRUN pip --version', out: ['2: line 2'] }
  ]
);

// ---------------------------------------------------------------------------
// env / arg / label

table(
  'env: forbid secret-looking keys; {{value}} masked',
  { when: { instruction: 'ENV' }, forbid: { env: { key: ['*PASSWORD*', '*TOKEN*'] } }, message: '{{key}}={{value}}' },
  [
    { name: 'value under a secret key is masked', code: 'FROM a:1\nENV DB_PASSWORD=hunter2hunter2', out: ['2: DB_PASSWORD=hu****'] },
    {
      name: 'the line of the offending pair',
      code: 'FROM a:1\nENV A=1 \\\n    B=2 \\\n    API_TOKEN=abcdefghijklmnopqrstuvwxyz',
      out: ['4: API_TOKEN=abcd****']
    },
    { name: 'legacy form', code: 'FROM a:1\nENV GITHUB_TOKEN some value', out: ['2: GITHUB_TOKEN=so****'] },
    { name: 'keys are case-sensitive', code: 'FROM a:1\nENV db_password=x', out: [] },
    { name: 'one finding per instruction', code: 'FROM a:1\nENV A_PASSWORD=aaaaaaaa B_PASSWORD=bbbbbbbb', out: ['2: A_PASSWORD=aa****'] }
  ]
);

table(
  'env: values are resolved and matched whole',
  { when: { instruction: 'ENV' }, require: { env: { key: 'APP_VERSION', value: { regex: '\\d+\\.\\d+\\.\\d+' } } }, message: '{{key}} is {{value}}' },
  [
    { name: 'resolved from ARG', code: 'FROM a:1\nARG V=1.2\nENV APP_VERSION=$V', out: ['3: APP_VERSION is 1.2'] },
    { name: 'semver', code: 'FROM a:1\nENV APP_VERSION=1.2.3', out: [] },
    { name: 'an ENV without the key fails require (key named in the message)', code: 'FROM a:1\nENV OTHER=1', out: ['2: APP_VERSION is '] },
    { name: 'unset variable: matched as written', code: 'FROM a:1\nENV APP_VERSION=${VERSION}', out: ['2: APP_VERSION is ${VERSION}'] }
  ]
);

table(
  'env: a secret value is masked even under an innocent key',
  { when: { instruction: 'ENV' }, forbid: { env: { value: 'ghp_*' } }, message: '{{key}}={{value}}' },
  [{ name: 'GitHub token', code: `FROM a:1\nENV GREETING=${TOKEN}`, out: ['2: GREETING=ghp_****'] }]
);

table(
  'arg: bare key; global and stage ARGs; no default has no value',
  { when: { instruction: 'ARG' }, forbid: { any: [{ arg: '*_TOKEN' }, { arg: { key: 'DEBUG', value: 'true' } }] }, message: '{{stage}} {{key}}' },
  [
    { name: 'global ARG', code: 'ARG NPM_TOKEN\nFROM a:1', out: ['1: global NPM_TOKEN'] },
    { name: 'stage ARG', code: 'FROM a:1 AS build\nARG NPM_TOKEN', out: ['2: build NPM_TOKEN'] },
    { name: 'value matcher', code: 'FROM a:1\nARG DEBUG=true\nARG OTHER=true', out: ['2: 0 DEBUG'] },
    { name: 'an ARG without default has no value to match', code: 'FROM a:1\nARG DEBUG', out: [] }
  ]
);

table(
  'label: bare key exists (LABEL instructions)',
  { when: { instruction: 'LABEL' }, require: { label: 'org.opencontainers.image.*' }, message: '{{instruction}} {{key}}' },
  [
    { name: 'has one', code: 'FROM a:1\nLABEL maintainer=me org.opencontainers.image.source=https://x', out: [] },
    { name: 'has none', code: 'FROM a:1\nLABEL maintainer=me', out: ['2: LABEL '] }
  ]
);

table(
  'label (file): effective labels of the shipped image, inherited through FROM <stage>',
  { when: { file: true }, require: { label: { key: 'org.opencontainers.image.source', value: 'https://github.com/*' } }, message: '{{stage}} {{value}}' },
  [
    { name: 'in the final stage', code: 'FROM a:1\nLABEL org.opencontainers.image.source=https://github.com/acme/app', out: [] },
    {
      name: 'inherited from the parent stage',
      code: 'FROM a:1 AS base\nLABEL org.opencontainers.image.source=https://github.com/acme/app\nFROM base',
      out: []
    },
    {
      name: 'in a builder stage only: does not ship',
      code: 'FROM a:1 AS build\nLABEL org.opencontainers.image.source=https://github.com/acme/app\nFROM a:1',
      out: ['3: 1 ']
    },
    {
      name: 'the last LABEL wins; value resolved',
      code: 'FROM a:1\nARG REPO=https://gitlab.com/acme/app\nLABEL org.opencontainers.image.source=https://github.com/acme/app\nLABEL org.opencontainers.image.source=$REPO',
      out: ['1: 0 https://gitlab.com/acme/app']
    },
    { name: 'a file without FROM is reported at line 1', code: 'ARG X=1', out: ['1:  '] },
    {
      name: 'every shipped stage (lint.targets)',
      code: 'FROM a:1 AS app\nLABEL org.opencontainers.image.source=https://github.com/acme/app\nFROM a:1 AS debug\nFROM a:1 AS other',
      targets: ['app', 'debug'],
      out: ['3: debug ']
    }
  ]
);

table(
  'env and arg (file)',
  {
    when: { file: true },
    forbid: { any: [{ env: { key: 'NODE_ENV', value: 'development' } }, { arg: { key: 'VERSION', value: '*-dev' } }] },
    message: '{{key}}={{value}}'
  },
  [
    { name: 'inherited ENV', code: 'FROM node:22 AS base\nENV NODE_ENV=development\nFROM base', out: ['3: NODE_ENV=development'] },
    { name: 'overridden ENV', code: 'FROM node:22 AS base\nENV NODE_ENV=development\nFROM base\nENV NODE_ENV=production', out: [] },
    { name: 'global ARG default', code: 'ARG VERSION=1.0-dev\nFROM node:22\nARG VERSION', out: ['2: VERSION=1.0-dev'] }
  ]
);

// ---------------------------------------------------------------------------
// run

table(
  'run: program and flags (combined short flags count)',
  {
    when: { instruction: 'RUN' },
    forbid: { run: { program: ['curl', 'wget'], flag: ['-k', '--insecure', '--no-check-certificate'] } },
    message: '{{program}} {{key}}'
  },
  [
    { name: 'combined short flags', code: 'FROM a:1\nRUN curl -fsSLk https://x -o /x', out: ['2: curl -k'] },
    { name: 'long flag', code: 'FROM a:1\nRUN apk add curl && curl --insecure https://x', out: ['2: curl --insecure'] },
    { name: 'wget', code: 'FROM a:1\nRUN wget --no-check-certificate https://x', out: ['2: wget --no-check-certificate'] },
    { name: 'no insecure flag', code: 'FROM a:1\nRUN curl -fsSL https://x', out: [] },
    { name: 'flag of another program', code: 'FROM a:1\nRUN sort -k 2 f && curl https://x', out: [] },
    { name: 'after -- it is an operand', code: 'FROM a:1\nRUN curl -- -k', out: [] },
    { name: 'path to the program, wrapped in sudo', code: 'FROM a:1\nRUN sudo /usr/bin/curl -k https://x', out: ['2: curl -k'] },
    { name: 'heredoc', code: 'FROM a:1\nRUN <<EOF\nset -e\ncurl -k https://x\nEOF', out: ['2: curl -k'] },
    { name: 'exec form', code: 'FROM a:1\nRUN ["curl", "-k", "https://x"]', out: ['2: curl -k'] },
    { name: 'exec form running sh -c', code: 'FROM a:1\nRUN ["/bin/sh", "-c", "curl -k https://x"]', out: ['2: curl -k'] },
    { name: 'sh -c in shell form', code: "FROM a:1\nRUN sh -c 'curl -k https://x'", out: ['2: curl -k'] },
    { name: 'reported once per RUN', code: 'FROM a:1\nRUN curl -k a && curl -k b', out: ['2: curl -k'] },
    { name: 'PowerShell RUN is not parsed: not judged', code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl -k https://x', out: [] }
  ]
);

table(
  'run: pipedTo',
  { when: { instruction: 'RUN' }, forbid: { run: { program: ['curl', 'wget'], pipedTo: ['sh', 'bash', 'python*'] } }, message: '{{program}}: {{value}}' },
  [
    { name: 'curl | sh', code: 'FROM a:1\nRUN curl -fsSL https://x/install.sh | sh', out: ['2: curl: curl -fsSL https://x/install.sh'] },
    { name: 'piped through several commands', code: 'FROM a:1\nRUN wget -qO- https://x | tee log | sudo bash -s', out: ['2: wget: wget -qO- https://x'] },
    { name: 'python3', code: 'FROM a:1\nRUN curl https://x | python3 -', out: ['2: curl: curl https://x'] },
    { name: 'downloaded then run: not a pipe', code: 'FROM a:1\nRUN curl -o i.sh https://x && sh i.sh', out: [] },
    { name: 'shell piped to curl: wrong direction', code: 'FROM a:1\nRUN sh -c true | curl -T - https://x', out: [] }
  ]
);

table(
  'run: arg and bare program',
  {
    when: { instruction: 'RUN' },
    forbid: { any: [{ run: { program: 'chmod', arg: ['777', 'a+rwx', 'o+w'] } }, { run: 'apt' }] },
    message: '{{program}} {{value}}'
  },
  [
    { name: 'chmod 777', code: 'FROM a:1\nRUN chmod -R 777 /app', out: ['2: chmod 777'] },
    { name: 'chmod 755', code: 'FROM a:1\nRUN chmod 755 /app', out: [] },
    { name: 'apt by full path', code: 'FROM a:1\nRUN /usr/bin/apt install -y x', out: ['2: apt /usr/bin/apt install -y x'] },
    { name: 'apt-get is not apt', code: 'FROM a:1\nRUN apt-get install -y x', out: [] }
  ]
);

table(
  'run: args are matched as text (* spans /)',
  { when: { instruction: 'RUN' }, forbid: { run: { program: 'git', arg: 'http://*' } }, message: '{{value}}' },
  [
    { name: 'plain http clone', code: 'FROM a:1\nRUN git clone http://example.com/a/b.git', out: ['2: http://example.com/a/b.git'] },
    { name: 'https', code: 'FROM a:1\nRUN git clone https://example.com/a/b.git', out: [] }
  ]
);

// ---------------------------------------------------------------------------
// port

table('port: numbers, ranges, protocols', { when: { instruction: 'EXPOSE' }, forbid: { port: [22, '23', '53/udp', '6000-6063'] }, message: '{{value}}' }, [
  { name: 'a port', code: 'FROM a:1\nEXPOSE 22', out: ['2: 22'] },
  { name: '/tcp suffix ignored when the rule gives none', code: 'FROM a:1\nEXPOSE 80 22/tcp', out: ['2: 22/tcp'] },
  { name: 'any protocol matches a port without one', code: 'FROM a:1\nEXPOSE 23/udp', out: ['2: 23/udp'] },
  { name: 'a protocol in the rule must match', code: 'FROM a:1\nEXPOSE 53\nEXPOSE 53/udp', out: ['3: 53/udp'] },
  { name: 'exposed range overlapping', code: 'FROM a:1\nEXPOSE 20-30', out: ['2: 20-30'] },
  { name: 'rule range', code: 'FROM a:1\nEXPOSE 6010', out: ['2: 6010'] },
  { name: 'not listed', code: 'FROM a:1\nEXPOSE 2222 8080', out: [] },
  { name: 'resolved from ARG', code: 'FROM a:1\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}', out: ['3: 22'] },
  { name: 'unresolvable: not judged', code: 'FROM a:1\nEXPOSE $PORT', out: [] }
]);

table('port: require a range; file-level', { when: { file: true }, require: { port: '8000-8100' }, message: 'exposes {{value}}' }, [
  { name: 'inherited EXPOSE in range', code: 'FROM a:1 AS base\nEXPOSE 8080\nFROM base', out: [] },
  { name: 'out of range', code: 'FROM a:1\nEXPOSE 80 443', out: ['1: exposes 80 443'] },
  { name: 'nothing exposed', code: 'FROM a:1', out: ['1: exposes '] }
]);

// ---------------------------------------------------------------------------
// user

table('user (file): the effective user of the shipped image', { when: { file: true }, forbid: { user: ['root', '0'] }, message: 'runs as {{value}}' }, [
  { name: 'no USER means root', code: 'FROM alpine:3', out: ['1: runs as root'] },
  { name: 'a non-root user', code: 'FROM alpine:3\nUSER app', out: [] },
  { name: 'root with a group (the user part matches)', code: 'FROM alpine:3\nUSER root:wheel', out: ['1: runs as root:wheel'] },
  { name: 'uid 0', code: 'FROM alpine:3\nUSER 0:0', out: ['1: runs as 0:0'] },
  { name: 'resolved from ARG', code: 'FROM alpine:3\nARG U=root\nUSER $U', out: ['1: runs as root'] },
  { name: 'unresolvable USER: not judged', code: 'FROM alpine:3\nARG U\nUSER $U', out: [] },
  { name: 'known non-root base without USER: not judged', code: 'FROM gcr.io/distroless/static-debian12:nonroot', out: [] },
  { name: 'inherited through FROM <stage>', code: 'FROM alpine:3 AS base\nUSER app\nFROM base', out: [] },
  { name: 'last USER wins', code: 'FROM alpine:3\nUSER app\nUSER root', out: ['1: runs as root'] }
]);

table(
  'user (instructions): the user an instruction runs as',
  { when: { instruction: ['RUN', 'USER'] }, forbid: { all: [{ user: 'root' }, { not: { run: 'id' } }] }, message: '{{instruction}} as {{value}}' },
  [
    { name: 'RUN before and after USER', code: 'FROM alpine:3\nRUN a\nUSER app\nRUN b', out: ['2: RUN as root'] },
    { name: 'USER root itself', code: 'FROM alpine:3\nUSER app\nUSER root', out: ['3: USER as root'] },
    { name: 'inherited from the parent stage', code: 'FROM alpine:3 AS base\nUSER app\nFROM base\nRUN x', out: [] }
  ]
);

// ---------------------------------------------------------------------------
// instruction (file)

table('instruction (file)', { when: { file: true }, require: { instruction: 'healthcheck' }, message: 'no {{key}} in stage {{stage}}' }, [
  { name: 'missing', code: 'FROM nginx:1', out: ['1: no HEALTHCHECK in stage 0'] },
  { name: 'present', code: 'FROM nginx:1\nHEALTHCHECK CMD curl -f http://localhost/', out: [] },
  { name: 'HEALTHCHECK NONE counts', code: 'FROM nginx:1\nHEALTHCHECK NONE', out: [] },
  { name: 'inherited from a parent stage', code: 'FROM nginx:1 AS base\nHEALTHCHECK NONE\nFROM base AS app', out: [] },
  { name: 'in a builder stage only', code: 'FROM nginx:1 AS build\nHEALTHCHECK NONE\nFROM nginx:1 AS app', out: ['3: no HEALTHCHECK in stage app'] }
]);

table(
  'instruction (file): a list is any of them',
  { when: { file: true }, forbid: { instruction: ['MAINTAINER', 'ONBUILD'] }, message: '{{key}}: {{value}}' },
  [
    { name: 'MAINTAINER', code: 'FROM a:1\nMAINTAINER me@example.com', out: ['1: MAINTAINER: me@example.com'] },
    { name: 'neither', code: 'FROM a:1\nLABEL maintainer=me', out: [] }
  ]
);

// ---------------------------------------------------------------------------
// Combinators

table(
  'all / any / not nesting',
  {
    when: { instruction: 'FROM' },
    forbid: { all: [{ registry: 'docker.io' }, { not: { image: 'docker.io/library/**' } }, { any: [{ not: { image: '*:*.*' } }, { image: '**/*-dev*' }] }] },
    message: '{{image}}'
  },
  [
    { name: 'non-official Hub image without a dotted version', code: 'FROM bitnami/redis:7', out: ['1: bitnami/redis:7'] },
    { name: 'non-official Hub image, -dev tag', code: 'FROM bitnami/redis:7.2-dev', out: ['1: bitnami/redis:7.2-dev'] },
    { name: 'non-official Hub image, dotted version', code: 'FROM bitnami/redis:7.2', out: [] },
    { name: 'official image', code: 'FROM redis:7', out: [] },
    { name: 'another registry', code: 'FROM ghcr.io/bitnami/redis:7', out: [] },
    { name: 'unknown stays unknown through not', code: 'FROM scratch\nFROM bitnami/redis:7 AS r\nFROM r', out: ['2: bitnami/redis:7'] }
  ]
);

table(
  'keys of a condition are ANDed; unknown vs true in any',
  { when: { instruction: 'RUN' }, forbid: { any: [{ run: { program: 'curl' }, user: 'root' }, { image: 'alpine' }] }, message: '{{line}} {{image}}' },
  [
    { name: 'curl as root, and curl as app', code: 'FROM a:1\nRUN curl x\nUSER app\nRUN curl y', out: ['2: 2 '] },
    { name: 'an image mount decides for a RUN without curl', code: 'FROM a:1\nUSER app\nRUN --mount=from=alpine,target=/a ls', out: ['3: 3 alpine'] }
  ]
);

table(
  'require and forbid together: reported once',
  { when: { instruction: 'FROM' }, require: { image: 'ghcr.io/**' }, forbid: { image: '*:latest' }, message: '{{image}}' },
  [
    { name: 'fails both', code: 'FROM nginx', out: ['1: nginx'] },
    { name: 'fails forbid', code: 'FROM ghcr.io/a/b:latest', out: ['1: ghcr.io/a/b:latest'] },
    { name: 'fails require', code: 'FROM nginx:1', out: ['1: nginx:1'] },
    { name: 'passes both', code: 'FROM ghcr.io/a/b:1', out: [] }
  ]
);

table(
  'several when instructions: a condition that cannot apply to one of them is false for it',
  { when: { instruction: ['ENV', 'LABEL'] }, require: { any: [{ env: 'APP' }, { label: 'app' }] }, message: '{{instruction}}' },
  [
    { name: 'each satisfies its own kind', code: 'FROM a:1\nENV APP=1\nLABEL app=1', out: [] },
    { name: 'neither: both reported (the other kind is false, not unknown)', code: 'FROM a:1\nENV X=1\nLABEL x=1', out: ['2: ENV', '3: LABEL'] }
  ]
);

table(
  'several when instructions: an image condition on a COPY without --from is unknown, not false',
  { when: { instruction: ['FROM', 'COPY'] }, forbid: { not: { image: 'registry.example.com/**' } }, message: '{{instruction}} {{image}}' },
  [
    {
      name: 'plain COPY and COPY from a stage are not judged',
      code: 'FROM registry.example.com/a:1 AS b\nCOPY . .\nCOPY --from=b / /\nCOPY --from=alpine:3 / /',
      out: ['4: COPY alpine:3']
    }
  ]
);

// ---------------------------------------------------------------------------
// stage: final vs any

const STAGES = 'FROM golang:1.23 AS build\nRUN curl -k x\nFROM alpine:3 AS base\nRUN curl -k y\nFROM base\nRUN curl -k z\nCOPY --from=build /a /a';

table(
  'stage: any (default) judges every stage',
  { when: { instruction: ['FROM', 'RUN'] }, forbid: { any: [{ image: '**' }, { run: { program: 'curl', flag: '-k' } }] }, message: '{{stage}}' },
  [{ name: 'all stages', code: STAGES, out: ['1: build', '2: build', '3: base', '4: base', '6: 2'] }]
);

table(
  'stage: final judges the shipped stage and the stages it is built FROM',
  {
    when: { instruction: ['FROM', 'RUN'], stage: 'final' },
    forbid: { any: [{ image: '**' }, { run: { program: 'curl', flag: '-k' } }] },
    message: '{{stage}}'
  },
  [
    { name: 'builder stage skipped', code: STAGES, out: ['3: base', '4: base', '6: 2'] },
    { name: 'lint.targets decides what ships', code: STAGES, targets: ['build'], out: ['1: build', '2: build'] },
    { name: 'global ARGs are not in a stage', code: 'ARG X=1\nFROM a:1', out: ['2: 0'] }
  ]
);

// ---------------------------------------------------------------------------
// Placeholders

describe('placeholders', () => {
  it.each([
    [
      'RUN with an image mount; {{ spaces }} allowed',
      { when: { instruction: 'RUN' }, forbid: { run: { program: 'curl', flag: '-k' } } },
      '{{instruction}}|{{stage}}|{{line}}|{{key}}|{{value}}|{{program}}|{{ image }}',
      'FROM a:1 AS Build\nRUN --mount=from=alpine:3,target=/t \\\n  curl -k x',
      ['2: RUN|build|2|-k|curl -k x|curl|alpine:3']
    ],
    [
      'ENV: the pair line, stage index',
      { when: { instruction: 'ENV' }, forbid: { env: 'B' } },
      '{{instruction}}|{{stage}}|{{line}}|{{key}}|{{value}}',
      'FROM a:1\nFROM b:1\nENV A=1 \\\n  B=2',
      ['4: ENV|1|4|B|2']
    ],
    [
      'file rule: FROM line of the shipped stage',
      { when: { file: true }, require: { label: 'x' } },
      '{{instruction}}|{{stage}}|{{line}}|{{key}}|{{value}}|{{image}}',
      'FROM a:1 AS base\nFROM base AS app',
      ['2: FROM|app|2|x||a:1']
    ],
    [
      'global ARG',
      { when: { instruction: 'ARG' }, forbid: { arg: 'X' } },
      '{{instruction}}|{{stage}}|{{line}}|{{key}}|{{value}}',
      'ARG X=1\nFROM a:1',
      ['1: ARG|global|1|X|1']
    ],
    [
      'FROM without an image (scratch) but another condition',
      { when: { instruction: 'FROM' }, forbid: { flag: 'platform' } },
      '{{image}}|{{key}}',
      'FROM --platform=linux/amd64 scratch',
      ['1: |--platform']
    ]
  ] as const)('%s', (_n, def, message, code, out) => {
    expect(run({ ...def, message }, code)).toEqual(out);
  });

  it('masks {{value}} in the rule itself, before the engine sees it', () => {
    const rule = compileCustomRule({ id: 't/secret', message: '{{key}}={{value}}', when: { instruction: 'ENV' }, forbid: { env: { value: '?*' } } });
    const model = parseDockerfile('Dockerfile', `FROM a:1\nENV API_KEY=s3cr3t-v4lue-12345\nENV GREETING=${TOKEN}\nENV MODE=debug`);
    const reports: ReportDescriptor[] = [];
    rule.check({ model, options: {}, external: {}, report: (d) => reports.push(d) });
    expect(reports.map((r) => r.message)).toEqual(['API_KEY=s3cr****', 'GREETING=ghp_****', 'MODE=debug']);
  });

  it('maskValue: secret keys mask the whole value, other values by pattern', () => {
    expect(maskValue('hunter2', 'DB_PASSWORD')).toBe('****');
    expect(maskValue('hunter2', 'GREETING')).toBe('hunter2');
    expect(maskValue(`x ${TOKEN} y`, 'GREETING')).toBe('x ghp_**** y');
    expect(maskValue('', 'TOKEN')).toBe('');
  });
});

// ---------------------------------------------------------------------------
// Compile errors, with the JSON pointer of each

const base = { id: 'org/r', message: 'm' };

describe('compile errors', () => {
  it.each([
    // Semantic checks
    [
      'bad regex',
      { ...base, when: { instruction: 'ENV' }, require: { env: { key: 'A', value: { regex: '(abc' } } } },
      '/require/env/value/regex',
      /invalid regex "\(abc" in require\.env\.value\.regex: unterminated group/
    ],
    [
      'regex that would escape the anchors',
      { ...base, when: { instruction: 'FROM' }, forbid: { image: { regex: 'a)|(b' } } },
      '/forbid/image/regex',
      /invalid regex "a\)\|\(b".*unmatched '\)'/i
    ],
    [
      'bad regex deep in a combinator',
      { ...base, when: { file: true }, forbid: { all: [{ user: 'root' }, { not: { label: { key: { regex: '[z-a]' } } } }] } },
      '/forbid/all/1/not/label/key/regex',
      /range out of order/
    ],
    [
      'unknown instruction',
      { ...base, when: { instruction: 'FORM' }, require: { image: '**' } },
      '/when/instruction',
      /unknown instruction "FORM" in when\.instruction \(did you mean FROM\?\)/
    ],
    [
      'unknown instruction in a list',
      { ...base, when: { instruction: ['RUN', 'COPPY'] }, require: { user: 'app' } },
      '/when/instruction/1',
      /unknown instruction "COPPY".*did you mean COPY/
    ],
    [
      'unknown instruction in an instruction condition',
      { ...base, when: { file: true }, require: { instruction: 'HEALTHCHEK' } },
      '/require/instruction',
      /unknown instruction "HEALTHCHEK"/
    ],
    [
      'run on a FROM rule',
      { ...base, when: { instruction: 'FROM' }, forbid: { run: 'curl' } },
      '/forbid/run',
      /condition "run" in forbid\.run cannot apply to FROM rules: it applies to RUN/
    ],
    [
      'image on an ENV rule',
      { ...base, when: { instruction: 'ENV' }, forbid: { image: '**' } },
      '/forbid/image',
      /cannot apply to ENV rules: it applies to FROM, COPY, ADD, RUN and file-level rules/
    ],
    [
      'label on an ENV rule',
      { ...base, when: { instruction: 'ENV' }, forbid: { label: 'x' } },
      '/forbid/label',
      /cannot apply to ENV rules: it applies to LABEL and file-level rules/
    ],
    [
      'instruction on an instruction rule',
      { ...base, when: { instruction: 'RUN' }, require: { instruction: 'USER' } },
      '/require/instruction',
      /applies to file-level rules/
    ],
    [
      'run on a file rule, nested',
      { ...base, when: { file: true }, forbid: { any: [{ user: 'root' }, { not: { run: 'curl' } }] } },
      '/forbid/any/1/not/run',
      /cannot apply to file-level rules/
    ],
    ['mount on a COPY rule', { ...base, when: { instruction: 'COPY' }, forbid: { mount: 'ssh' } }, '/forbid/mount', /applies to RUN/],
    [
      'port on a list of subjects none of which expose',
      { ...base, when: { instruction: ['RUN', 'COPY'] }, forbid: { port: 22 } },
      '/forbid/port',
      /cannot apply to RUN rules or COPY rules/
    ],
    [
      'flag not of the subject',
      { ...base, when: { instruction: 'RUN' }, forbid: { flag: 'chmod' } },
      '/forbid/flag',
      /"--chmod" in forbid\.flag is not a flag of RUN; known flags: RUN: --mount, --network, --security, --device/
    ],
    [
      'flag name typo',
      { ...base, when: { instruction: ['COPY', 'ADD'] }, forbid: { flag: { name: 'chmdo', value: '777' } } },
      '/forbid/flag/name',
      /did you mean "--chmod"/
    ],
    ['flag on ENV', { ...base, when: { instruction: 'ENV' }, forbid: { flag: 'x' } }, '/forbid/flag', /cannot apply to ENV rules/],
    [
      'bad port range',
      { ...base, when: { instruction: 'EXPOSE' }, forbid: { port: [22, '9000-8000'] } },
      '/forbid/port/1',
      /port range "9000-8000" in forbid\.port\.1 is invalid/
    ],
    [
      'run flag that is not an option',
      { ...base, when: { instruction: 'RUN' }, forbid: { run: { program: 'curl', flag: '-' } } },
      '/forbid/run/flag',
      /must be one option such as -k/
    ],
    [
      'unknown placeholder',
      { ...base, message: 'Image {{imgae}} is bad', when: { instruction: 'FROM' }, forbid: { image: '**' } },
      '/message',
      /unknown placeholder \{\{imgae\}\} in message \(known: \{\{image\}\}, \{\{value\}\}/
    ],
    [
      '{{image}} on an ENV rule',
      { ...base, message: '{{image}}', when: { instruction: 'ENV' }, forbid: { env: 'A' } },
      '/message',
      /\{\{image\}\} has no value for ENV rules/
    ],
    [
      '{{program}} without a run condition',
      { ...base, message: '{{program}}', when: { instruction: 'RUN' }, forbid: { user: 'root' } },
      '/message',
      /\{\{program\}\} needs a `run` condition/
    ],
    [
      '{{key}} without a keyed condition',
      { ...base, message: '{{key}}', when: { instruction: 'FROM' }, forbid: { image: '**' } },
      '/message',
      /\{\{key\}\} needs an env, arg, label/
    ],
    // Schema checks
    ['missing message', { id: 'org/r', when: { file: true }, require: { label: 'x' } }, '/message', /"message" is missing/],
    [
      'id without namespace',
      { ...base, id: 'approved-registry', when: { file: true }, require: { label: 'x' } },
      '/id',
      /namespace, such as org\/approved-registry/
    ],
    ['neither require nor forbid', { ...base, when: { file: true } }, '', /the rule needs `require`, `forbid` or both/],
    [
      'both instruction and file',
      { ...base, when: { instruction: 'FROM', file: true }, require: { image: '**' } },
      '/when',
      /"when" needs exactly one of `instruction` or `file: true`/
    ],
    [
      'stage on a file rule',
      { ...base, when: { file: true, stage: 'final' }, require: { label: 'x' } },
      '/when/stage',
      /"when\.stage" is for instruction rules/
    ],
    [
      'unknown condition',
      { ...base, when: { instruction: 'FROM' }, require: { imgae: '**' } },
      '/require/imgae',
      /unknown key "imgae" in "require" \(allowed: all, any, not, image, registry/
    ],
    ['unknown key at the top', { ...base, when: { file: true }, require: { label: 'x' }, severty: 'error' }, '/severty', /unknown key "severty" in the rule/],
    [
      'bad severity',
      { ...base, severity: 'fatal', when: { file: true }, require: { label: 'x' } },
      '/severity',
      /"severity" must be one of "error", "warning", "note"/
    ],
    [
      'match of the wrong type',
      { ...base, when: { instruction: 'FROM' }, require: { image: 5 } },
      '/require/image',
      /"require\.image" must be a glob, a list of globs/
    ],
    [
      'unknown key in a match object',
      { ...base, when: { instruction: 'ENV' }, require: { env: { key: { regx: 'A' } } } },
      '/require/env/key/regx',
      /unknown key "regx" in "require\.env\.key"/
    ],
    [
      'unknown mount option',
      { ...base, when: { instruction: 'RUN' }, require: { mount: { type: 'cache', tgt: '/x' } } },
      '/require/mount/tgt',
      /unknown key "tgt".*allowed: type, target/
    ],
    ['empty condition', { ...base, when: { instruction: 'FROM' }, require: {} }, '/require', /"require" must NOT have fewer than 1 properties/],
    ['help must be a URL', { ...base, help: 'see wiki', when: { file: true }, require: { label: 'x' } }, '/help', /"help" must match pattern/],
    ['file: false', { ...base, when: { file: false }, require: { label: 'x' } }, '/when/file', /"when\.file" must be one of true/],
    ['not an object', 'org/r', '', /the rule must be object/]
  ] as const)('%s', (_n, def, pointer, message) => {
    let err: unknown;
    try {
      compileCustomRule(def);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CustomRuleError);
    const e = err as CustomRuleError;
    expect({ pointer: e.pointer, message: e.message }).toEqual({ pointer, message: expect.stringMatching(message) });
  });

  it('names the rule in the message once its id is known', () => {
    expect(() => compileCustomRule({ ...base, message: '{{x}}', when: { file: true }, require: { label: 'x' } })).toThrow(/^"org\/r": unknown placeholder/);
  });

  it('maps pointers through pointerBase and at()', () => {
    const seen: string[] = [];
    const at = (p: string): ConfigLocation => {
      seen.push(p);
      return { file: '.container-guard.yml', line: 42 };
    };
    try {
      compileCustomRule({ ...base, when: { instruction: 'ENV' }, require: { env: { value: { regex: '(' } } } }, at, '/rules/custom/2');
      throw new Error('no error');
    } catch (e) {
      const err = e as CustomRuleError;
      expect(err.pointer).toBe('/require/env/value/regex');
      expect(err.absolutePointer).toBe('/rules/custom/2/require/env/value/regex');
      expect(err.location).toEqual({ file: '.container-guard.yml', line: 42 });
      expect(seen).toEqual(['/rules/custom/2/require/env/value/regex']);
    }
  });

  it('compileCustomRules rejects a duplicate id at its pointer, and prefixes item indexes', () => {
    const ok = { ...base, when: { file: true }, require: { label: 'x' } };
    const dup = () => compileCustomRules([ok, { ...ok, id: 'org/other' }, ok], undefined, '/rules/custom');
    expect(dup).toThrow(CustomRuleError);
    try {
      dup();
    } catch (e) {
      expect({ pointer: (e as CustomRuleError).pointer, abs: (e as CustomRuleError).absolutePointer }).toEqual({ pointer: '/2/id', abs: '/rules/custom/2/id' });
      expect((e as Error).message).toMatch(/"org\/r" is defined twice \(first at item 0\)/);
    }
    try {
      compileCustomRules([ok, { ...ok, require: { lable: 'x' } }], undefined, '/rules/custom');
    } catch (e) {
      expect({ pointer: (e as CustomRuleError).pointer, abs: (e as CustomRuleError).absolutePointer }).toEqual({
        pointer: '/1/require/lable',
        abs: '/rules/custom/1/require/lable'
      });
    }
  });
});

// ---------------------------------------------------------------------------
// The schema, embedded as the integrator will

describe('customRuleSchema', () => {
  it('validates when embedded under rules.custom.items of another schema with its own definitions', () => {
    const outer = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: { rules: { type: 'object', properties: { custom: { type: 'array', items: customRuleSchema } } } },
      definitions: { condition: { type: 'number' }, match: { type: 'number' } }
    };
    const validate = new Ajv({ strict: false }).compile(outer);
    const good = { id: 'org/a', message: 'm', when: { instruction: 'RUN' }, forbid: { not: { all: [{ run: { program: 'curl', pipedTo: 'sh' } }] } } };
    expect(validate({ rules: { custom: [good] } })).toBe(true);
    expect(validate({ rules: { custom: [{ ...good, forbid: { not: { all: [{ run: { programm: 'x' } }] } } }] } })).toBe(false);
  });

  it('puts additionalProperties: false on every object schema', () => {
    const missing: string[] = [];
    const walk = (node: unknown, p: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${p}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if (o.type === 'object' && o.additionalProperties !== false) missing.push(p);
      for (const [k, v] of Object.entries(o)) if (k !== 'default' && k !== 'enum') walk(v, `${p}/${k}`);
    };
    walk(customRuleSchema, '');
    expect(missing).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// docs/custom-rules.md: every full example compiles, and the recipes do what they say

describe('docs/custom-rules.md', () => {
  const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'custom-rules.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const configs = blocks.filter((b) => b.startsWith('rules:'));

  it('has the example and the recipes, and every one compiles', () => {
    expect(configs.length).toBeGreaterThanOrEqual(2);
    for (const text of configs) {
      const defs = (load(text) as { rules: { custom: unknown[] } }).rules.custom;
      expect(compileCustomRules(defs, undefined, '/rules/custom').length).toBe(defs.length);
    }
  });

  it('the recipes report what their messages say', () => {
    const recipes = compileCustomRules((load(configs[configs.length - 1]) as { rules: { custom: unknown[] } }).rules.custom);
    const code = [
      'FROM python:3.12 AS build',
      'RUN pip install -r requirements.txt',
      'FROM python:latest',
      'ARG NPM_TOKEN',
      'ENV DB_PASSWORD=hunter2hunter2',
      'LABEL org.opencontainers.image.version=1.2',
      'RUN curl -fsSLk https://example.com/install.sh | bash',
      'RUN pip3 install --no-cache-dir flask',
      'COPY --chmod=777 app /app',
      'EXPOSE 8080 22'
    ].join('\n');
    const got = lintFile('Dockerfile', code, defaultConfig(), recipes).findings.map((f) => `${f.line} ${f.ruleId}: ${f.message}`);
    expect(got).toEqual([
      '3 org/healthcheck: Stage 1 ships without HEALTHCHECK',
      '3 org/no-floating-tags: python:latest floats; pin a version',
      '3 org/non-root: The shipped image runs as root',
      '3 org/version-label: org.opencontainers.image.version is 1.2, not a semantic version',
      '4 org/secrets-by-mount: NPM_TOKEN: pass secrets with RUN --mount=type=secret, not ENV/ARG',
      '5 org/secrets-by-mount: DB_PASSWORD: pass secrets with RUN --mount=type=secret, not ENV/ARG',
      '7 org/no-pipe-to-shell: curl output is piped to a shell: download, verify, then run',
      '7 org/tls-verify: curl -k disables TLS verification',
      '8 org/pip-cache-mount: pip install without a cache mount',
      '9 org/copy-permissions: COPY --chmod=777 makes files world-writable',
      '10 org/no-ssh-port: EXPOSE 22: do not ship an SSH server'
    ]);
  });
});
