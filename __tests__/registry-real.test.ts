/**
 * The registry client and signature discovery against real parts: images built by `umoci` and pushed by
 * `skopeo copy` into Debian's docker-registry (distribution 2.8) on 127.0.0.1, and signatures, bundles
 * and referrers pushed with the project's own test client. Distribution 2.8 has no referrers API, so the
 * tag fallback is exercised for real; the native referrers API, Bearer auth in front of it and injected
 * faults (5xx, huge and malformed bodies) come from a small proxy in front of that same registry
 * (helpers/referrers-proxy.ts). No network beyond loopback; one registry for the whole file.
 * In CI a missing tool fails the suite (scripts/install-test-deps.sh installs them); locally it skips.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseImageRef, type ImageRef } from '../src/core/image-ref.js';
import { COSIGN_SIG_ARTIFACT_TYPE, SIGSTORE_BUNDLE_MEDIA_TYPE, verifyImageSignatures } from '../src/core/verify/cosign.js';
import { createRegistryClient, RegistryError, type RegistryClientOptions } from '../src/io/registry/client.js';
import { discoverSignatures } from '../src/io/registry/signatures.js';
import { ConfigError, parseConfig } from '../src/core/config/load.js';
import { UsageError } from '../src/io/lint-run.js';
import { runVerify } from '../src/io/verify-run.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { RUNTIMES } from './helpers/node-runtimes.js';
import { createLayout, requireTools, skopeoDigest, skopeoRaw, type BuiltImage, type OciLayout } from './helpers/oci-images.js';
import { startReferrersProxy, type ReferrersProxy } from './helpers/referrers-proxy.js';
import {
  cosignPayload,
  freePort,
  pushCosignSignature,
  pushReferrer,
  pushReferrersFallback,
  requireRegistry,
  startConnectProxy,
  startRegistry,
  type ConnectProxy,
  type TestRegistry
} from './helpers/registry.js';

const available = requireRegistry() && requireTools();
const withTools = available ? describe : describe.skip;

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const USER = 'proxy-user';
const PASSWORD = 'proxy-Pa55word-for-tests';
const KEY = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_PEM = KEY.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const sign = (payload: Buffer) => crypto.sign('sha256', payload, KEY.privateKey).toString('base64');

function ref(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r) throw new Error(`bad test reference ${text}`);
  return r;
}

async function rejection(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return e as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

/** fetch that records method, path and status of every request. */
function recordingFetch() {
  const calls: { method: string; path: string; status: number }[] = [];
  const f: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const u = new URL(String(input));
    calls.push({ method: init?.method ?? 'GET', path: u.pathname + u.search, status: res.status });
    return res;
  };
  return { calls, fetch: f };
}

/** No real waiting: the waits are recorded. */
function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

