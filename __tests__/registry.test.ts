/**
 * The OCI Distribution client against a real registry: Debian's docker-registry (distribution 2.8) on
 * 127.0.0.1, started per auth mode by __tests__/helpers/registry.ts. No other network.
 * In CI a missing binary fails the suite (run scripts/install-test-deps.sh); locally it is skipped.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseImageRef, type ImageRef } from '../src/core/image-ref.js';
import {
  createRegistryClient,
  parseWwwAuthenticate,
  registryEndpoint,
  RegistryError,
  retryAfterMs,
  type RegistryClientOptions
} from '../src/io/registry/client.js';
import { mapLimit } from '../src/io/concurrency.js';
import { discoverSignatures } from '../src/io/registry/signatures.js';
import {
  BASIC_PASSWORD,
  BASIC_USER,
  cosignPayload,
  pushCosignSignature,
  requireRegistry,
  startConnectProxy,
  startHangingServer,
  startRegistry,
  type ConnectProxy,
  type TestRegistry
} from './helpers/registry.js';

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

function ref(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r) throw new Error(`bad test reference ${text}`);
  return r;
}

/** fetch that counts (and can tamper with) requests. */
function countingFetch(tamper?: (url: string, n: number) => Response | undefined) {
  const calls: { url: string; method: string; authorization?: string }[] = [];
  const f: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, method: init?.method ?? 'GET', authorization: headers.get('authorization') ?? undefined });
    const fake = tamper?.(url, calls.length);
    if (fake) return fake;
    return fetch(input, init);
  };
  return { calls, fetch: f };
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

describe('registryEndpoint (pure)', () => {
  test.each([
    ['nginx', 'https://registry-1.docker.io', 'library/nginx'],
    ['docker.io/nginx:1.27', 'https://registry-1.docker.io', 'library/nginx'],
    ['index.docker.io/library/nginx', 'https://registry-1.docker.io', 'library/nginx'],
    ['registry-1.docker.io/bitnami/redis', 'https://registry-1.docker.io', 'bitnami/redis'],
    ['acme/api', 'https://registry-1.docker.io', 'acme/api'],
    ['ghcr.io/acme/api:v1', 'https://ghcr.io', 'acme/api'],
    ['ghcr.io/nginx', 'https://ghcr.io', 'nginx'],
    ['localhost:5000/app', 'https://localhost:5000', 'app'],
    ['127.0.0.1:5000/app', 'https://127.0.0.1:5000', 'app']
  ])('%s → %s /v2/%s', (text, baseUrl, repository) => {
    expect(registryEndpoint(ref(text))).toEqual({ baseUrl, repository });
  });

  test('a hand-made Docker Hub ref without library/ gets it', () => {
    expect(registryEndpoint({ registry: 'docker.io', repository: 'alpine' })).toEqual({
      baseUrl: 'https://registry-1.docker.io',
      repository: 'library/alpine'
    });
  });

  test.each([
    ['127.0.0.1:5000/app', 'http://127.0.0.1:5000'],
    ['localhost:5000/app', 'http://localhost:5000'],
    ['localhost/app', 'http://localhost'],
    ['registry.internal:5000/app', 'https://registry.internal:5000'],
    ['ghcr.io/acme/api', 'https://ghcr.io'],
    ['nginx', 'https://registry-1.docker.io']
  ])('insecure only for loopback: %s → %s', (text, baseUrl) => {
    expect(registryEndpoint(ref(text), { insecure: true }).baseUrl).toBe(baseUrl);
  });
});

