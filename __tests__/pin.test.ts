/**
 * `container-guard pin`: the pure core (targets, edits, diffs) as tables, then runPin() in-process against
 * a real registry (Debian's docker-registry on 127.0.0.1, see helpers/registry.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { main } from '../src/cli.js';
import { parseDockerfile } from '../src/core/dockerfile/model.js';
import { applyPins, pinPlan, pinTargets, unifiedDiff, type PinTarget } from '../src/core/pin.js';
import { UsageError } from '../src/io/lint-run.js';
import { createPinClient, parseInsecureRegistries, runPin } from '../src/io/pin-run.js';
import { createRegistryClient } from '../src/io/registry/client.js';
import { makeTree } from './helpers/fixtures.js';
import { requireRegistry, startRegistry, type TestRegistry } from './helpers/registry.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const plan = (text: string, buildArgs?: Record<string, string>) => pinPlan(parseDockerfile('Dockerfile', text, { buildArgs }));
/** [line, image text, kind] of each target, and the text at the target's span (must be the image text). */
function targets(text: string, buildArgs?: Record<string, string>): [number, string, PinTarget['kind']][] {
  const model = parseDockerfile('Dockerfile', text, { buildArgs });
  return pinTargets(model).map((t) => {
    expect(model.lines[t.line - 1]!.slice(t.start, t.end)).toBe(t.raw);
    return [t.line, t.raw, t.kind];
  });
}
/** Every target pinned to one digest. */
const pinAll = (text: string, digest = D1, buildArgs?: Record<string, string>) =>
  applyPins(
    text,
    pinTargets(parseDockerfile('Dockerfile', text, { buildArgs })).map((target) => ({ target, digest }))
  );

