/**
 * Keyless (Sigstore bundle) verification end to end against a real registry, the CLI's `verify` command
 * and the bundled `verify` action. Bundles come from the in-memory Sigstore instance of
 * helpers/sigstore.ts (Fulcio-style certificates, Rekor entries with inclusion proofs, a trusted root);
 * they are stored as OCI 1.1 referrers: through the `sha256-<hex>` tag fallback on Debian's
 * docker-registry (no referrers API) and through the native API of the referrers proxy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { main } from '../../src/cli.js';
import { parseConfig } from '../../src/core/config/load.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { runVerify } from '../../src/io/verify-run.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { runAction } from '../helpers/actions.js';
import { makeTree } from '../helpers/fixtures.js';
import { startReferrersProxy, type ReferrersProxy } from '../helpers/referrers-proxy.js';
import {
  BASIC_PASSWORD,
  BASIC_USER,
  cosignPayload,
  pushCosignSignature,
  pushReferrer,
  pushReferrersFallback,
  requireRegistry,
  startRegistry,
  type PushedManifest,
  type TestRegistry
} from '../helpers/registry.js';
import { BUNDLE_MEDIA_TYPE, createTestSigstore, TEST_GITHUB, TEST_IDENTITY, TEST_ISSUER, type TestSigstore } from '../helpers/sigstore.js';

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

const bundleReferrer = (bundle: Buffer) => ({ artifactType: BUNDLE_MEDIA_TYPE, layerMediaType: BUNDLE_MEDIA_TYPE, layers: [{ payload: bundle }] });

const POLICY = (host: string, extra = '') => `verify:
  trusted-root: trusted_root.json
  policies:
    - images: ["${host}/**"]
      require: [digest, signature]
      keyless:
        - issuer: ${TEST_ISSUER}
          identity-regexp: ^https://github\\.com/${TEST_GITHUB.repository.replace('/', '/')}/\\.github/workflows/.*$
          github: { repository: ${TEST_GITHUB.repository} }
${extra}`;

withRegistry('keyless verification against a real registry', () => {
  let reg: TestRegistry;
  let proxy: ReferrersProxy;
  let s: TestSigstore;
  let ws: string;
  const pushed: Record<string, PushedManifest> = {};

  beforeAll(async () => {
    reg = await startRegistry();
    proxy = await startReferrersProxy(reg);
    s = createTestSigstore();
    ws = makeTree({ 'trusted_root.json': s.trustedRootJSON, '.container-guard.yml': POLICY(reg.host) });
    for (const name of ['keyless', 'sbomonly', 'otherrepo', 'native', 'legacy', 'legacyother'])
      pushed[name] = await reg.pushImage(`acme/${name}`, '1.0', { seed: name });
    // cosign ≤ 2 keyless: the legacy .sig tag with certificate, chain and Rekor bundle annotations.
    for (const [name, o] of [
      ['legacy', {}],
      ['legacyother', { identity: 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main', github: { repository: 'evil/fork' } }]
    ] as const) {
      const payload = cosignPayload(`${reg.host}/acme/${name}`, pushed[name]!.digest);
      const sig = s.signLegacyKeyless(payload, o);
      await pushCosignSignature(reg, `acme/${name}`, pushed[name]!.digest, [{ payload, signature: sig.signature, annotations: sig.annotations }]);
    }
    await pushReferrersFallback(reg, 'acme/keyless', pushed.keyless!, [bundleReferrer(s.signImage(pushed.keyless!.digest))]);
    await pushReferrersFallback(reg, 'acme/sbomonly', pushed.sbomonly!, [bundleReferrer(s.attestImage(pushed.sbomonly!.digest))]);
    await pushReferrersFallback(reg, 'acme/otherrepo', pushed.otherrepo!, [
      bundleReferrer(
        s.signImage(pushed.otherrepo!.digest, {
          identity: 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main',
          github: { repository: 'evil/fork' }
        })
      )
    ]);
    // Through the proxy: an OCI 1.1 registry lists the referrer from its subject, no tag involved.
    await pushReferrer(proxy, 'acme/native', pushed.native!, bundleReferrer(s.signImage(pushed.native!.digest)));
  });
  afterAll(async () => {
    await proxy?.stop();
    await reg?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  const verifyAt = (host: string, repo: string) =>
    runVerify({ cwd: ws, config: parseConfig(POLICY(host), '.container-guard.yml', []), client: createPinClient([]), images: [`${host}/acme/${repo}:1.0`] });

  test.each<[string, string, boolean, string, RegExp]>([
    ['a cosign keyless signature (bundle) via the referrers tag fallback', 'keyless', true, 'referrers-tag-fallback', /verified|passed|met/i],
    ['only an SBOM attestation: not signed', 'sbomonly', false, 'referrers-tag-fallback', /is an attestation .*not a cosign signature/],
    ['signed by a workflow of another repository', 'otherrepo', false, 'referrers-tag-fallback', /identity/],
    ['a cosign ≤ 2 keyless signature in the legacy .sig tag', 'legacy', true, 'cosign-legacy-tag', /verified|passed|met/i],
    ['a cosign ≤ 2 keyless signature by another repository', 'legacyother', false, 'cosign-legacy-tag', /identity/]
  ])('%s', async (_name, repo, passed, format, reason) => {
    const r = await verifyAt(reg.host, repo);
    const res = r.results[0]!;
    expect(res.passed).toBe(passed);
    expect(res.reason).toMatch(reason);
    expect(res.signatures.map((x) => [x.format, x.kind])).toEqual([[format, format === 'cosign-legacy-tag' ? 'simple-signing' : 'sigstore-bundle']]);
    if (passed) expect(res.signatures[0]!.signer).toBe(`keyless:${TEST_ISSUER} ${TEST_IDENTITY}`);
    else expect(res.signatures[0]!.detail.length).toBeGreaterThan(10);
  });

  test.each<[string, string, boolean, RegExp]>([
    ['issuer-regexp that matches the whole issuer', `${TEST_ISSUER.replace(/[.]/g, '\\.').replace(/^https/, 'https?')}`, true, /verified|passed|met/i],
    ['issuer-regexp matching only part of the issuer (anchored)', 'token', false, /issuer .* does not match/],
    ['issuer-regexp of another issuer', 'https://accounts\\.google\\.com', false, /issuer .* does not match/]
  ])('%s', async (_name, issuerRegexp, passed, reason) => {
    const yaml = POLICY(reg.host).replace(`- issuer: ${TEST_ISSUER}`, `- issuer-regexp: '${issuerRegexp}'`);
    expect(yaml).toContain('issuer-regexp');
    const r = await runVerify({
      cwd: ws,
      config: parseConfig(yaml, '.container-guard.yml', []),
      client: createPinClient([]),
      images: [`${reg.host}/acme/keyless:1.0`]
    });
    expect(r.results[0]!.passed).toBe(passed);
    expect(passed ? r.results[0]!.reason : r.results[0]!.signatures[0]!.detail).toMatch(reason);
  });

  test('a keyless signer with both or neither of issuer and issuer-regexp is a config error', () => {
    const both = POLICY('h.example').replace(`- issuer: ${TEST_ISSUER}`, `- issuer: ${TEST_ISSUER}\n          issuer-regexp: ".*"`);
    expect(() => parseConfig(both, '.container-guard.yml', [])).toThrow(/exactly one of "issuer" or "issuer-regexp"/);
    const neither = POLICY('h.example').replace(`- issuer: ${TEST_ISSUER}\n          identity-regexp`, `- identity-regexp`);
    expect(() => parseConfig(neither, '.container-guard.yml', [])).toThrow(/exactly one of "issuer" or "issuer-regexp"/);
    const bad = POLICY('h.example').replace(`- issuer: ${TEST_ISSUER}`, `- issuer-regexp: "(a"`);
    expect(() => parseConfig(bad, '.container-guard.yml', [])).toThrow(/invalid issuer-regexp/);
  });

  test('native OCI 1.1 referrers API (through the proxy)', async () => {
    const r = await verifyAt(proxy.host, 'native');
    expect(r.results[0]!.passed).toBe(true);
    expect(r.results[0]!.signatures.map((x) => x.format)).toEqual(['referrers']);
    expect(proxy.requests.some((q) => q.status === 200 && /\/v2\/acme\/native\/referrers\/sha256:/.test(q.url))).toBe(true);
  });

  test('CLI: --format json has results and findings; exit 1 on a failed image, 0 when all pass, 2 on a config error', async () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const cwd = process.cwd();
    try {
      process.chdir(ws);
      out.mockClear();
      expect(await main(['verify', '--image', `${reg.host}/acme/keyless:1.0`, '--image', `${reg.host}/acme/sbomonly:1.0`, '--format', 'json'])).toBe(1);
      const json = JSON.parse(out.mock.calls.map((c) => String(c[0])).join('')) as {
        results: { image: string; digest: string; pinned: boolean; signatures: unknown[]; passed: boolean; reason: string }[];
        findings: { ruleId: string }[];
      };
      expect(json.results.map((r) => [r.image, r.digest, r.pinned, r.passed])).toEqual([
        [`${reg.host}/acme/keyless:1.0`, pushed.keyless!.digest, false, true],
        [`${reg.host}/acme/sbomonly:1.0`, pushed.sbomonly!.digest, false, false]
      ]);
      expect(json.findings.map((f) => f.ruleId)).toEqual(['verify/signature']);
      expect(await main(['verify', '--image', `${reg.host}/acme/keyless:1.0`])).toBe(0);
      fs.writeFileSync('bad.yml', 'verify:\n  policies:\n    - images: ["**"]\n      require: [signature]\n');
      err.mockClear();
      expect(await main(['verify', '--image', `${reg.host}/acme/keyless:1.0`, '--config', 'bad.yml'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^container-guard: bad\.yml:3: /);
      err.mockClear();
      expect(await main(['verify'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/nothing to verify/);
    } finally {
      process.chdir(cwd);
      out.mockRestore();
      err.mockRestore();
    }
  });
});

withRegistry('the bundled verify action', () => {
  let reg: TestRegistry;
  let ws: string;
  let digest: string;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    digest = (await reg.pushImage('team/app', '2.0')).digest;
    ws = makeTree({
      Dockerfile: `FROM ${reg.host}/team/app:2.0\nFROM ${reg.host}/team/missing:1.0\n`,
      '.container-guard.yml': 'verify:\n  default:\n    require: [digest]\n'
    });
  });
  afterAll(async () => {
    await reg?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  const run = (inputs: Record<string, string>) => runAction('verify', ws, inputs);

  test('Dockerfile base images with Basic credentials: outputs, findings file, annotations, summary; the password is masked first', () => {
    const r = run({
      dockerfiles: 'Dockerfile',
      'registry-username': BASIC_USER,
      'registry-password': BASIC_PASSWORD,
      'findings-file': 'verify.json',
      'fail-on': 'error'
    });
    expect(r.stdout.split('\n')[0]).toBe(`::add-mask::${BASIC_PASSWORD}`);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verified: '1', failed: '1' });
    expect(JSON.parse(r.outputs.digests!)).toEqual({ [`${reg.host}/team/app:2.0`]: digest });
    expect(r.stdout).toMatch(/::error title=container-guard verify\/(digest|resolve),file=Dockerfile,line=2,/);
    const file = JSON.parse(fs.readFileSync(path.join(ws, 'verify.json'), 'utf8')) as { tool: string; findings: { ruleId: string; line: number }[] };
    expect(file.tool).toBe('verify');
    expect(file.findings.map((f) => f.line)).toEqual([2]);
    expect(r.summary).toMatch(/container-guard verify: 1 of 2 image\(s\) failed/);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
    ).not.toContain(BASIC_PASSWORD);
  });

  test('bad credentials fail the image with a clear reason (not a pass, no stack)', () => {
    const r = run({ images: `${reg.host}/team/app:2.0`, 'registry-username': BASIC_USER, 'registry-password': 'wrong-password', 'fail-on': 'error' });
    expect(r.code).toBe(1);
    expect(r.outputs.failed).toBe('1');
    expect(r.stdout).toMatch(/401|credentials|unauthori[sz]ed/i);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  test('umbrella action dispatches command: verify', () => {
    const output = path.join(ws, '.gh-output2');
    fs.writeFileSync(output, '');
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: output,
      INPUT_COMMAND: 'verify',
      INPUT_IMAGES: `${reg.host}/team/app:2.0`,
      'INPUT_REGISTRY-USERNAME': BASIC_USER,
      'INPUT_REGISTRY-PASSWORD': BASIC_PASSWORD
    };
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'main', 'index.js')], { cwd: ws, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toMatch(/^verified<<\S+\n1\n/m);
  });
});