withTools('real images (umoci → skopeo → docker-registry), referrers proxy, faults', () => {
  let reg: TestRegistry;
  let layout: OciLayout;
  let proxy: ReferrersProxy;
  let bearer: ReferrersProxy;
  let unfiltered: ReferrersProxy;
  const client = (extra: RegistryClientOptions = {}) => createRegistryClient({ insecure: true, ...extra });
  const asUser = { username: USER, password: PASSWORD };

  beforeAll(async () => {
    [reg, layout] = await Promise.all([startRegistry(), createLayout()]);
    [proxy, bearer, unfiltered] = await Promise.all([
      startReferrersProxy(reg),
      startReferrersProxy(reg, { bearer: { username: USER, password: PASSWORD } }),
      startReferrersProxy(reg, { filtering: false })
    ]);
  });
  afterAll(async () => {
    await Promise.all([proxy?.stop(), bearer?.stop(), unfiltered?.stop()]);
    await reg?.stop();
    layout?.remove();
  });

  describe('images built by umoci, pushed by skopeo', () => {
    test('tag → digest: what skopeo reports, the sha256 of the raw manifest, the layout digest', async () => {
      const img = await layout.image('plain', { seed: 'plain' });
      await layout.push('plain', { host: reg.host, repo: 'real/app', tag: 'v1' });
      const r = await client().resolve(ref(`${reg.host}/real/app:v1`));
      expect(r.found).toBe(true);
      if (!r.found) return;
      const raw = await skopeoRaw(reg.host, 'real/app:v1');
      expect(r.digest).toBe(img.digest);
      expect(r.digest).toBe(await skopeoDigest(reg.host, 'real/app:v1'));
      expect(r.digest).toBe(sha256(raw));
      expect(raw.equals(img.bytes)).toBe(true);
      expect(r.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
      const manifest = r.manifest as { config: { digest: string }; layers: { mediaType: string }[] };
      expect(manifest.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+gzip']);
      // the config blob is umoci's, checked against its digest on the way in
      const config = JSON.parse(Buffer.from(await client().fetchBlob(ref(`${reg.host}/real/app:v1`), manifest.config.digest)).toString()) as {
        os: string;
        architecture: string;
        config: { Labels: Record<string, string> };
      };
      expect([config.os, config.architecture, config.config.Labels.seed]).toEqual(['linux', 'amd64', 'plain']);
      // pinned by that digest, the tag matches
      expect(await client().resolve(ref(`${reg.host}/real/app:v1@${img.digest}`))).toMatchObject({ found: true, tag: { drift: false } });
    });

    test('multi-arch: an OCI index copied with skopeo --all lists each platform, each resolves', async () => {
      const amd = await layout.image('multi-amd64', { platform: 'linux/amd64', seed: 'multi' });
      const arm = await layout.image('multi-arm64', { platform: 'linux/arm64/v8', seed: 'multi' });
      const idx = await layout.index('multi', [amd, arm]);
      await layout.push('multi', { host: reg.host, repo: 'real/multi', tag: 'v1', all: true });
      const c = client();
      const r = await c.resolve(ref(`${reg.host}/real/multi:v1`));
      expect(r).toMatchObject({ found: true, digest: idx.digest, mediaType: 'application/vnd.oci.image.index.v1+json' });
      expect(r.digest).toBe(await skopeoDigest(reg.host, 'real/multi:v1'));
      if (!r.found) return;
      expect(r.platforms).toEqual([
        { platform: 'linux/amd64', digest: amd.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
        { platform: 'linux/arm64/v8', digest: arm.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' }
      ]);
      for (const p of r.platforms ?? []) {
        const one = await c.resolve(ref(`${reg.host}/real/multi@${p.digest}`));
        expect(one).toMatchObject({ found: true, digest: p.digest });
        const cfg = (one.found ? one.manifest : {}) as { config: { digest: string } };
        const config = JSON.parse(Buffer.from(await c.fetchBlob(ref(`${reg.host}/real/multi`), cfg.config.digest)).toString()) as { architecture: string };
        expect(config.architecture).toBe(p.platform.split('/')[1]);
      }
    });

    test('tag moved after pinning: the pinned digest still pulls, the drift is reported', async () => {
      const first = await layout.image('drift-a', { seed: 'a' });
      const second = await layout.image('drift-b', { seed: 'b' });
      expect(second.digest).not.toBe(first.digest);
      await layout.push('drift-a', { host: reg.host, repo: 'real/drift', tag: 'stable' });
      const pinned = ref(`${reg.host}/real/drift:stable@${first.digest}`);
      expect(await client().resolve(pinned)).toMatchObject({ found: true, digest: first.digest, tag: { tag: 'stable', digest: first.digest, drift: false } });

      await layout.push('drift-b', { host: reg.host, repo: 'real/drift', tag: 'stable' });
      expect(await skopeoDigest(reg.host, 'real/drift:stable')).toBe(second.digest);
      const after = await client().resolve(pinned);
      expect(after).toMatchObject({ found: true, digest: first.digest, tag: { tag: 'stable', digest: second.digest, drift: true } });
      expect((await client().resolve(ref(`${reg.host}/real/drift:stable`))).digest).toBe(second.digest);
    });
  });

  describe('referrers', () => {
    /** A umoci image pushed by skopeo to `repo:v1` on `host` (through a proxy when it is one). */
    async function subject(repo: string, host: string, creds?: { username: string; password: string }): Promise<BuiltImage> {
      const img = await layout.image(repo.replace(/\W/g, '-'), { seed: repo });
      await layout.push(img.tag, { host, repo, tag: 'v1', creds });
      return img;
    }
    const referrerSet = (img: BuiltImage, host: string) => {
      const payload = cosignPayload(`${host}/x`, img.digest);
      return [
        { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload) }] },
        {
          artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
          layers: [{ payload: Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}') }],
          layerMediaType: SIGSTORE_BUNDLE_MEDIA_TYPE
        },
        { artifactType: 'application/spdx+json', layers: [{ payload: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }] }
      ];
    };

    test('native API (proxy): referrers pushed through it are listed, filtered, and discovered as `referrers`', async () => {
      const img = await subject('ref/native', proxy.host); // skopeo through the proxy
      const pushed = [];
      for (const r of referrerSet(img, proxy.host)) pushed.push(await pushReferrer(proxy, 'ref/native', img, r));
      expect(proxy.referrersOf('ref/native', img.digest).map((d) => d.digest)).toEqual(pushed.map((p) => p.digest));

      const rec = recordingFetch();
      const c = client({ fetch: rec.fetch });
      const all = await c.referrers(ref(`${proxy.host}/ref/native:v1`), img.digest);
      expect(all).toMatchObject({ supported: true, filtersApplied: [] });
      const entries = (all.supported ? all.index : {}) as { mediaType: string; manifests: Record<string, unknown>[] };
      expect(entries.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(entries.manifests.map((m) => [m.digest, m.artifactType, m.size, m.mediaType])).toEqual(
        pushed.map((p, i) => [p.digest, referrerSet(img, proxy.host)[i]!.artifactType, p.bytes.length, 'application/vnd.oci.image.manifest.v1+json'])
      );

      const sigs = await c.referrers(ref(`${proxy.host}/ref/native`), img.digest, COSIGN_SIG_ARTIFACT_TYPE);
      expect(sigs).toEqual({
        supported: true,
        filtersApplied: ['artifactType'],
        index: expect.objectContaining({ manifests: [expect.objectContaining({ digest: pushed[0]!.digest })] })
      });
      expect(rec.calls.map((x) => [x.path, x.status])).toEqual([
        [`/v2/ref/native/referrers/${img.digest}`, 200],
        [`/v2/ref/native/referrers/${img.digest}?artifactType=${encodeURIComponent(COSIGN_SIG_ARTIFACT_TYPE)}`, 200]
      ]);

      const found = await discoverSignatures(client(), ref(`${proxy.host}/ref/native:v1`), img.digest);
      expect(found.map((s) => [s.format, s.kind, s.manifestDigest])).toEqual([
        ['referrers', 'simple-signing', pushed[0]!.digest],
        ['referrers', 'sigstore-bundle', pushed[1]!.digest]
      ]);
      expect(verifyImageSignatures(found, { publicKeyPem: PUBLIC_PEM, digest: img.digest })).toMatchObject({ ok: true, reason: 'verified' });

      // the same repository straight from distribution 2.8: no referrers API and no fallback index
      const direct = recordingFetch();
      expect(await discoverSignatures(client({ fetch: direct.fetch }), ref(`${reg.host}/ref/native:v1`), img.digest)).toEqual([]);
      expect(direct.calls.find((x) => x.path.includes('/referrers/'))?.status).toBe(404);
    });

    test('the PUT of a referrer through the proxy answers OCI-Subject', async () => {
      const img = await subject('ref/subject', reg.host);
      const payload = cosignPayload(`${reg.host}/ref/subject`, img.digest);
      const r = await pushReferrer(proxy, 'ref/subject', img, { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload) }] });
      // the same bytes again, this time looking at the answer
      const res = await fetch(`${proxy.url}/v2/ref/subject/manifests/${r.digest}`, {
        method: 'PUT',
        headers: { 'content-type': r.mediaType },
        body: r.bytes
      });
      await res.arrayBuffer();
      expect(res.status).toBe(201);
      expect(res.headers.get('oci-subject')).toBe(img.digest);
      expect(proxy.referrersOf('ref/subject', img.digest)).toHaveLength(1);
    });

    test('a registry that ignores ?artifactType=: the client filters', async () => {
      const img = await subject('ref/unfiltered', reg.host);
      for (const r of referrerSet(img, unfiltered.host)) await pushReferrer(unfiltered, 'ref/unfiltered', img, r);
      const answer = await client().referrers(ref(`${unfiltered.host}/ref/unfiltered`), img.digest, SIGSTORE_BUNDLE_MEDIA_TYPE);
      expect(answer).toMatchObject({ supported: true, filtersApplied: [] });
      const index = (answer.supported ? answer.index : {}) as { manifests: { artifactType: string }[] };
      expect(index.manifests.map((m) => m.artifactType)).toEqual([SIGSTORE_BUNDLE_MEDIA_TYPE]);
      expect(unfiltered.requests.some((x) => x.url.includes('artifactType='))).toBe(true);
    });

    test('distribution 2.8 directly: the API is a 404, so the sha256-<hex> fallback index is read', async () => {
      const img = await subject('ref/fallback', reg.host);
      const fallback = await pushReferrersFallback(reg, 'ref/fallback', img, referrerSet(img, reg.host));
      const rec = recordingFetch();
      const c = client({ fetch: rec.fetch });
      expect(await c.referrers(ref(`${reg.host}/ref/fallback`), img.digest)).toEqual({ supported: false });
      const found = await discoverSignatures(c, ref(`${reg.host}/ref/fallback:v1`), img.digest);
      expect(found.map((s) => [s.format, s.manifestDigest])).toEqual([
        ['referrers-tag-fallback', fallback.referrers[0]!.digest],
        ['referrers-tag-fallback', fallback.referrers[1]!.digest]
      ]);
      // the referrers answer is remembered per client: one GET, a 404
      expect(rec.calls.filter((x) => x.path.includes('/referrers/')).map((x) => x.status)).toEqual([404]);
      expect(rec.calls.some((x) => x.path === `/v2/ref/fallback/manifests/${img.digest.replace(':', '-')}` && x.status === 200)).toBe(true);
      expect(verifyImageSignatures(found, { publicKeyPem: PUBLIC_PEM, digest: img.digest }).ok).toBe(true);
    });
  });

  describe('cosign 3 referrers, registries without the API, pagination', () => {
    const EMPTY = 'application/vnd.oci.empty.v1+json';
    async function subject(repo: string): Promise<BuiltImage> {
      const img = await layout.image(repo.replace(/\W/g, '-'), { seed: repo });
      await layout.push(img.tag, { host: reg.host, repo, tag: 'v1' });
      return img;
    }
    const bundleLayer = { payload: Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","note":"cosign 3"}') };
    const sigLayer = (img: BuiltImage) => {
      const payload = cosignPayload(`${reg.host}/x`, img.digest);
      return { payload, signature: sign(payload) };
    };

    test('tag-scheme index written by cosign 3.0.x: entries typed as the empty descriptor, or untyped, are judged by their manifest', async () => {
      const img = await subject('c3/fallback');
      const other = await subject('c3/other');
      const fallback = await pushReferrersFallback(reg, 'c3/fallback', img, [
        // cosign 3.0.x: the bundle referrer, listed with artifactType application/vnd.oci.empty.v1+json
        { artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE, layers: [bundleLayer], layerMediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, entryArtifactType: EMPTY },
        // an entry without artifactType: a cosign signature artifact
        { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [sigLayer(img)], entryArtifactType: null },
        // listed as empty, but the manifest is an SBOM: fetched, then left out
        { artifactType: 'application/spdx+json', layers: [{ payload: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }], entryArtifactType: EMPTY },
        // listed here, but its subject is another image: left out
        {
          artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
          layers: [bundleLayer],
          layerMediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
          subjectDigest: other.digest,
          entryArtifactType: EMPTY
        },
        // listed as an SBOM: not even fetched
        { artifactType: 'application/spdx+json', layers: [{ payload: Buffer.from('{"spdxVersion":"SPDX-2.3","n":2}') }] }
      ]);
      const rec = recordingFetch();
      const found = await discoverSignatures(client({ fetch: rec.fetch }), ref(`${reg.host}/c3/fallback:v1`), img.digest);
      expect(found.map((s) => [s.format, s.kind, s.manifestDigest, s.artifactType])).toEqual([
        ['referrers-tag-fallback', 'sigstore-bundle', fallback.referrers[0]!.digest, SIGSTORE_BUNDLE_MEDIA_TYPE],
        ['referrers-tag-fallback', 'simple-signing', fallback.referrers[1]!.digest, COSIGN_SIG_ARTIFACT_TYPE]
      ]);
      expect(Buffer.from(found[0]!.payload).equals(bundleLayer.payload)).toBe(true);
      expect(verifyImageSignatures(found, { publicKeyPem: PUBLIC_PEM, digest: img.digest })).toMatchObject({ ok: true, reason: 'verified' });
      const fetched = rec.calls.filter((x) => x.path.startsWith('/v2/c3/fallback/manifests/sha256:')).map((x) => x.path.split('/').pop());
      expect(fetched).toEqual(expect.arrayContaining(fallback.referrers.slice(0, 4).map((r) => r.digest)));
      expect(fetched).not.toContain(fallback.referrers[4]!.digest);
    });

    test.each([400, 404, 405])('a referrers API answering %i is "no API": the tag scheme and a valid legacy .sig are still found', async (status) => {
      const repo = `c3/noapi${status}`;
      const img = await subject(repo);
      await pushCosignSignature(reg, repo, img.digest, [sigLayer(img)]);
      const fallback = await pushReferrersFallback(reg, repo, img, [
        { artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE, layers: [bundleLayer], layerMediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, entryArtifactType: EMPTY }
      ]);
      proxy.fault({ path: new RegExp(`^/v2/${repo}/referrers/`), status, body: '{"errors":[{"code":"UNSUPPORTED"}]}' });
      const c = client();
      expect(await c.referrers(ref(`${proxy.host}/${repo}`), img.digest)).toEqual({ supported: false });
      const found = await discoverSignatures(c, ref(`${proxy.host}/${repo}:v1`), img.digest);
      expect(found.map((s) => [s.format, s.kind])).toEqual([
        ['referrers-tag-fallback', 'sigstore-bundle'],
        ['cosign-legacy-tag', 'simple-signing']
      ]);
      expect(found[0]!.manifestDigest).toBe(fallback.referrers[0]!.digest);
      expect(verifyImageSignatures(found, { publicKeyPem: PUBLIC_PEM, digest: img.digest }).ok).toBe(true);
      expect(proxy.requests.filter((x) => x.url.startsWith(`/v2/${repo}/referrers/`)).map((x) => x.status)).toEqual([status]);
    });

    test('the repository tag list (once per repository) spares a 404 per image; without a usable list, each tag is asked for', async () => {
      const repo = 'c3/taglist';
      const imgs = [await subject(repo)];
      for (const seed of ['b', 'c']) {
        const img = await layout.image(`taglist-${seed}`, { seed: `taglist ${seed}` });
        await layout.push(img.tag, { host: reg.host, repo, tag: seed });
        imgs.push(img);
      }
      for (const img of imgs) await pushCosignSignature(reg, repo, img.digest, [sigLayer(img)]);
      const rec = recordingFetch();
      const c = client({ fetch: rec.fetch });
      for (const img of imgs) expect((await discoverSignatures(c, ref(`${reg.host}/${repo}`), img.digest)).map((s) => s.format)).toEqual(['cosign-legacy-tag']);
      expect(rec.calls.filter((x) => x.path.startsWith(`/v2/${repo}/tags/list`)).map((x) => x.status)).toEqual([200]);
      expect(rec.calls.filter((x) => x.status === 404 && x.path.includes('/manifests/'))).toEqual([]);

      // a registry whose tag list fails: discovery asks for each tag, as before, and still finds the signatures
      proxy.fault({ path: new RegExp(`^/v2/${repo}/tags/list$`), status: 500, times: 10 });
      const viaProxy = recordingFetch();
      const p = client({ fetch: viaProxy.fetch, maxRetries: 0 });
      const found = await discoverSignatures(p, ref(`${proxy.host}/${repo}`), imgs[0]!.digest);
      expect(found.map((s) => s.format)).toEqual(['cosign-legacy-tag']);
      expect(viaProxy.calls.filter((x) => x.path.startsWith(`/v2/${repo}/tags/list`)).map((x) => x.status)).toEqual([500]);
      expect(viaProxy.calls.filter((x) => x.path === `/v2/${repo}/manifests/${imgs[0]!.digest.replace(':', '-')}.sig`).map((x) => x.status)).toEqual([200]);
      proxy.clearFaults();
    });

    test('Link: rel="next" pages are followed (same host only, bounded)', async () => {
      const paged = await startReferrersProxy(reg, { pageSize: 2 });
      try {
        const img = await subject('c3/paged');
        const pushed = [];
        for (let i = 0; i < 5; i++) {
          const kind = i % 2 === 0 ? COSIGN_SIG_ARTIFACT_TYPE : 'application/spdx+json';
          const layers = i % 2 === 0 ? [sigLayer(img)] : [{ payload: Buffer.from(`{"spdxVersion":"SPDX-2.3","n":${i}}`) }];
          pushed.push(await pushReferrer(paged, 'c3/paged', img, { artifactType: kind, layers }));
        }
        const rec = recordingFetch();
        const c = client({ fetch: rec.fetch });
        const answer = await c.referrers(ref(`${paged.host}/c3/paged`), img.digest);
        const listed = (answer.supported ? answer.index : {}) as { manifests: { digest: string }[] };
        expect(listed.manifests.map((m) => m.digest)).toEqual(pushed.map((p) => p.digest));
        expect(rec.calls.filter((x) => x.path.includes('/referrers/')).map((x) => x.path.replace(/sha256(:|%3A)[a-f0-9]+/g, 'D'))).toEqual([
          '/v2/c3/paged/referrers/D',
          '/v2/c3/paged/referrers/D?n=2&last=D',
          '/v2/c3/paged/referrers/D?n=2&last=D'
        ]);
        const found = await discoverSignatures(client(), ref(`${paged.host}/c3/paged:v1`), img.digest);
        expect(found.map((s) => s.manifestDigest)).toEqual([pushed[0]!.digest, pushed[2]!.digest, pushed[4]!.digest]);

        // a next page on another host is refused
        const page = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
        paged.fault({ path: /^\/v2\/c3\/paged\/referrers\//, body: page, headers: { link: '<http://127.0.0.2:9/v2/c3/paged/referrers/x>; rel="next"' } });
        const e = await rejection(client().referrers(ref(`${paged.host}/c3/paged`), img.digest));
        expect(e.detail).toBe('referrers: refusing a next page on another host (127.0.0.2:9)');
        // a registry that links page after page: bounded
        const self = `</v2/c3/paged/referrers/${img.digest}?n=1>; rel="next"`;
        paged.fault({ path: /^\/v2\/c3\/paged\/referrers\//, body: page, headers: { link: self }, times: 100 });
        const endless = await rejection(client().referrers(ref(`${paged.host}/c3/paged`), img.digest));
        expect(endless.detail).toBe('referrers: more than 16 pages of referrers');
        paged.clearFaults();
      } finally {
        await paged.stop();
      }
    });
  });

  describe('signatures stored in another repository (cosign COSIGN_REPOSITORY)', () => {
    let ws: string;
    let img: BuiltImage;
    beforeAll(async () => {
      ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-sigrepo-'));
      fs.writeFileSync(path.join(ws, 'cosign.pub'), PUBLIC_PEM);
      img = await layout.image('sigrepo', { seed: 'sigrepo' });
      await layout.push('sigrepo', { host: reg.host, repo: 'apps/api', tag: 'v1' });
      // the signature lives in signatures/store only, as `COSIGN_REPOSITORY=<reg>/signatures/store cosign sign` puts it
      const payload = cosignPayload(`${reg.host}/apps/api`, img.digest);
      await pushCosignSignature(reg, 'signatures/store', img.digest, [{ payload, signature: sign(payload) }]);
    });
    afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));
    const policy = (extra = '') =>
      parseConfig(
        `verify:\n  policies:\n    - images: ["127.0.0.1:*/**"]\n      require: [digest, signature]\n      keys: [cosign.pub]\n${extra}`,
        '.container-guard.yml',
        []
      );
    const run = (extra = '', signaturesRepository?: string) =>
      runVerify({
        cwd: ws,
        config: policy(extra),
        client: client(),
        images: [`${reg.host}/apps/api:v1`],
        ...(signaturesRepository ? { signaturesRepository } : {})
      });

    test('without it, the image has no signature next to it: fails', async () => {
      const r = await run();
      expect(r.results[0]).toMatchObject({ passed: false });
    });

    test('the policy key signatures-repository: discovery looks there and the signature verifies', async () => {
      const r = await run(`      signatures-repository: ${reg.host}/signatures/store\n`);
      expect(r.results[0]).toMatchObject({ passed: true, digest: img.digest });
      expect(r.results[0]!.signatures.filter((s) => s.ok)).toHaveLength(1);
    });

    test('COSIGN_REPOSITORY (the CLI passes it as signaturesRepository) applies to policies without the key; the key wins', async () => {
      expect((await run('', `${reg.host}/signatures/store`)).results[0]).toMatchObject({ passed: true });
      expect((await run(`      signatures-repository: ${reg.host}/signatures/empty\n`, `${reg.host}/signatures/store`)).results[0]).toMatchObject({
        passed: false
      });
    });

    test('a value that is not registry/repository: a ConfigError at the policy / a UsageError for the variable, before any request', async () => {
      await expect(run(`      signatures-repository: ${reg.host}/signatures/store:v1\n`)).rejects.toThrow(ConfigError);
      await expect(run(`      signatures-repository: ${reg.host}/signatures/store:v1\n`)).rejects.toThrow(/signatures-repository: ".*" is not a repository/);
      await expect(run('', 'Not A Repo')).rejects.toThrow(UsageError);
      expect(() => policy('      signatures-repository: "a b"\n')).toThrow(ConfigError);
    });
  });

  describe.each(RUNTIMES)(
    'the bundled CLI (dist/cli/index.js) on %s: Docker config by default, credential helper, proxy, cosign 3 referrer',
    (_label, node) => {
      const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
      let home: string;
      let connect: ConnectProxy;
      let signed: BuiltImage;
      const tag = node.replace(/\W/g, '').slice(-12);
      beforeAll(async () => {
        if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run bundle`);
        connect = await startConnectProxy();
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-home-'));
        // what `docker login` leaves with a credential store: the secret is in the helper, not the file
        fs.mkdirSync(path.join(home, '.docker'));
        fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [bearer.host]: {} }, credsStore: 'cgtest' }));
        fs.mkdirSync(path.join(home, 'bin'));
        const helper = path.join(home, 'bin', 'docker-credential-cgtest');
        fs.writeFileSync(
          helper,
          `#!/bin/sh\nread -r server\necho "$server" >> ${JSON.stringify(path.join(home, 'asked.log'))}\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"\n`
        );
        fs.chmodSync(helper, 0o755);
        fs.writeFileSync(path.join(home, 'cosign.pub'), PUBLIC_PEM);
        fs.writeFileSync(
          path.join(home, '.container-guard.yml'),
          'verify:\n  policies:\n    - images: ["127.0.0.1:*/**"]\n      require: [digest, signature]\n      keys: [cosign.pub]\n'
        );
        signed = await layout.image(`cli-${tag}`, { seed: `cli signed ${node}` });
        await layout.push(signed.tag, { host: bearer.host, repo: 'cli/signed', tag: 'v1', creds: asUser });
        const unsigned = await layout.image(`cli-u-${tag}`, { seed: `cli unsigned ${node}` });
        await layout.push(unsigned.tag, { host: bearer.host, repo: 'cli/unsigned', tag: 'v1', creds: asUser });
        const payload = cosignPayload(`${bearer.host}/cli/signed`, signed.digest);
        await pushReferrer(bearer, 'cli/signed', signed, { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload) }] });
      });
      afterAll(async () => {
        await connect?.stop();
        if (home) fs.rmSync(home, { recursive: true, force: true });
      });
      /** Asynchronous: the registry front and the proxy run in this process. */
      const cli = (args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          const env = { PATH: `${path.join(home, 'bin')}:/usr/bin:/bin`, HOME: home, HTTP_PROXY: connect.url, NO_PROXY: '' };
          execFile(node, [CLI, 'verify', ...args], { cwd: home, env, timeout: 60_000 }, (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
          );
        });

      test('a signed image passes, an unsigned one fails (exit 1); credentials came from the helper, requests through the proxy', async () => {
        const r = await cli([
          '--image',
          `${bearer.host}/cli/signed:v1`,
          '--image',
          `${bearer.host}/cli/unsigned:v1`,
          '--format',
          'json',
          '--registry-timeout',
          '10s'
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(1);
        const json = JSON.parse(r.stdout) as { results: { image: string; passed: boolean; digest?: string }[] };
        expect(json.results.map((x) => [x.image, x.passed])).toEqual([
          [`${bearer.host}/cli/signed:v1`, true],
          [`${bearer.host}/cli/unsigned:v1`, false]
        ]);
        expect(json.results[0]!.digest).toBe(signed.digest);
        expect(fs.readFileSync(path.join(home, 'asked.log'), 'utf8').trim().split('\n')).toEqual([bearer.host]);
        expect(connect.tunnels).toContain(bearer.host);
        expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      });

      test('a bad --registry-timeout is a usage error (exit 2) naming the flag', async () => {
        const r = await cli(['--image', `${bearer.host}/cli/signed:v1`, '--registry-timeout', 'soon']);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/--registry-timeout: "soon" is not a duration/);
      });
    }
  );

  describe('Bearer auth in front (proxy)', () => {
    let img: BuiltImage;
    beforeAll(async () => {
      // skopeo does the token flow with the credentials: the proxy's auth is checked by a real client too
      img = await layout.image('bearer', { seed: 'bearer' });
      await layout.push('bearer', { host: bearer.host, repo: 'tok/app', tag: 'v1', creds: asUser });
      const payload = cosignPayload(`${bearer.host}/tok/app`, img.digest);
      await pushReferrer(bearer, 'tok/app', img, { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload) }] });
    });

    test('good credentials: token per scope, manifests, blobs and referrers', async () => {
      const before = bearer.tokenRequests.length;
      const rec = recordingFetch();
      const c = client({ fetch: rec.fetch, credentials: { [bearer.host]: asUser } });
      const r = await c.resolve(ref(`${bearer.host}/tok/app:v1`));
      expect(r).toMatchObject({ found: true, digest: img.digest });
      const found = await discoverSignatures(c, ref(`${bearer.host}/tok/app:v1`), img.digest);
      expect(found.map((s) => s.format)).toEqual(['referrers']);
      expect(verifyImageSignatures(found, { publicKeyPem: PUBLIC_PEM, digest: img.digest }).ok).toBe(true);
      // one token for repository:tok/app:pull, reused for everything after the first challenge
      expect(bearer.tokenRequests.slice(before)).toEqual([{ scope: 'repository:tok/app:pull', user: USER, granted: true }]);
      expect(rec.calls.slice(0, 3).map((x) => [x.path.split('?')[0], x.status])).toEqual([
        ['/v2/tok/app/manifests/v1', 401],
        ['/token', 200],
        ['/v2/tok/app/manifests/v1', 200]
      ]);
      expect(rec.calls.slice(3).every((x) => x.status !== 401)).toBe(true);
      // skopeo's push in beforeAll went through the same token service, with push rights
      expect(bearer.tokenRequests.slice(0, before)).toContainEqual({ scope: 'repository:tok/app:pull,push', user: USER, granted: true });
    });

    test('bad credentials: 401 from the token service, a clear error without the password', async () => {
      const password = 'wrong-Pa55word-xyz';
      const e = await rejection(client({ credentials: { [bearer.host]: { username: USER, password } } }).resolve(ref(`${bearer.host}/tok/app:v1`)));
      expect(e.message).toBe(`${bearer.host}/tok/app:v1: authentication failed: the token service rejected the credentials`);
      expect(e.status).toBe(401);
      for (const text of [e.message, e.stack ?? '', JSON.stringify(e)]) {
        expect(text).not.toContain(password);
        expect(text).not.toContain(Buffer.from(`${USER}:${password}`).toString('base64'));
      }
      // skopeo is turned away too
      await expect(skopeoDigest(bearer.host, 'tok/app:v1', { username: USER, password })).rejects.toThrow(/unauthorized|401|authentication/i);
    });

    test('no credentials: the token service refuses anonymous access', async () => {
      const e = await rejection(client().resolve(ref(`${bearer.host}/tok/app:v1`)));
      expect(e.message).toBe(`${bearer.host}/tok/app:v1: authentication required: the token service refused anonymous access`);
      await expect(discoverSignatures(client(), ref(`${bearer.host}/tok/app:v1`), img.digest)).rejects.toThrow(/authentication required/);
    });
  });

  describe('faults', () => {
    let img: BuiltImage;
    beforeAll(async () => {
      img = await layout.image('faults', { seed: 'faults' });
      await layout.push('faults', { host: reg.host, repo: 'fault/app', tag: 'v1' });
    });
    afterAll(() => proxy.clearFaults());

    test.each([500, 502, 503, 504])('HTTP %i twice, then the registry: retried with exponential backoff', async (status) => {
      proxy.fault({ path: /^\/v2\/fault\/app\/manifests\/v1$/, method: 'GET', status, times: 2, body: '{"errors":[{"code":"UNKNOWN"}]}' });
      const { waits, sleep } = recordedSleep();
      const before = proxy.requests.length;
      const r = await client({ sleep }).resolve(ref(`${proxy.host}/fault/app:v1`));
      expect(r).toMatchObject({ found: true, digest: img.digest });
      expect(waits).toEqual([500, 1000]);
      expect(proxy.requests.slice(before).map((x) => [x.status, x.fault ?? false])).toEqual([
        [status, true],
        [status, true],
        [200, false]
      ]);
    });

    test('a 503 with Retry-After waits that long', async () => {
      proxy.fault({ path: /^\/v2\/fault\/app\/manifests\/v1$/, status: 503, headers: { 'retry-after': '2' } });
      const { waits, sleep } = recordedSleep();
      expect((await client({ sleep }).resolve(ref(`${proxy.host}/fault/app:v1`))).found).toBe(true);
      expect(waits).toEqual([2000]);
    });

    test('500 every time: bounded (3 retries), then a RegistryError with the status', async () => {
      proxy.fault({ path: /^\/v2\/fault\/app\/manifests\/v1$/, status: 500, times: 10, body: '{"errors":[{"code":"UNKNOWN","message":"storage down"}]}' });
      const { waits, sleep } = recordedSleep();
      const before = proxy.requests.length;
      const e = await rejection(client({ sleep }).resolve(ref(`${proxy.host}/fault/app:v1`)));
      expect(e.message).toBe(`${proxy.host}/fault/app:v1: manifest: HTTP 500 after 4 tries (UNKNOWN: storage down)`);
      expect(e.status).toBe(500);
      expect(waits).toEqual([500, 1000, 2000]);
      expect(proxy.requests.length - before).toBe(4);
      proxy.clearFaults();
    });

    test('the referrers API is retried the same way; a lasting failure fails discovery (not "unsigned")', async () => {
      const path = new RegExp(`^/v2/fault/app/referrers/${img.digest}$`);
      proxy.fault({ path, status: 502 });
      const { waits, sleep } = recordedSleep();
      expect(await client({ sleep }).referrers(ref(`${proxy.host}/fault/app`), img.digest)).toMatchObject({ supported: true });
      expect(waits).toEqual([500]);
      proxy.fault({ path, status: 500, times: 10 });
      await expect(discoverSignatures(client({ sleep }), ref(`${proxy.host}/fault/app:v1`), img.digest)).rejects.toThrow(
        `${proxy.host}/fault/app@${img.digest}: referrers: HTTP 500 after 4 tries`
      );
      proxy.clearFaults();
    });

    test('registry down: a one-line RegistryError naming the host, not a pass', async () => {
      const port = await freePort();
      const host = `127.0.0.1:${port}`;
      const e = await rejection(client().resolve(ref(`${host}/fault/app:v1`)));
      expect(e.message).toBe(`${host}/fault/app:v1: cannot reach ${host}: connection refused (nothing is listening there; is the registry running?)`);
      expect(e.stack).toBe(`RegistryError: ${e.message}`);
      expect(e.message).not.toContain('\n');
      expect(e.status).toBeUndefined();
      await expect(discoverSignatures(client(), ref(`${host}/fault/app:v1`), img.digest)).rejects.toThrow(`cannot reach ${host}`);
    });

    test.each([
      ['with Content-Length', true, /manifest: the response of 5242880 bytes is over the 4194304-byte limit$/],
      ['streamed (chunked)', false, /manifest: the response is over the 4194304-byte limit$/]
    ])('a 5 MiB manifest %s is refused at the size cap', async (_name, contentLength, message) => {
      proxy.fault({ path: /^\/v2\/fault\/app\/manifests\/huge$/, size: 5 * 1024 * 1024, contentLength });
      const e = await rejection(client().resolve(ref(`${proxy.host}/fault/app:huge`)));
      expect(e.message).toMatch(new RegExp(`^${proxy.host.replace(/\./g, '\\.')}/fault/app:huge: `));
      expect(e.message).toMatch(message);
    });

    test('a huge referrers index and an oversized blob are capped too', async () => {
      proxy.fault({ path: new RegExp(`/referrers/${img.digest}$`), size: 5 * 1024 * 1024, contentLength: false });
      const e = await rejection(client().referrers(ref(`${proxy.host}/fault/app`), img.digest));
      expect(e.message).toBe(`${proxy.host}/fault/app@${img.digest}: referrers: the response is over the 4194304-byte limit`);
      const config = (JSON.parse(img.bytes.toString()) as { config: { digest: string; size: number } }).config;
      const blob = await rejection(client().fetchBlob(ref(`${reg.host}/fault/app`), config.digest, config.size - 1));
      expect(blob.message).toMatch(new RegExp(`blob ${config.digest}: the response of ${config.size} bytes is over the ${config.size - 1}-byte limit$`));
    });

    test.each([
      ['a manifest cut short', 'manifests/broken', '{"schemaVersion": 2, "config": {', 'the manifest is not valid JSON'],
      ['a manifest that is an array', 'manifests/array', '[1,2]', 'the manifest is not a JSON object'],
      ['a manifest that is not JSON at all', 'manifests/html', '<html>oops</html>', 'the manifest is not valid JSON']
    ])('malformed JSON: %s → a RegistryError naming the reference', async (_name, endpoint, body, detail) => {
      proxy.fault({ path: new RegExp(`^/v2/fault/app/${endpoint}$`), body });
      const tag = endpoint.split('/')[1]!;
      const e = await rejection(client().resolve(ref(`${proxy.host}/fault/app:${tag}`)));
      expect(e.message).toBe(`${proxy.host}/fault/app:${tag}: ${detail}`);
    });

    test('malformed referrers answers: not JSON, not an index', async () => {
      const path = new RegExp(`/referrers/${img.digest}$`);
      proxy.fault({ path, body: '{"manifests": [', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } });
      const e = await rejection(client().referrers(ref(`${proxy.host}/fault/app`), img.digest));
      expect(e.message).toBe(`${proxy.host}/fault/app@${img.digest}: the referrers response is not valid JSON`);
      proxy.fault({ path, body: '{"schemaVersion":2}' });
      const e2 = await rejection(client().referrers(ref(`${proxy.host}/fault/app`), img.digest));
      expect(e2.message).toBe(`${proxy.host}/fault/app@${img.digest}: the referrers response is not an OCI image index`);
    });

    test('a digest that is not one is refused before any request', async () => {
      const rec = recordingFetch();
      const e = await rejection(client({ fetch: rec.fetch }).referrers(ref(`${reg.host}/fault/app`), 'sha256:../../x'));
      expect(e.message).toMatch(/referrers: not a digest$/);
      expect(rec.calls).toEqual([]);
    });
  });
});