describe('pinTargets', () => {
  test.each<[string, string, [number, string, PinTarget['kind']][]]>([
    ['single FROM', 'FROM nginx:1.27\n', [[1, 'nginx:1.27', 'from']]],
    ['no tag', 'FROM nginx\n', [[1, 'nginx', 'from']]],
    ['registry with port', 'FROM 127.0.0.1:5000/team/app:1.0 AS x\n', [[1, '127.0.0.1:5000/team/app:1.0', 'from']]],
    [
      'multi-stage: stage aliases, stage reuse and scratch are skipped',
      'FROM golang:1.22 AS build\nRUN go build\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\nFROM alpine:3.20 AS final\n',
      [
        [1, 'golang:1.22', 'from'],
        [6, 'alpine:3.20', 'from']
      ]
    ],
    ['a stage alias written in another case', 'FROM node:22 AS Build\nFROM BUILD\n', [[1, 'node:22', 'from']]],
    ['digest already present (with and without tag)', `FROM nginx@${D1}\nFROM alpine:3.20@${D2}\nCOPY --from=busybox:1.37@${D1} /a /b\n`, []],
    ['--platform flag', 'FROM --platform=linux/amd64 nginx:1.27 AS web\n', [[1, 'nginx:1.27', 'from']]],
    ['--platform with a variable', 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n', [[1, 'golang:1.22', 'from']]],
    ['image on a continuation line', 'FROM --platform=linux/arm64 \\\n    # a comment inside\n    nginx:1.27 \\\n    AS web\n', [[3, 'nginx:1.27', 'from']]],
    ['a continuation line before FROM', 'RUN echo one \\\n  two\nFROM nginx:1.27\n', [[3, 'nginx:1.27', 'from']]],
    ['indented, lower-case keyword, tabs', '  from\tnginx:1.27\tas web\n', [[1, 'nginx:1.27', 'from']]],
    ['quoted image', 'FROM "nginx:1.27"\n', [[1, 'nginx:1.27', 'from']]],
    [
      'CRLF',
      'FROM nginx:1.27\r\nRUN x\r\nFROM alpine:3.20\r\n',
      [
        [1, 'nginx:1.27', 'from'],
        [3, 'alpine:3.20', 'from']
      ]
    ],
    ['BOM', '\ufeffFROM nginx:1.27\n', [[1, 'nginx:1.27', 'from']]],
    [
      'backtick escape directive',
      '# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\n',
      [[3, 'mcr.microsoft.com/windows/servercore:ltsc2022', 'from']]
    ],
    [
      'COPY --from images; stages and stage indexes skipped',
      'FROM alpine:3.20 AS base\nCOPY --from=busybox:1.37 /bin/busybox /bin/\nCOPY --from=base /a /b\nCOPY --from=0 /a /b\nCOPY --chown=1:1 --from="ghcr.io/acme/tool:v1" /t /t\n',
      [
        [1, 'alpine:3.20', 'from'],
        [2, 'busybox:1.37', 'copy-from'],
        [5, 'ghcr.io/acme/tool:v1', 'copy-from']
      ]
    ],
    [
      'the same image twice: two targets (one lookup later)',
      'FROM nginx:1.27\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n',
      [
        [1, 'nginx:1.27', 'from'],
        [2, 'nginx:1.27', 'copy-from']
      ]
    ],
    [
      'ARG-resolved FROM pins the ARG default, once for every FROM using it',
      'ARG BASE=nginx:1.27\nARG OTHER=x\nFROM ${BASE} AS a\nFROM $BASE AS b\n',
      [[1, 'nginx:1.27', 'arg']]
    ],
    ['ARG default in quotes', 'ARG A=1 BASE="nginx:1.27"\nFROM ${BASE}\n', [[1, 'nginx:1.27', 'arg']]],
    ['the last global ARG wins', 'ARG BASE=alpine:3.19\nARG BASE=alpine:3.20\nFROM ${BASE}\n', [[2, 'alpine:3.20', 'arg']]],
    ['ARG default already pinned', `ARG BASE=nginx:1.27@${D1}\nFROM \${BASE}\n`, []]
  ])('%s', (_name, text, expected) => {
    expect(targets(text)).toEqual(expected);
  });

  test('an ARG target remembers the FROMs that use it', () => {
    const [t] = plan('ARG BASE=nginx:1.27\nFROM ${BASE} AS a\nRUN x\nFROM ${BASE} AS b\n').targets;
    expect(t).toMatchObject({
      line: 1,
      start: 9,
      end: 19,
      kind: 'arg',
      usedAt: [2, 4],
      image: { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }
    });
  });

  test.each<[string, string, Record<string, string> | undefined, [number, string, RegExp][]]>([
    ['unresolvable variable', 'FROM ${NOPE}\n', undefined, [[1, '${NOPE}', /cannot resolve NOPE/]]],
    ['ARG without default', 'ARG BASE\nFROM ${BASE}\n', undefined, [[2, '${BASE}', /cannot resolve BASE/]]],
    [
      'image assembled from variables',
      'ARG REG=ghcr.io\nARG VER=1\nFROM ${REG}/app:${VER}\n',
      undefined,
      [[3, '${REG}/app:${VER}', /assembled from variables \(REG, VER\)/]]
    ],
    ['variable with a default form', 'FROM ${BASE:-nginx:1.27}\n', undefined, [[1, '${BASE:-nginx:1.27}', /assembled from variables/]]],
    [
      'ARG default using another ARG',
      'ARG REG=ghcr.io\nARG BASE=${REG}/app:1\nFROM ${BASE}\n',
      undefined,
      [[3, '${BASE}', /default of ARG BASE uses variables/]]
    ],
    [
      'build arg overrides the default',
      'ARG BASE=nginx:1.27\nFROM ${BASE}\n',
      { BASE: 'nginx:1.28' },
      [[2, '${BASE}', /set by a build arg \("nginx:1\.28"\)/]]
    ],
    ['invalid reference', 'FROM Nginx:1.27\n', undefined, [[1, 'Nginx:1.27', /not a valid image reference/]]],
    ['template', 'FROM alpine:{{ version }}\n', undefined, [[1, 'alpine:{{', /template/]]],
    ['COPY --from bare word', 'FROM alpine:3.20\nCOPY --from=biulder /a /b\n', undefined, [[2, 'biulder', /bare word/]]],
    ['COPY --from variable', 'FROM alpine:3.20\nCOPY --from=$IMG /a /b\n', undefined, [[2, '$IMG', /not expanded/]]]
  ])('not pinnable: %s', (_name, text, buildArgs, expected) => {
    const p = plan(text, buildArgs);
    expect(p.skipped.map((s) => [s.line, s.text, s.reason])).toEqual(expected.map(([l, t, r]) => [l, t, expect.stringMatching(r)]));
    expect(p.targets.filter((t) => t.line === expected[0]![0])).toEqual([]);
  });

  test('a build arg equal to the default still pins the default', () => {
    expect(targets('ARG BASE=nginx:1.27\nFROM ${BASE}\n', { BASE: 'nginx:1.27' })).toEqual([[1, 'nginx:1.27', 'arg']]);
  });

  test('scratch, stage aliases and digests are skipped silently', () => {
    expect(plan(`FROM scratch AS a\nFROM a\nFROM nginx@${D1}\nCOPY --from=a /x /y\n`)).toEqual({ targets: [], skipped: [] });
  });
});

describe('applyPins', () => {
  test.each<[string, string, string]>([
    ['tag kept, digest appended', 'FROM nginx:1.27 AS web\n', `FROM nginx:1.27@${D1} AS web\n`],
    ['no tag: as written plus the digest', 'FROM nginx\n', `FROM nginx@${D1}\n`],
    [
      '--platform and comments kept',
      '# base\nFROM  --platform=linux/amd64   nginx:1.27   AS web # x\n',
      `# base\nFROM  --platform=linux/amd64   nginx:1.27@${D1}   AS web # x\n`
    ],
    ['CRLF kept', 'FROM nginx:1.27\r\nRUN x\r\nFROM alpine:3.20 AS b\r\n', `FROM nginx:1.27@${D1}\r\nRUN x\r\nFROM alpine:3.20@${D1} AS b\r\n`],
    ['no final newline', 'FROM nginx:1.27', `FROM nginx:1.27@${D1}`],
    ['BOM kept', '\ufeffFROM nginx:1.27\n', `\ufeffFROM nginx:1.27@${D1}\n`],
    ['quotes kept', 'FROM "nginx:1.27"\n', `FROM "nginx:1.27@${D1}"\n`],
    [
      'continuation lines kept',
      'RUN a \\\n  b\nFROM --platform=linux/arm64 \\\n    nginx:1.27 \\\n    AS web\n',
      `RUN a \\\n  b\nFROM --platform=linux/arm64 \\\n    nginx:1.27@${D1} \\\n    AS web\n`
    ],
    [
      'ARG default',
      'ARG BASE=nginx:1.27\r\nFROM ${BASE} AS a\r\nFROM ${BASE} AS b\r\n',
      `ARG BASE=nginx:1.27@${D1}\r\nFROM \${BASE} AS a\r\nFROM \${BASE} AS b\r\n`
    ],
    ['quoted ARG default', "ARG BASE='nginx:1.27'\nFROM ${BASE}\n", `ARG BASE='nginx:1.27@${D1}'\nFROM \${BASE}\n`],
    [
      'COPY --from',
      'FROM alpine:3.20\nCOPY --from=busybox:1.37 /bin/busybox /bin/\nCOPY --from="ghcr.io/a/b:1" /x /y\n',
      `FROM alpine:3.20@${D1}\nCOPY --from=busybox:1.37@${D1} /bin/busybox /bin/\nCOPY --from="ghcr.io/a/b:1@${D1}" /x /y\n`
    ],
    [
      'two images on lines with tabs',
      'FROM\tnginx:1.27\tAS a\nFROM a\n\tFROM  alpine:3.20\n',
      `FROM\tnginx:1.27@${D1}\tAS a\nFROM a\n\tFROM  alpine:3.20@${D1}\n`
    ]
  ])('%s', (_name, before, after) => {
    expect(pinAll(before)).toBe(after);
    // pinned once, nothing is left to pin
    expect(pinTargets(parseDockerfile('Dockerfile', after))).toEqual([]);
  });

  test('different digests per target; an empty pin list changes nothing', () => {
    const text = 'FROM nginx:1.27\nFROM alpine:3.20\n';
    const [a, b] = pinTargets(parseDockerfile('Dockerfile', text));
    expect(
      applyPins(text, [
        { target: b!, digest: D2 },
        { target: a!, digest: D1 }
      ])
    ).toBe(`FROM nginx:1.27@${D1}\nFROM alpine:3.20@${D2}\n`);
    expect(applyPins(text, [])).toBe(text);
  });

  test('stale targets, bad digests and conflicting pins throw', () => {
    const text = 'FROM nginx:1.27\n';
    const [t] = pinTargets(parseDockerfile('Dockerfile', text));
    expect(() => applyPins('FROM nginx:1.28\n', [{ target: t!, digest: D1 }])).toThrow(/"nginx:1\.27" is not at 6-15 \(the file changed\?\)/);
    expect(() => applyPins(text, [{ target: { ...t!, line: 5 }, digest: D1 }])).toThrow(/the file changed/);
    expect(() => applyPins(text, [{ target: t!, digest: 'sha256:xyz' }])).toThrow(/not a digest/);
    expect(() =>
      applyPins(text, [
        { target: t!, digest: D1 },
        { target: t!, digest: D2 }
      ])
    ).toThrow(/two different pins/);
    expect(
      applyPins(text, [
        { target: t!, digest: D1 },
        { target: t!, digest: D1 }
      ])
    ).toBe(`FROM nginx:1.27@${D1}\n`);
  });
});

describe('unifiedDiff', () => {
  const lines = (n: number, change: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

  test('equal texts: no diff', () => {
    expect(unifiedDiff('Dockerfile', 'a\n', 'a\n')).toBe('');
  });

  test('one replaced line with three lines of context, clipped at the start', () => {
    expect(unifiedDiff('Dockerfile', lines(10), lines(10, { 2: 'two' }))).toBe(
      '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n line 3\n line 4\n line 5\n'
    );
  });

  test('a single-line file: counts of 1 are left out', () => {
    expect(unifiedDiff('x/Dockerfile', 'FROM a\n', 'FROM b\n')).toBe('--- a/x/Dockerfile\n+++ b/x/Dockerfile\n@@ -1 +1 @@\n-FROM a\n+FROM b\n');
  });

  test('changes close together share a hunk; far apart they do not', () => {
    expect(unifiedDiff('f', lines(20), lines(20, { 5: 'five', 11: 'eleven' }))).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -2,13 +2,13 @@',
        ...[2, 3, 4].map((n) => ` line ${n}`),
        '-line 5',
        '+five',
        ...[6, 7, 8, 9, 10].map((n) => ` line ${n}`),
        '-line 11',
        '+eleven',
        ...[12, 13, 14].map((n) => ` line ${n}`),
        ''
      ].join('\n')
    );
    const far = unifiedDiff('f', lines(20), lines(20, { 3: 'three', 12: 'twelve' }));
    expect(far.match(/^@@.*$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -9,7 +9,7 @@']);
  });

  test('adjacent changed lines form one block; the end of the file is clipped', () => {
    expect(unifiedDiff('f', lines(6), lines(6, { 5: 'five', 6: 'six' }))).toBe(
      '--- a/f\n+++ b/f\n@@ -2,5 +2,5 @@\n line 2\n line 3\n line 4\n-line 5\n-line 6\n+five\n+six\n'
    );
  });

  test('no newline at end of file is marked', () => {
    expect(unifiedDiff('f', 'a\nb', 'a\nc')).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n'
    );
  });

  test('CRLF lines keep their \\r', () => {
    expect(unifiedDiff('f', 'FROM a\r\nRUN x\r\n', 'FROM b\r\nRUN x\r\n')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-FROM a\r\n+FROM b\r\n RUN x\r\n');
  });

  test('lines added or removed: one replacement block', () => {
    expect(unifiedDiff('f', 'a\nb\nc\n', 'a\nx\ny\nc\n')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+x\n+y\n c\n');
    expect(unifiedDiff('f', '', 'a\n')).toBe('--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n');
  });
});

describe('pin usage errors', () => {
  test('--insecure-registry takes host[:port]', () => {
    expect(parseInsecureRegistries(['Registry.Local:5000', '10.0.0.1', '[::1]:5000'])).toEqual(['registry.local:5000', '10.0.0.1', '[::1]:5000']);
    for (const bad of ['https://registry.local', 'registry.local/path', '', 'a b']) expect(() => parseInsecureRegistries([bad])).toThrow(UsageError);
  });

  test('runPin: a missing path is a UsageError', async () => {
    const dir = makeTree({ Dockerfile: 'FROM scratch\n' });
    await expect(runPin({ cwd: dir, paths: ['nope/Dockerfile'], write: false })).rejects.toThrow(/no such file or no match: nope\/Dockerfile/);
  });

  // (Unknown options are not tried in-process: jest's vm realm makes node's TypeError fail main's instanceof check.)
  test('the CLI exits 2 with one line', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const args of [['--insecure-registry', 'http://x'], ['--build-arg', 'NOVALUE'], ['no/such/Dockerfile']]) {
        err.mockClear();
        expect(await main(['pin', ...args])).toBe(2);
        const text = err.mock.calls.map((c) => String(c[0])).join('');
        expect(text).toMatch(/^container-guard: /);
        expect(text).not.toMatch(/\n\s+at /);
      }
    } finally {
      err.mockRestore();
    }
  });

  test('nothing to pin needs no registry', async () => {
    const dir = makeTree({ Dockerfile: `FROM scratch\nFROM nginx@${D1}\n` });
    const r = await runPin({ cwd: dir, paths: [], write: false, client: createRegistryClient({ fetch: () => Promise.reject(new Error('no network')) }) });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'container-guard: nothing to pin\n' });
  });
});

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