describe('header parsing (pure)', () => {
  test('WWW-Authenticate Bearer with quoted params, commas inside quotes', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"')).toEqual(
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' }
      }
    );
    expect(parseWwwAuthenticate('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

withRegistry('against docker-registry without auth', () => {
  let reg: TestRegistry;
  const client = (extra: RegistryClientOptions = {}) => createRegistryClient({ insecure: true, ...extra });
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('tag → digest is the sha256 of the exact manifest bytes pushed', async () => {
    const pushed = await reg.pushImage('team/app', 'v1');
    expect(pushed.bytes.toString()).toContain('\n  '); // pretty-printed: a re-serialisation would hash differently
    const r = await client().resolve(ref(`${reg.host}/team/app:v1`));
    expect(r.found).toBe(true);
    if (!r.found) return;
    expect(r.digest).toBe(sha256(pushed.bytes));
    expect(r.reference).toBe(`${reg.host}/team/app:v1`);
    expect(r.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect((r.manifest as { layers: unknown[] }).layers).toHaveLength(1);
    expect(r.platforms).toBeUndefined();
    expect(r.tag).toBeUndefined();
  });

  test('Docker v2 manifests resolve too', async () => {
    const pushed = await reg.pushImage('team/legacy', 'v1', { docker: true });
    const r = await client().resolve(ref(`${reg.host}/team/legacy:v1`));
    expect(r).toMatchObject({ found: true, digest: pushed.digest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
  });

  test('an OCI index lists per-platform digests', async () => {
    const pushed = await reg.pushIndex('team/multi', 'v1');
    const r = await client().resolve(ref(`${reg.host}/team/multi:v1`));
    expect(r).toMatchObject({ found: true, digest: sha256(pushed.bytes), mediaType: 'application/vnd.oci.image.index.v1+json' });
    if (!r.found) return;
    expect(r.platforms).toEqual(pushed.platforms.map((p) => ({ ...p, mediaType: 'application/vnd.oci.image.manifest.v1+json' })));
    expect(r.platforms?.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    // each platform manifest resolves by digest
    const arm = await client().resolve(ref(`${reg.host}/team/multi@${pushed.platforms[1]!.digest}`));
    expect(arm).toMatchObject({ found: true, digest: pushed.platforms[1]!.digest });
  });

  test('a Docker manifest list lists per-platform digests', async () => {
    const pushed = await reg.pushIndex('team/multi-docker', 'v1', ['linux/amd64', 'linux/arm/v7', 'windows/amd64'], { docker: true });
    const r = await client().resolve(ref(`${reg.host}/team/multi-docker:v1`));
    expect(r).toMatchObject({ found: true, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json' });
    if (!r.found) return;
    expect(r.platforms?.map((p) => [p.platform, p.digest])).toEqual(pushed.platforms.map((p) => [p.platform, p.digest]));
  });

  test('tag@digest: match, then drift after the tag moves', async () => {
    const first = await reg.pushImage('team/drift', 'stable', { seed: 'one' });
    const pinned = ref(`${reg.host}/team/drift:stable@${first.digest}`);
    const before = await client().resolve(pinned);
    expect(before).toMatchObject({ found: true, digest: first.digest, tag: { tag: 'stable', digest: first.digest, drift: false } });

    const second = await reg.pushImage('team/drift', 'stable', { seed: 'two' });
    expect(second.digest).not.toBe(first.digest);
    const after = await client().resolve(pinned);
    // the pinned digest still pulls; the tag now points elsewhere
    expect(after).toMatchObject({ found: true, digest: first.digest, tag: { tag: 'stable', digest: second.digest, drift: true } });
  });

  test('tag@digest where the tag is gone: drift with no tag digest', async () => {
    const pushed = await reg.pushImage('team/gone', 'only', { seed: 'gone' });
    const r = await client().resolve(ref(`${reg.host}/team/gone:other@${pushed.digest}`));
    expect(r).toMatchObject({ found: true, digest: pushed.digest, tag: { tag: 'other', drift: true } });
    expect(r.tag?.digest).toBeUndefined();
  });

  test('a digest the registry does not have is data, not an error', async () => {
    await reg.pushImage('team/missing', 'v1');
    const absent = `sha256:${'0'.repeat(64)}`;
    const r = await client().resolve(ref(`${reg.host}/team/missing@${absent}`));
    expect(r).toEqual({ found: false, reference: `${reg.host}/team/missing@${absent}`, digest: absent });
    const withTag = await client().resolve(ref(`${reg.host}/team/missing:v1@${absent}`));
    expect(withTag).toMatchObject({ found: false, digest: absent, tag: { tag: 'v1', drift: true } });
    expect(withTag.tag?.digest).toMatch(/^sha256:/);
  });

  test('a tag that does not exist is a RegistryError naming the reference', async () => {
    await reg.pushImage('team/tags', 'v1');
    const e = await rejection(client().resolve(ref(`${reg.host}/team/tags:nope`)));
    expect(e.message).toBe(`${reg.host}/team/tags:nope: tag 'nope' not found in ${reg.host}/team/tags`);
    expect(e.status).toBe(404);
    expect(e.stack).toBe(`RegistryError: ${e.message}`);
    // a repository that does not exist at all
    const e2 = await rejection(client().resolve(ref(`${reg.host}/team/never`)));
    expect(e2.message).toContain(`${reg.host}/team/never:latest: tag 'latest' not found`);
  });

  test('the cache: a second resolve makes no request; concurrent resolves share one', async () => {
    await reg.pushImage('team/cached', 'v1');
    const counter = countingFetch();
    const c = client({ fetch: counter.fetch });
    const r1 = await c.resolve(ref(`${reg.host}/team/cached:v1`));
    const n = counter.calls.length;
    expect(n).toBe(1);
    const r2 = await c.resolve(ref(`${reg.host}/team/cached:v1`));
    expect(counter.calls.length).toBe(n);
    expect(r2).toBe(r1);
    const [a, b] = await Promise.all([c.resolve(ref(`${reg.host}/team/cached:v1@${r1.digest}`)), c.resolve(ref(`${reg.host}/team/cached:v1@${r1.digest}`))]);
    expect(a).toBe(b);
    expect(counter.calls.length).toBe(n + 2); // GET by digest + HEAD of the tag, once
  });

  test('a manifest whose bytes do not match Docker-Content-Digest is an error', async () => {
    const pushed = await reg.pushImage('team/tamper', 'v1');
    const counter = countingFetch((url) => {
      if (!url.endsWith('/manifests/v1')) return undefined;
      const body = Buffer.concat([pushed.bytes, Buffer.from(' ')]);
      return new Response(body, { status: 200, headers: { 'content-type': pushed.mediaType, 'docker-content-digest': pushed.digest } });
    });
    const e = await rejection(client({ fetch: counter.fetch }).resolve(ref(`${reg.host}/team/tamper:v1`)));
    expect(e.message).toContain(`the registry says the manifest is ${pushed.digest} but its bytes hash to sha256:`);
  });

  test('429 with Retry-After is honoured, bounded', async () => {
    await reg.pushImage('team/limited', 'v1');
    const waits: number[] = [];
    const counter = countingFetch((_url, n) => (n <= 2 ? new Response('slow down', { status: 429, headers: { 'retry-after': '2' } }) : undefined));
    const r = await client({ fetch: counter.fetch, sleep: async (ms) => void waits.push(ms) }).resolve(ref(`${reg.host}/team/limited:v1`));
    expect(r.found).toBe(true);
    expect(waits).toEqual([2000, 2000]);

    const always = countingFetch(() => new Response('', { status: 429, headers: { 'retry-after': '1' } }));
    const e = await rejection(client({ fetch: always.fetch, sleep: async () => {}, maxRetries: 2 }).resolve(ref(`${reg.host}/team/limited:v1`)));
    expect(e.message).toContain('rate limited');
    expect(always.calls).toHaveLength(3);

    const tooLong = countingFetch(() => new Response('', { status: 429, headers: { 'retry-after': '3600' } }));
    await rejection(client({ fetch: tooLong.fetch, sleep: async () => {} }).resolve(ref(`${reg.host}/team/limited:v1`)));
    expect(tooLong.calls).toHaveLength(1);
  });

  test('blobs: fetched and checked against their digest', async () => {
    const pushed = await reg.pushImage('team/blobs', 'v1');
    const c = client();
    const manifest = JSON.parse(pushed.bytes.toString()) as { config: { digest: string } };
    const bytes = await c.fetchBlob(ref(`${reg.host}/team/blobs:v1`), manifest.config.digest);
    expect(sha256(Buffer.from(bytes))).toBe(manifest.config.digest);
    const e = await rejection(c.fetchBlob(ref(`${reg.host}/team/blobs:v1`), `sha256:${'1'.repeat(64)}`));
    expect(e.status).toBe(404);
  });

  test('without insecure, a loopback registry is https (and unreachable): a clear error', async () => {
    const e = await rejection(createRegistryClient({ timeoutMs: 5000 }).resolve(ref(`${reg.host}/team/app:v1`)));
    expect(e.message).toMatch(new RegExp(`^${reg.host.replace(/\./g, '\\.')}/team/app:v1: cannot reach ${reg.host.replace(/\./g, '\\.')}: TLS failed`));
    expect(e.message).not.toContain('\n');
  });

  test('the referrers API: distribution 2.8 has none (404) → unsupported, asked once per client', async () => {
    const pushed = await reg.pushImage('team/referrers', 'v1');
    const counter = countingFetch();
    const c = client({ fetch: counter.fetch });
    expect(await c.referrers(ref(`${reg.host}/team/referrers:v1`), pushed.digest)).toEqual({ supported: false });
    expect(await c.referrers(ref(`${reg.host}/team/referrers`), pushed.digest)).toEqual({ supported: false });
    expect(counter.calls.map((x) => new URL(x.url).pathname)).toEqual([`/v2/team/referrers/referrers/${pushed.digest}`]);
  });
});

withRegistry('against docker-registry with Basic auth', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    await reg.pushImage('secure/app', 'v1');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('good credentials resolve; Basic is sent up front after the first challenge', async () => {
    const counter = countingFetch();
    const c = createRegistryClient({ insecure: true, fetch: counter.fetch, credentials: { [reg.host]: { username: BASIC_USER, password: BASIC_PASSWORD } } });
    const r = await c.resolve(ref(`${reg.host}/secure/app:v1`));
    expect(r.found).toBe(true);
    expect(counter.calls.map((x) => x.authorization !== undefined)).toEqual([false, true]);
    await c.resolve(ref(`${reg.host}/secure/app:v1@${r.digest}`));
    expect(counter.calls.slice(2).every((x) => x.authorization?.startsWith('Basic '))).toBe(true);
  });

  test('credentials from a function', async () => {
    const c = createRegistryClient({ insecure: true, credentials: (h) => (h === reg.host ? { username: BASIC_USER, password: BASIC_PASSWORD } : undefined) });
    expect((await c.resolve(ref(`${reg.host}/secure/app:v1`))).found).toBe(true);
  });

  test('bad credentials: a clear error without the password', async () => {
    const password = 'wrong-Pa55word-xyz';
    const c = createRegistryClient({ insecure: true, credentials: { [reg.host]: { username: BASIC_USER, password } } });
    const e = await rejection(c.resolve(ref(`${reg.host}/secure/app:v1`)));
    expect(e.message).toBe(`${reg.host}/secure/app:v1: authentication failed: the registry rejected the credentials`);
    expect(e.status).toBe(401);
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String(e)]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(Buffer.from(`${BASIC_USER}:${password}`).toString('base64'));
    }
  });

  test('no credentials: authentication required', async () => {
    const e = await rejection(createRegistryClient({ insecure: true }).resolve(ref(`${reg.host}/secure/app:v1`)));
    expect(e.message).toBe(`${reg.host}/secure/app:v1: authentication required: no credentials for this registry`);
  });
});

withRegistry('against docker-registry with Bearer tokens', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'bearer' });
    await reg.pushImage('tok/app', 'v1');
    await reg.pushImage('tok/app', 'v2');
    await reg.pushImage('tok/other', 'v1');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('anonymous pull through the token flow; the token is reused per repository scope', async () => {
    const counter = countingFetch();
    const c = createRegistryClient({ insecure: true, fetch: counter.fetch });
    const before = reg.tokenRequests.length;
    expect((await c.resolve(ref(`${reg.host}/tok/app:v1`))).found).toBe(true);
    expect((await c.resolve(ref(`${reg.host}/tok/app:v2`))).found).toBe(true);
    const tokens = reg.tokenRequests.slice(before);
    expect(tokens).toEqual([{ scope: 'repository:tok/app:pull', service: 'container-guard-test-registry', user: undefined }]);
    // challenge, token, retry; then v2 straight with the cached token
    expect(counter.calls.map((x) => [new URL(x.url).pathname, x.authorization?.split(' ')[0]])).toEqual([
      ['/v2/tok/app/manifests/v1', undefined],
      ['/token', undefined],
      ['/v2/tok/app/manifests/v1', 'Bearer'],
      ['/v2/tok/app/manifests/v2', 'Bearer']
    ]);
    // another repository needs its own token
    expect((await c.resolve(ref(`${reg.host}/tok/other:v1`))).found).toBe(true);
    expect(reg.tokenRequests.slice(before).map((t) => t.scope)).toEqual(['repository:tok/app:pull', 'repository:tok/other:pull']);
  });

  test('concurrent requests for one scope share one token request', async () => {
    for (let i = 0; i < 10; i++) await reg.pushImage('tok/burst', `t${i}`, { seed: `burst ${i}` });
    const before = reg.tokenRequests.length;
    const c = createRegistryClient({ insecure: true });
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => c.resolve(ref(`${reg.host}/tok/burst:t${i}`))));
    expect(all.every((r) => r.found)).toBe(true);
    expect(reg.tokenRequests.slice(before).map((t) => t.scope)).toEqual(['repository:tok/burst:pull']);
    expect(c.stats.tokenRequests).toBe(1);
  });

  test('50 repositories, resolve + signature discovery 8 at a time: one token request per scope', async () => {
    const refs: { image: ImageRef; digest: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const repo = `scopes/app${i}`;
      const pushed = await reg.pushImage(repo, 'v1', { seed: `scope ${i}` });
      const payload = cosignPayload(`${reg.host}/${repo}`, pushed.digest);
      await pushCosignSignature(reg, repo, pushed.digest, [{ payload, signature: 'MEUCIQ==' }]);
      refs.push({ image: ref(`${reg.host}/${repo}:v1`), digest: pushed.digest });
    }
    const before = reg.tokenRequests.length;
    const c = createRegistryClient({ insecure: true });
    const found = await mapLimit(refs, 8, async ({ image, digest }) => {
      const r = await c.resolve(image);
      expect(r).toMatchObject({ found: true, digest });
      return discoverSignatures(c, image, digest);
    });
    expect(found.map((f) => f.map((s) => s.format))).toEqual(refs.map(() => ['cosign-legacy-tag']));
    const scopes = reg.tokenRequests.slice(before).map((t) => t.scope);
    expect(scopes).toHaveLength(50);
    expect(new Set(scopes).size).toBe(50);
    expect(c.stats.tokenRequests).toBe(50);
  });

  test('credentials go to the token service as Basic', async () => {
    const before = reg.tokenRequests.length;
    const c = createRegistryClient({ insecure: true, credentials: { [reg.host]: { username: BASIC_USER, password: BASIC_PASSWORD } } });
    const r = await c.resolve(ref(`${reg.host}/tok/app:v1`));
    expect(r.found).toBe(true);
    expect(reg.tokenRequests.slice(before)).toEqual([{ scope: 'repository:tok/app:pull', service: 'container-guard-test-registry', user: BASIC_USER }]);
  });

  test('bad credentials at the token service: a clear error without the password', async () => {
    const password = 'not-the-Pa55word';
    const c = createRegistryClient({ insecure: true, credentials: { [reg.host]: { username: BASIC_USER, password } } });
    const e = await rejection(c.resolve(ref(`${reg.host}/tok/app:v1`)));
    expect(e.message).toBe(`${reg.host}/tok/app:v1: authentication failed: the token service rejected the credentials`);
    expect(e.message + (e.stack ?? '')).not.toContain(password);
  });
});

withRegistry('networks: proxies from the environment, per-request timeout, run deadline', () => {
  let reg: TestRegistry;
  let proxy: ConnectProxy;
  let digest: string;
  beforeAll(async () => {
    [reg, proxy] = await Promise.all([startRegistry(), startConnectProxy()]);
    digest = (await reg.pushImage('net/app', 'v1')).digest;
  });
  afterAll(async () => {
    await proxy?.stop();
    await reg?.stop();
  });
  const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, ...vars });

  test.each([['HTTP_PROXY'], ['http_proxy']])('%s: requests are tunnelled through the proxy', async (which) => {
    const before = proxy.tunnels.length;
    const c = createRegistryClient({ insecure: true, env: env({ [which]: proxy.url }) });
    expect(await c.resolve(ref(`${reg.host}/net/app:v1`))).toMatchObject({ found: true, digest });
    expect(proxy.tunnels.slice(before)).toContain(reg.host);
    await c.close();
  });

  test('lower case wins over upper case (as curl reads them); HTTPS_PROXY alone is not used for http://', async () => {
    const down = `http://127.0.0.1:${await freePortOf()}`;
    const c = createRegistryClient({ insecure: true, env: env({ http_proxy: proxy.url, HTTP_PROXY: down }) });
    expect(await c.resolve(ref(`${reg.host}/net/app:v1`))).toMatchObject({ found: true, digest });
    const before = proxy.tunnels.length;
    const direct = createRegistryClient({ insecure: true, env: env({ HTTPS_PROXY: proxy.url }) });
    expect(await direct.resolve(ref(`${reg.host}/net/app:v1`))).toMatchObject({ found: true, digest });
    expect(proxy.tunnels.length).toBe(before);
    await Promise.all([c.close(), direct.close()]);
  });

  test.each([['127.0.0.1'], [`127.0.0.1:${'PORT'}`], ['*'], ['.0.0.1']])('NO_PROXY=%s: the registry is reached directly', async (noProxy) => {
    const before = proxy.tunnels.length;
    const value = noProxy.replace('PORT', reg.host.split(':')[1]!);
    const c = createRegistryClient({ insecure: true, env: env({ HTTP_PROXY: proxy.url, no_proxy: value }) });
    expect(await c.resolve(ref(`${reg.host}/net/app:v1`))).toMatchObject({ found: true, digest });
    expect(proxy.tunnels.length).toBe(before);
    await c.close();
  });

  test('a proxy that is down: a one-line error naming the registry host, never a pass', async () => {
    const down = `http://127.0.0.1:${await freePortOf()}`;
    const e = await rejection(createRegistryClient({ insecure: true, env: env({ HTTP_PROXY: down }) }).resolve(ref(`${reg.host}/net/app:v1`)));
    expect(e.message).toMatch(new RegExp(`^${reg.host}/net/app:v1: cannot reach ${reg.host}: `));
  });

  test('a proxy setting that is not a URL: an error naming the variable, without its credentials', async () => {
    const e = await rejection(
      createRegistryClient({ insecure: true, env: env({ HTTPS_PROXY: 'socks5://user:Pr0xyPw@proxy:1080' }) }).resolve(ref(`${reg.host}/net/app:v1`))
    );
    expect(e.detail).toBe(
      `cannot reach ${reg.host}: HTTPS_PROXY is set to socks5://proxy:1080: a proxy must be an http:// or https:// URL such as http://proxy.internal:3128`
    );
    expect(e.message).not.toContain('Pr0xyPw');
  });

  test('a registry that accepts the connection and never answers: the per-request timeout, naming the host', async () => {
    const hang = await startHangingServer();
    try {
      const t = Date.now();
      const e = await rejection(createRegistryClient({ insecure: true, timeoutMs: 300, maxRetries: 0 }).resolve(ref(`${hang.host}/net/app:v1`)));
      expect(e.message).toBe(`${hang.host}/net/app:v1: cannot reach ${hang.host}: no answer within 0.3 s (registry timeout)`);
      expect(Date.now() - t).toBeLessThan(10_000);
      expect(hang.connections()).toBeGreaterThan(0);
    } finally {
      await hang.stop();
    }
  });

  test('the run deadline cuts a request short and stops later ones, naming the host', async () => {
    const hang = await startHangingServer();
    try {
      const c = createRegistryClient({ insecure: true, timeoutMs: 30_000, deadlineMs: 400 });
      const e = await rejection(c.resolve(ref(`${hang.host}/net/app:v1`)));
      expect(e.message).toBe(`${hang.host}/net/app:v1: cannot reach ${hang.host}: the run's deadline of 0.4 s passed`);
      // past the deadline nothing is sent any more, not even to a registry that answers
      const after = await rejection(c.resolve(ref(`${reg.host}/net/app:v1`)));
      expect(after.detail).toBe(`${reg.host}: the run's deadline of 0.4 s passed before the registry answered`);
    } finally {
      await hang.stop();
    }
  });

  test('a Retry-After that would end past the deadline fails right away instead of waiting', async () => {
    const waits: number[] = [];
    const c = createRegistryClient({
      insecure: true,
      deadlineMs: 5_000,
      sleep: async (ms) => void waits.push(ms),
      fetch: async () => new Response('{}', { status: 503, headers: { 'retry-after': '20' } })
    });
    const e = await rejection(c.resolve(ref(`${reg.host}/net/app:v1`)));
    expect(e.detail).toMatch(/the run's deadline of 5 s passed/);
    expect(waits).toEqual([]);
  });
});

