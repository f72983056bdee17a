/**
 * `verify` end to end, in-process, against a real registry (Debian's docker-registry on 127.0.0.1):
 * policy from YAML, images from inputs and Dockerfiles, cosign signatures made here exactly as
 * `cosign sign --key` makes them, and every verdict a user can meet — signed, unsigned, wrong key,
 * another digest, tampered payload, tag moved after pinning, missing digest, registry down.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from '../../src/core/config/load.js';
import type { Config } from '../../src/core/config/types.js';
import { formatVerifyText, toVerifyJson } from '../../src/core/verify/results.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { runVerify, type VerifyRunOptions } from '../../src/io/verify-run.js';
import { makeTree } from '../helpers/fixtures.js';
import { cosignPayload, freePort, pushCosignSignature, requireRegistry, startRegistry, type PushedManifest, type TestRegistry } from '../helpers/registry.js';

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

const newKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;
const sign = (payload: Buffer, key: crypto.KeyObject) => crypto.sign('sha256', payload, { key, dsaEncoding: 'der' }).toString('base64');

withRegistry('verify against a real registry', () => {
  let reg: TestRegistry;
  let ws: string;
  const trusted = newKey();
  const stranger = newKey();
  const pushed: Record<string, PushedManifest> = {};

  const config = (yaml: string): Config => parseConfig(yaml, '.container-guard.yml', []);
  const verify = (cfg: Config, extra: Partial<VerifyRunOptions>) => runVerify({ cwd: ws, config: cfg, client: createPinClient([]), ...extra });
  const signedPolicy = `verify:\n  policies:\n    - images: ["${'127.0.0.1:*'}/**"]\n      require: [digest, signature]\n      keys: [keys/cosign.pub]\n`;

  beforeAll(async () => {
    reg = await startRegistry();
    ws = makeTree({ 'keys/cosign.pub': pem(trusted.publicKey), 'keys/stranger.pub': pem(stranger.publicKey) });
    for (const name of ['signed', 'unsigned', 'wrongkey', 'otherdigest', 'tampered', 'moved'])
      pushed[name] = await reg.pushImage(`acme/${name}`, '1.0', { seed: name });
    const sig = (name: string, payloadDigest: string, key: crypto.KeyObject, tamper = false) => {
      const payload = cosignPayload(`${reg.host}/acme/${name}`, payloadDigest);
      const signature = sign(payload, key.type === 'private' ? key : trusted.privateKey);
      return pushCosignSignature(reg, `acme/${name}`, pushed[name]!.digest, [
        { payload: tamper ? Buffer.from(payload.toString().replace('"optional":null', '"optional":{}')) : payload, signature }
      ]);
    };
    await sig('signed', pushed.signed!.digest, trusted.privateKey);
    await sig('wrongkey', pushed.wrongkey!.digest, stranger.privateKey);
    await sig('otherdigest', pushed.signed!.digest, trusted.privateKey);
    await sig('tampered', pushed.tampered!.digest, trusted.privateKey, true);
    // Pinned at 1.0's digest, then 1.0 is pushed again with other content: the tag moved.
    pushed.movedNew = await reg.pushImage('acme/moved', '1.0', { seed: 'rebuilt' });
  });
  afterAll(async () => {
    await reg?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  test.each<[string, string, boolean, RegExp]>([
    ['signed with the trusted key', 'signed', true, /^all requirements met|passed|verified/i],
    ['no signature at all', 'unsigned', false, /no (cosign )?signature/i],
    ['signed with another key', 'wrongkey', false, /bad-signature|does not verify/],
    ['a signature for another digest', 'otherdigest', false, /is for sha256:/],
    ['tampered payload', 'tampered', false, /does not verify/]
  ])('%s', async (_name, repo, passed, reason) => {
    const r = await verify(config(signedPolicy), { images: [`${reg.host}/acme/${repo}:1.0`] });
    expect(r.results).toHaveLength(1);
    const res = r.results[0]!;
    expect(res.digest).toBe(pushed[repo]!.digest);
    expect(res.passed).toBe(passed);
    expect(res.reason).toMatch(reason);
    if (passed) {
      expect(r.findings).toEqual([]);
      expect(res.signatures.filter((s) => s.ok).map((s) => [s.format, s.kind, s.signer])).toEqual([
        ['cosign-legacy-tag', 'simple-signing', 'key:keys/cosign.pub']
      ]);
    } else {
      expect(r.findings.map((f) => [f.ruleId, f.tool, f.severity])).toEqual([['verify/signature', 'verify', 'error']]);
      expect(r.findings[0]!.message).toContain(`${reg.host}/acme/${repo}:1.0`);
    }
  });

  test('a pinned tag that moved is drift; the finding names both digests', async () => {
    const ref = `${reg.host}/acme/moved:1.0@${pushed.moved!.digest}`;
    const r = await verify(config('verify:\n  default:\n    require: [digest]\n'), { images: [ref] });
    expect(r.results[0]!.passed).toBe(false);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['verify/digest']);
    expect(r.findings[0]!.message).toContain(pushed.moved!.digest);
    expect(r.findings[0]!.message).toContain(pushed.movedNew!.digest);
  });

  test('a digest the registry does not have fails; default policy passes an unsigned image that resolves', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const r = await verify(config(''), { images: [`${reg.host}/acme/unsigned@${missing}`, `${reg.host}/acme/unsigned:1.0`] });
    expect(r.results.map((x) => [x.image, x.passed, x.policy])).toEqual([
      [`${reg.host}/acme/unsigned@${missing}`, false, 'default'],
      [`${reg.host}/acme/unsigned:1.0`, true, 'default']
    ]);
    expect(r.digests).toEqual({ [`${reg.host}/acme/unsigned:1.0`]: pushed.unsigned!.digest });
  });

  test('a registry that is down fails the image with a clear reason, never a pass', async () => {
    const port = await freePort();
    const r = await verify(config(''), { images: [`127.0.0.1:${port}/acme/app:1.0`] });
    expect(r.results[0]!.passed).toBe(false);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['verify/resolve']);
    expect(r.findings[0]!.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(r.findings[0]!.message).not.toMatch(/\n\s+at /);
  });

  test('first matching policy wins; unmatched images get the default', async () => {
    const yaml = `verify:\n  default:\n    require: [digest, pinned]\n  policies:\n    - images: ["${reg.host}/acme/signed"]\n      require: [digest]\n    - images: ["${reg.host}/acme/**"]\n      require: [digest, signature]\n      keys: [keys/cosign.pub]\n`;
    const r = await verify(config(yaml), { images: [`${reg.host}/acme/signed:1.0`, `${reg.host}/acme/unsigned:1.0`, `${reg.host}/other/x:1`] });
    expect(r.results.map((x) => [x.policy, x.passed])).toEqual([
      ['policies[0]', true],
      ['policies[1]', false],
      ['default', false]
    ]);
  });

  test('images from Dockerfiles: findings at the FROM line of every file that uses the reference; unresolvable ARGs are skipped at their line', async () => {
    const tree = {
      'a/Dockerfile': `ARG BASE=${reg.host}/acme/unsigned:1.0\nFROM \${BASE} AS build\nFROM build\n`,
      'b/Dockerfile': `FROM ${reg.host}/acme/signed:1.0\nCOPY --from=${reg.host}/acme/unsigned:1.0 /x /x\n`,
      'c/Dockerfile': 'ARG NOPE\nFROM ${NOPE}\n'
    };
    for (const [f, text] of Object.entries(tree)) {
      fs.mkdirSync(path.join(ws, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(ws, f), text);
    }
    const r = await verify(config(signedPolicy), { dockerfiles: ['a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile'] });
    expect(r.results.map((x) => [x.image.replace(reg.host, 'REG'), x.passed])).toEqual([
      ['REG/acme/unsigned:1.0', false],
      ['REG/acme/signed:1.0', true]
    ]);
    expect(r.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['verify/signature', 'a/Dockerfile', 2],
      ['verify/signature', 'b/Dockerfile', 2],
      ['verify/skipped', 'c/Dockerfile', 2]
    ]);
    const text = formatVerifyText(r.results, r.skipped);
    expect(text).toMatch(/2 image\(s\) checked: 1 verified, 1 failed, 1 skipped/);
    const json = toVerifyJson(r.results, r.findings);
    expect(Object.keys(json.results[0]!)).toEqual(expect.arrayContaining(['image', 'digest', 'pinned', 'signatures', 'passed', 'reason']));
  });

  test('multi-arch: sign-scope decides which digests must carry the signature', async () => {
    const index = await reg.pushIndex('acme/multi', '1.0');
    const signDigest = async (digest: string) => {
      const payload = cosignPayload(`${reg.host}/acme/multi`, digest);
      await pushCosignSignature(reg, 'acme/multi', digest, [{ payload, signature: sign(payload, trusted.privateKey) }]);
    };
    await signDigest(index.digest); // what `cosign sign` signs by default: the index
    const scoped = (scope: string) => config(signedPolicy + `      sign-scope: ${scope}\n`);
    const ref = [`${reg.host}/acme/multi:1.0`];
    expect((await verify(scoped('index'), { images: ref })).results[0]!.passed).toBe(true);
    const platforms = await verify(scoped('platforms'), { images: ref });
    expect(platforms.results[0]!.passed).toBe(false);
    expect(platforms.results[0]!.platforms!.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(platforms.results[0]!.reason).toContain(index.platforms[0]!.digest);
    for (const p of index.platforms) await signDigest(p.digest);
    expect((await verify(scoped('all'), { images: ref })).results[0]!.passed).toBe(true);
  });

  test('a registry without the referrers API is asked once per run, not once per image', async () => {
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const images = ['signed', 'wrongkey', 'tampered'].map((n) => `${reg.host}/acme/${n}:1.0`);
    const r = await runVerify({ cwd: ws, config: config(signedPolicy), client: createPinClient([], { fetch: counting }), images });
    expect(r.results).toHaveLength(3);
    expect(urls.filter((u) => u.includes('/referrers/'))).toHaveLength(1);
    // …and the tag fallback is still looked at for each image: through the repository's tag list (one
    // request for the repository), then by tag for the images that have one.
    expect(urls.filter((u) => /\/acme\/[a-z]+\/tags\/list/.test(u))).toHaveLength(3);
    expect(urls.filter((u) => /\/manifests\/sha256-[0-9a-f]{64}$/.test(u)).length).toBeLessThanOrEqual(3);
  });

  test('a missing key file is a config error at the line that names it, before any request', async () => {
    const yaml = `verify:\n  policies:\n    - images: ["**"]\n      require: [signature]\n      keys:\n        - keys/missing.pub\n`;
    await expect(verify(config(yaml), { images: [`${reg.host}/acme/signed:1.0`] })).rejects.toThrow(ConfigError);
    await expect(verify(config(yaml), { images: [`${reg.host}/acme/signed:1.0`] })).rejects.toThrow(
      /\.container-guard\.yml:6: cannot read key file keys\/missing\.pub: ENOENT/
    );
  });
});