withRegistry('runPin against docker-registry', () => {
  let reg: TestRegistry;
  let app: string;
  let multi: string;
  beforeAll(async () => {
    reg = await startRegistry();
    app = (await reg.pushImage('app', '1.0')).digest;
    multi = (await reg.pushIndex('multi', '2.0')).digest;
  });
  afterAll(async () => {
    await reg?.stop();
  });

  const files = () => ({
    Dockerfile: [
      '# syntax=docker/dockerfile:1',
      `ARG BASE=${reg.host}/app:1.0`,
      'FROM ${BASE} AS build',
      'RUN echo build',
      '',
      `FROM --platform=linux/arm64 ${reg.host}/multi:2.0 AS final # multi-platform: the index digest`,
      `COPY --from=${reg.host}/app:1.0 /bin/x /bin/x`,
      'COPY --from=build /out /out',
      'FROM scratch',
      ''
    ].join('\n'),
    'svc/Dockerfile': `FROM ${reg.host}/app:1.0\r\nUSER 1000\r\n`,
    'done/Dockerfile': `FROM ${reg.host}/app:1.0@${app}\n`
  });

  test('diff, then --write, then nothing left to do', async () => {
    const dir = makeTree(files());
    const before = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');

    const dry = await runPin({ cwd: dir, paths: [], write: false });
    expect(dry.errors).toEqual([]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,9 +1,9 @@',
        ' # syntax=docker/dockerfile:1',
        `-ARG BASE=${reg.host}/app:1.0`,
        `+ARG BASE=${reg.host}/app:1.0@${app}`,
        ' FROM ${BASE} AS build',
        ' RUN echo build',
        ' ',
        `-FROM --platform=linux/arm64 ${reg.host}/multi:2.0 AS final # multi-platform: the index digest`,
        `-COPY --from=${reg.host}/app:1.0 /bin/x /bin/x`,
        `+FROM --platform=linux/arm64 ${reg.host}/multi:2.0@${multi} AS final # multi-platform: the index digest`,
        `+COPY --from=${reg.host}/app:1.0@${app} /bin/x /bin/x`,
        ' COPY --from=build /out /out',
        ' FROM scratch',
        '--- a/svc/Dockerfile',
        '+++ b/svc/Dockerfile',
        '@@ -1,2 +1,2 @@',
        `-FROM ${reg.host}/app:1.0\r`,
        `+FROM ${reg.host}/app:1.0@${app}\r`,
        ' USER 1000\r',
        ''
      ].join('\n')
    );
    expect(dry.stderr).toBe('container-guard: 4 image reference(s) to pin in 2 file(s); run with --write to apply\n');
    // a dry run writes nothing
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(before);

    const wrote = await runPin({ cwd: dir, paths: [], write: true });
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toBe(
      [
        `Dockerfile:2: pinned ${reg.host}/app:1.0@${app}`,
        `Dockerfile:6: pinned ${reg.host}/multi:2.0@${multi}`,
        `Dockerfile:7: pinned ${reg.host}/app:1.0@${app}`,
        `svc/Dockerfile:1: pinned ${reg.host}/app:1.0@${app}`,
        'pinned 4 image reference(s) in 2 file(s)',
        ''
      ].join('\n')
    );
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(
      before
        .replace(`BASE=${reg.host}/app:1.0`, `BASE=${reg.host}/app:1.0@${app}`)
        .replace(`${reg.host}/multi:2.0`, `${reg.host}/multi:2.0@${multi}`)
        .replace(`--from=${reg.host}/app:1.0`, `--from=${reg.host}/app:1.0@${app}`)
    );
    expect(fs.readFileSync(path.join(dir, 'svc/Dockerfile'), 'utf8')).toBe(`FROM ${reg.host}/app:1.0@${app}\r\nUSER 1000\r\n`);
    expect(fs.readFileSync(path.join(dir, 'done/Dockerfile'), 'utf8')).toBe(files()['done/Dockerfile']);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = await runPin({ cwd: dir, paths: [], write: false });
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: 'container-guard: nothing to pin\n', errors: [] });
    const againWrite = await runPin({ cwd: dir, paths: [], write: true });
    expect(againWrite.stdout).toBe('pinned 0 image reference(s) in 0 file(s)\n');
    expect(fs.readFileSync(path.join(dir, 'svc/Dockerfile'), 'utf8')).toBe(`FROM ${reg.host}/app:1.0@${app}\r\nUSER 1000\r\n`);
  });

  test('each reference is resolved once per run', async () => {
    const dir = makeTree(files());
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const r = await runPin({ cwd: dir, paths: [], write: false, client: createPinClient([], { fetch: counting }) });
    expect(r.code).toBe(0);
    expect(calls.sort()).toEqual(['/v2/app/manifests/1.0', '/v2/multi/manifests/2.0']);
  });

  test('an unknown tag: exit 1 naming file and line; the other pins are still written', async () => {
    const dir = makeTree({
      'bad/Dockerfile': `FROM ${reg.host}/app:1.0 AS a\nCOPY --from=${reg.host}/app:nope /x /y\n`,
      'arg/Dockerfile': `ARG BASE=${reg.host}/missing:1\nFROM \${BASE}\n`
    });
    const dry = await runPin({ cwd: dir, paths: [], write: false });
    expect(dry.code).toBe(1);
    expect(dry.errors).toEqual([
      `arg/Dockerfile:1: cannot pin ${reg.host}/missing:1 (the ARG default used by FROM on line 2): tag '1' not found in ${reg.host}/missing`,
      `bad/Dockerfile:2: cannot pin ${reg.host}/app:nope: tag 'nope' not found in ${reg.host}/app`
    ]);
    expect(dry.stderr).toContain(`container-guard: bad/Dockerfile:2: cannot pin ${reg.host}/app:nope: tag 'nope' not found in ${reg.host}/app\n`);
    expect(dry.stderr).toMatch(/1 image reference\(s\) to pin in 1 file\(s\); run with --write to apply; 2 could not be pinned\n$/);
    expect(dry.stdout).toContain(`+FROM ${reg.host}/app:1.0@${app} AS a\n`);

    const wrote = await runPin({ cwd: dir, paths: ['bad'], write: true });
    expect(wrote.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'bad/Dockerfile'), 'utf8')).toBe(`FROM ${reg.host}/app:1.0@${app} AS a\nCOPY --from=${reg.host}/app:nope /x /y\n`);
    expect(wrote.stdout).toBe(`bad/Dockerfile:1: pinned ${reg.host}/app:1.0@${app}\npinned 1 image reference(s) in 1 file(s); 1 could not be pinned\n`);
  });

  test('explicit paths, build args and not-pinnable notes', async () => {
    const dir = makeTree({
      'a.Dockerfile': `ARG TAG\nFROM ${reg.host}/app:\${TAG}\nFROM \${UNSET}\n`,
      'other/Dockerfile': `FROM ${reg.host}/multi:2.0\n`
    });
    const r = await runPin({ cwd: dir, paths: ['a.Dockerfile'], write: true, buildArgs: { TAG: '1.0' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`container-guard: a.Dockerfile:2: not pinned: ${reg.host}/app:\${TAG}: the image is assembled from variables (TAG)`);
    expect(r.stderr).toContain('container-guard: a.Dockerfile:3: not pinned: ${UNSET}: cannot resolve UNSET');
    expect(fs.readFileSync(path.join(dir, 'other/Dockerfile'), 'utf8')).toBe(`FROM ${reg.host}/multi:2.0\n`);
  });

  test('--insecure-registry: plain http for the hosts given; https for the rest', async () => {
    const image = { raw: `${reg.host}/app:1.0`, registry: reg.host, repository: 'app', tag: '1.0' };
    // loopback off: only the listed host gets http
    const listed = await createPinClient([reg.host], { loopback: false }).resolve(image);
    expect(listed).toMatchObject({ found: true, digest: app });
    await expect(createRegistryClient({ timeoutMs: 5000 }).resolve(image)).rejects.toThrow(/cannot reach/);
    await expect(createPinClient(['other.example:5000'], { loopback: false }).resolve(image)).rejects.toThrow(/cannot reach/);
  });
});