async function freePortOf(): Promise<number> {
  return new Promise((resolve) => {
    const srv = http.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('network failures and broken bodies (a stub fetch)', () => {
  const image = ref('registry.example:5000/acme/app:v1');
  const failing =
    (error: unknown): typeof fetch =>
    async () => {
      throw error;
    };
  const cause = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
  test.each([
    [
      'connection refused',
      new TypeError('fetch failed', { cause: cause('ECONNREFUSED') }),
      'connection refused (nothing is listening there; is the registry running?)'
    ],
    ['DNS', new TypeError('fetch failed', { cause: cause('ENOTFOUND') }), 'host not found (DNS lookup failed)'],
    [
      'happy eyeballs (AggregateError)',
      new TypeError('fetch failed', { cause: new AggregateError([cause('ECONNREFUSED'), cause('ECONNREFUSED')]) }),
      'connection refused'
    ],
    ['a reset', new TypeError('fetch failed', { cause: cause('ECONNRESET') }), 'the connection was reset'],
    ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'no answer within 30 s'],
    ['an expired certificate', new TypeError('fetch failed', { cause: cause('CERT_HAS_EXPIRED') }), 'TLS failed (CERT_HAS_EXPIRED)'],
    ['no code: the innermost message', new TypeError('fetch failed', { cause: new Error('bad port\nsecond line') }), 'bad port second line']
  ])('%s → one line naming the registry host', async (_name, error, reason) => {
    const e = await rejection(createRegistryClient({ fetch: failing(error) }).resolve(image));
    expect(e.message).toContain(`registry.example:5000/acme/app:v1: cannot reach registry.example:5000: ${reason}`);
    expect(e.message).not.toContain('\n');
    expect(e.stack).toBe(`RegistryError: ${e.message}`);
  });

  test('a body that breaks off mid-way is a RegistryError, not a TypeError', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"schemaVersion":'));
        controller.error(new TypeError('terminated', { cause: cause('ECONNRESET') }));
      }
    });
    const f: typeof fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    const e = await rejection(createRegistryClient({ fetch: f }).resolve(image));
    expect(e.message).toBe('registry.example:5000/acme/app:v1: manifest: the connection to registry.example:5000 broke off: the connection was reset');
  });

  test('server text in an error is redacted and kept on one line', async () => {
    const creds = { username: 'bot', password: 'hunter2-secret' };
    const f: typeof fetch = async (_input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      if (!auth) return new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } });
      const message = `denied for ${auth}\nand hunter2-secret`;
      return new Response(JSON.stringify({ errors: [{ code: 'DENIED', message }] }), { status: 418 });
    };
    const e = await rejection(createRegistryClient({ fetch: f, credentials: { 'registry.example:5000': creds } }).resolve(image));
    expect(e.message).toBe('registry.example:5000/acme/app:v1: manifest: HTTP 418 (DENIED: denied for Basic *** and ***)');
  });
});

