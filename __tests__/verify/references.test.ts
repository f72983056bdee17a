/**
 * Fail closed on references (issue 12 item 1): text that is not an image reference is a failure with a
 * clear message — never a pass, never a skip — and credentials in it are never echoed. Checked on the
 * pure parser, on the verify run, and on the bundled CLI under Node 20 and Node 24 (exit 1 for an invalid
 * reference, exit 2 when the whole input is unusable). None of these cases makes a request: an invalid
 * reference is rejected before the registry is asked anything (the registry host does not exist).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { displayRef, imageRefProblem, normalizeImage, parseImageRef } from '../../src/core/image-ref.js';
import { parseImageList } from '../../src/core/verify/images.js';
import { formatVerifyMarkdown, formatVerifyText, toVerifyJson } from '../../src/core/verify/results.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { runVerify } from '../../src/io/verify-run.js';
import { parseConfig } from '../../src/core/config/load.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { makeTree } from '../helpers/fixtures.js';
import { RUNTIMES } from '../helpers/node-runtimes.js';
import { runAction } from '../helpers/actions.js';
import { createTestSigstore } from '../helpers/sigstore.js';

const HEX = 'a'.repeat(64);
const SECRET = 'hunter2-Xq9';

describe('imageRefProblem', () => {
  test.each<[string, RegExp]>([
    ['', /empty image reference/],
    ['   ', /empty image reference/],
    ['ghcr.io/acme/api:1.4@sha256:abc', /invalid digest "sha256:abc": expected sha256: and 64/],
    [`ghcr.io/acme/api@sha256:${'a'.repeat(63)}`, /invalid digest/],
    [`ghcr.io/acme/api@sha256:${'a'.repeat(65)}`, /invalid digest/],
    [`ghcr.io/acme/api@sha256:${'A'.repeat(64)}`, /invalid digest/],
    [`ghcr.io/acme/api@sha256:${'g'.repeat(64)}`, /invalid digest/],
    [`ghcr.io/acme/api@md5:${'a'.repeat(32)}`, /invalid digest/],
    ['ghcr.io/Acme/API:1', /upper-case letters in its repository/],
    [`ghcr.io/acme/api:${'t'.repeat(129)}`, /tag of 129 characters: at most 128/],
    ['ghcr.io/acme/api:-x', /invalid tag "-x"/],
    [`user:${SECRET}@ghcr.io/acme/api:1`, /credentials in it/],
    ['ghcr.io/acme/api::1', /not a valid image reference|invalid tag/]
  ])('%j', (raw, problem) => {
    expect(parseImageRef(raw)).toBeUndefined();
    expect(imageRefProblem(raw)).toMatch(problem);
    expect(imageRefProblem(raw)).not.toContain(SECRET);
  });

  test.each([`ghcr.io/acme/api:${'t'.repeat(128)}`, `ghcr.io/acme/api:1.4@sha256:${HEX}`, `x.io/a@sha512:${'b'.repeat(128)}`, 'nginx', 'localhost:5000/a/b:c'])(
    'valid: %s',
    (raw) => {
      expect(imageRefProblem(raw)).toBeUndefined();
      expect(parseImageRef(raw)).toBeDefined();
    }
  );

  test.each([
    ['registry.hub.docker.com/library/nginx:1', 'docker.io/library/nginx:1'],
    ['registry.hub.docker.com/acme/app', 'docker.io/acme/app:latest'],
    ['index.docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['registry-1.docker.io/acme/app:2', 'docker.io/acme/app:2']
  ])('Docker Hub aliases: %s → %s', (raw, normal) => {
    expect(normalizeImage(parseImageRef(raw)!)).toBe(normal);
  });

  test('displayRef hides credentials and cuts long text', () => {
    expect(displayRef(`u:${SECRET}@host.example/a:1`)).toBe('***@host.example/a:1');
    expect(displayRef('x'.repeat(5000)).length).toBeLessThanOrEqual(201);
  });
});

describe('the verify run fails closed on invalid references', () => {
  const ws = makeTree({ 'only-comments.txt': '# nothing here\n\n   # still nothing\n' });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));
  const config = parseConfig('', '.container-guard.yml', []);

  test('an invalid reference is an error finding and the JSON does not pass', async () => {
    const images = ['ghcr.io/acme/api:1.4@sha256:abc', `user:${SECRET}@ghcr.io/acme/api:1`, 'ghcr.io/Acme/x'];
    const r = await runVerify({ cwd: ws, config, client: createPinClient([]), images });
    expect(r.results).toEqual([]);
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual(images.map(() => ['verify/reference', 'error']));
    const json = toVerifyJson(r.results, r.findings);
    expect(json.passed).toBe(false);
    const all = JSON.stringify(json) + formatVerifyText(r.results, r.skipped) + formatVerifyMarkdown(r.results, r.skipped);
    expect(all).not.toContain(SECRET);
    expect(formatVerifyMarkdown(r.results, r.skipped)).toMatch(/verify: failed/);
    expect(formatVerifyText(r.results, r.skipped)).toMatch(/3 invalid reference/);
  });

  test('an images file with only comments is unusable input', async () => {
    await expect(runVerify({ cwd: ws, config, client: createPinClient([]), imagesFiles: ['only-comments.txt'] })).rejects.toThrow(/no image reference/);
  });

  test('lists keep every valid reference next to the invalid ones', () => {
    const list = parseImageList(`nginx:1\nbad@@x # comment\n\nalpine@sha256:${HEX}\n`, 'images.txt');
    expect(list.uses.map((u) => [u.reference, u.line])).toEqual([
      ['docker.io/library/nginx:1', 1],
      [`docker.io/library/alpine@sha256:${HEX}`, 4]
    ]);
    expect(list.skipped.map((s) => [s.line, s.kind])).toEqual([[2, 'invalid']]);
  });
});

const CLI = path.join(REPO_ROOT, 'dist/cli/index.js');
const bundled = fs.existsSync(CLI);

(bundled ? describe.each(RUNTIMES) : describe.skip.each(RUNTIMES))('bundled CLI on %s', (_label, node) => {
  const ws = makeTree({ 'only-comments.txt': '# nothing\n' });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));
  const cli = (...args: string[]) => {
    const r = spawnSync(node, [CLI, 'verify', '--format', 'json', ...args], {
      cwd: ws,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test.each<[string, string, RegExp]>([
    ['tag and a short digest', 'ghcr.io/acme/api:1.4@sha256:abc', /invalid digest/],
    ['upper-case repository', 'ghcr.io/Acme/api:1', /upper-case/],
    ['credentials', `user:${SECRET}@ghcr.io/acme/api:1`, /credentials/],
    ['129-character tag', `ghcr.io/acme/api:${'t'.repeat(129)}`, /129 characters/]
  ])('%s: exit 1, not passed', (_name, ref, message) => {
    const r = cli('--image', ref);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { passed: boolean; findings: { ruleId: string; message: string }[] };
    expect(json.passed).toBe(false);
    expect(json.findings[0]!.ruleId).toBe('verify/reference');
    expect(json.findings[0]!.message).toMatch(message);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  test('an images file with only comments: exit 2', () => {
    const r = cli('--images-file', 'only-comments.txt');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no image reference/);
  });

  test('a trusted root the library rejects: exit 2 naming the file and the field', () => {
    const root = JSON.parse(createTestSigstore().trustedRootJSON) as { tlogs: { publicKey: { validFor: { start?: string } } }[] };
    delete root.tlogs[0]!.publicKey.validFor.start;
    fs.writeFileSync(path.join(ws, 'root.json'), JSON.stringify(root));
    const r = cli('--image', `127.0.0.1:1/acme/api@sha256:${HEX}`, '--trusted-root', 'root.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/trusted root \S*root\.json: tlogs\[0\]\.publicKey\.validFor\.start is missing/);
  });

  test('an empty reference: exit 2', () => {
    const r = cli('--image', '');
    expect(r.code).toBe(2);
  });

  test('the verify action fails on an invalid reference and never prints its credentials', () => {
    const r = runAction('verify', ws, { images: `user:${SECRET}@ghcr.io/acme/api:1\nghcr.io/acme/api:1.4@sha256:abc` }, { node });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error/);
    expect(r.stdout).toMatch(/invalid digest/);
    expect(r.stdout + r.summary + JSON.stringify(r.outputs)).not.toContain(SECRET);
    expect(r.summary).toMatch(/verify: failed/);
  });

  test('the verify action: an images file with only comments fails', () => {
    const r = runAction('verify', ws, { 'images-file': 'only-comments.txt' }, { node });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no image reference/);
  });
});