describe('redirects (a local stand-in: the filesystem driver never redirects)', () => {
  test('Authorization is kept on the same origin and dropped for another host', async () => {
    const seen: { host: string; path: string; authorization?: string }[] = [];
    const blob = Buffer.from('layer bytes');
    const digest = sha256(blob);
    const cdn = http.createServer((req, res) => {
      seen.push({ host: 'cdn', path: req.url ?? '', authorization: req.headers.authorization });
      res.end(blob);
    });
    await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
    const cdnPort = (cdn.address() as AddressInfo).port;
    const api = http.createServer((req, res) => {
      seen.push({ host: 'api', path: req.url ?? '', authorization: req.headers.authorization });
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        res.end();
      } else if (req.url?.includes('/blobs/')) {
        res.writeHead(307, { location: '/v2/redirected/blob' });
        res.end();
      } else {
        // another origin (another port is enough)
        res.writeHead(302, { location: `http://127.0.0.1:${cdnPort}/blob?sig=abc` });
        res.end();
      }
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      const c = createRegistryClient({ insecure: true, credentials: { [host]: { username: 'u', password: 'p4ssw0rd' } } });
      const bytes = await c.fetchBlob(ref(`${host}/acme/app:v1`), digest);
      expect(Buffer.from(bytes).toString()).toBe('layer bytes');
      expect(seen.map((s) => [s.host, s.path.split('?')[0], s.authorization !== undefined])).toEqual([
        ['api', `/v2/acme/app/blobs/${digest}`, false],
        ['api', `/v2/acme/app/blobs/${digest}`, true],
        ['api', '/v2/redirected/blob', true],
        ['cdn', '/blob', false]
      ]);
    } finally {
      for (const s of [api, cdn]) {
        s.close();
        s.closeAllConnections();
      }
    }
  });
});
