/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution/registry 2.8) on 127.0.0.1.
 *
 * - `startRegistry()` writes a config.yml into a temp dir (filesystem storage there, the in-memory blob
 *   descriptor cache Debian's packaged config has, deletes enabled, log level error), picks a free port,
 *   spawns `docker-registry serve config.yml` (GOGC=REGISTRY_GOGC) and waits for `GET /v2/`;
 *   `cpuSeconds()` reads the CPU time it has used (the bench divides it by the requests it served).
 * - auth `basic`: an htpasswd file with a pre-computed bcrypt hash (cost 4) of BASIC_PASSWORD, so no
 *   bcrypt tool or library is needed.
 * - auth `bearer`: a token server in the test process (node:http on 127.0.0.1) signs RS256 JWTs with a key
 *   whose self-signed certificate (made with the `openssl` CLI) is the registry's `rootcertbundle`; the
 *   JWT header carries the certificate in `x5c`. It checks Basic credentials when the client sends them
 *   (BASIC_USER / BASIC_PASSWORD), grants `pull` anonymously and `push,pull` to that user.
 * - `push()` / `pushImage()` / `pushIndex()` upload blobs and manifests through the Distribution API with
 *   the helper's own credentials; they are not counted in `requests` (the token server's log).
 *   `registryPusher()` makes the same functions for another endpoint (the referrers proxy).
 *
 * `registryAvailable()` tells whether the binary is installed; `requireRegistry()` makes a suite fail
 * in CI (process.env.CI) and skip with a warning locally when it is not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_BIN = 'docker-registry';
export const BASIC_USER = 'tester';
export const BASIC_PASSWORD = 's3cret-test-pw';
/** bcrypt (cost 4) of BASIC_PASSWORD, made once with libxcrypt's crypt(3). */
const BASIC_HASH = '$2b$04$M84QsXAlylQBCDK6X22Ug.0uZSJ6j6K.4Adx5NcfAF7sP..6IA1/y';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const;

export type RegistryAuth = 'none' | 'basic' | 'bearer';

export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
}

export interface PushedManifest {
  digest: string;
  /** The exact bytes that were PUT. */
  bytes: Buffer;
  mediaType: string;
}

/** Uploads through the Distribution API (the test's own minimal client, with push rights). */
export interface Pusher {
  /** Pushes blobs (skipping those already there) and then the manifest under `reference` (a tag or digest). */
  push(repo: string, reference: string, manifest: string | Buffer | object, blobs?: readonly Blob[], mediaType?: string): Promise<PushedManifest>;
  /** A synthetic single-platform image (config + one layer + OCI manifest) under `tag`. */
  pushImage(repo: string, tag: string, opts?: { platform?: string; seed?: string; docker?: boolean }): Promise<PushedManifest>;
  /** Two (or more) platform images pushed by digest and an OCI index over them under `tag`. */
  pushIndex(
    repo: string,
    tag: string,
    platforms?: readonly string[],
    opts?: { seed?: string; docker?: boolean }
  ): Promise<PushedManifest & { platforms: { platform: string; digest: string }[] }>;
}

export interface TestRegistry extends Pusher {
  /** `127.0.0.1:<port>` */
  host: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  auth: RegistryAuth;
  /** Requests the token server received (bearer only), newest last. */
  tokenRequests: { scope: string | null; service: string | null; user: string | undefined }[];
  /** CPU seconds (user + system) the registry process has used so far (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const sha256 = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

export function blobOf(data: Buffer | string): Blob {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return { digest: sha256(buf), size: buf.length, data: buf };
}

export function registryAvailable(): boolean {
  return spawnSync('sh', ['-c', `command -v ${REGISTRY_BIN}`], { stdio: 'ignore' }).status === 0;
}

/**
 * True when the registry can be used. Missing binary: throws in CI (a suite must never silently skip
 * there), warns and returns false locally so the caller can skip.
 */
export function requireRegistry(): boolean {
  if (registryAvailable()) return true;
  const msg = `${REGISTRY_BIN} is not installed: run 'bash scripts/install-test-deps.sh' (as root: apt-get install -y docker-registry openssl)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`skipping registry tests: ${msg}`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

interface TokenServer {
  realm: string;
  certFile: string;
  mint(access: { type: string; name: string; actions: string[] }[]): string;
  requests: TestRegistry['tokenRequests'];
  close(): Promise<void>;
}

/**
 * The registry's Go GC target. Distribution 2.8 compiles its whole route table (gorilla/mux regexps) for
 * every request, and at Go's default of 100 a third of its CPU goes to collecting that garbage. This
 * registry stands in for a remote one and shares the machine's cores with the client under test, so its
 * collector runs less often (peak RSS about 60 MB instead of 35 MB). `CG_REGISTRY_GOGC` overrides it (100 =
 * the registry as Debian runs it).
 */
export const REGISTRY_GOGC = Number(process.env.CG_REGISTRY_GOGC ?? 400);

const SERVICE = 'container-guard-test-registry';
const ISSUER = 'container-guard-test-issuer';

async function startTokenServer(dir: string): Promise<TokenServer> {
  const keyFile = path.join(dir, 'token.key');
  const certFile = path.join(dir, 'token.crt');
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=container-guard-test-token'],
    { encoding: 'utf8' }
  );
  if (r.status !== 0) throw new Error(`openssl could not make the token certificate: ${r.stderr || r.error?.message}`);
  const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
  const der = new crypto.X509Certificate(fs.readFileSync(certFile)).raw.toString('base64');
  const mint = (access: { type: string; name: string; actions: string[] }[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [der] }));
    const claims = b64url(
      JSON.stringify({ iss: ISSUER, sub: BASIC_USER, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: crypto.randomUUID(), access })
    );
    const sig = crypto.sign('sha256', Buffer.from(`${header}.${claims}`), key);
    return `${header}.${claims}.${b64url(sig)}`;
  };
  const requests: TestRegistry['tokenRequests'] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scope = u.searchParams.get('scope');
    const service = u.searchParams.get('service');
    let user: string | undefined;
    const authz = req.headers.authorization;
    if (authz?.startsWith('Basic ')) {
      const [name, ...pw] = Buffer.from(authz.slice(6), 'base64').toString('utf8').split(':');
      if (name !== BASIC_USER || pw.join(':') !== BASIC_PASSWORD) {
        requests.push({ scope, service, user: name });
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    }
    requests.push({ scope, service, user });
    const access: { type: string; name: string; actions: string[] }[] = [];
    for (const s of scope ? scope.split(' ') : []) {
      const [type, name, actions] = s.split(':');
      if (!type || !name || !actions) continue;
      const wanted = actions.split(',');
      access.push({ type, name, actions: wanted.filter((a) => a === 'pull' || (user !== undefined && (a === 'push' || a === 'delete'))) });
    }
    const token = mint(access);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certFile,
    mint,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

export async function startRegistry(options: { auth?: RegistryAuth } = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  let tokens: TokenServer | undefined;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`,
    // As Debian's packaged /etc/docker/registry/config.yml has it.
    '  cache:',
    '    blobdescriptor: inmemory',
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: ${crypto.randomBytes(16).toString('hex')}`
  ];
  if (auth === 'basic') {
    fs.writeFileSync(path.join(dir, 'htpasswd'), `${BASIC_USER}:${BASIC_HASH}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: container-guard-test', `    path: ${JSON.stringify(path.join(dir, 'htpasswd'))}`);
  } else if (auth === 'bearer') {
    tokens = await startTokenServer(dir);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${tokens.realm}`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${JSON.stringify(tokens.certFile)}`
    );
  }
  const configFile = path.join(dir, 'config.yml');
  fs.writeFileSync(configFile, lines.join('\n') + '\n');

  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configFile], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOGC: String(REGISTRY_GOGC) }
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));

  const cleanup = async () => {
    if (exited === undefined && child.exitCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    await tokens?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited !== undefined) {
      await cleanup();
      throw new Error(`${REGISTRY_BIN} exited with ${exited}: ${stderr.trim()}`);
    }
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`${REGISTRY_BIN} did not answer GET /v2/ within 15 s: ${stderr.trim()}`);
    }
    await sleep(50);
  }

  const authFor = (repo: string): Record<string, string> => {
    if (auth === 'basic') return { authorization: `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}` };
    if (auth === 'bearer' && tokens) return { authorization: `Bearer ${tokens.mint([{ type: 'repository', name: repo, actions: ['push', 'pull'] }])}` };
    return {};
  };

  const pusher = registryPusher(url, authFor);

  return {
    host,
    url,
    auth,
    tokenRequests: tokens?.requests ?? [],
    ...pusher,
    cpuSeconds: () => {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: cleanup
  };
}

/** push / pushImage / pushIndex against the Distribution API at `url`, with `authFor(repo)` headers. */
export function registryPusher(url: string, authFor: (repo: string) => Record<string, string>): Pusher {
  const call = async (method: string, target: string, repo: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Response> => {
    const res = await fetch(new URL(target, url), { method, headers: { ...authFor(repo), ...headers }, body, redirect: 'manual' });
    return res;
  };

  const pushBlob = async (repo: string, blob: Blob): Promise<void> => {
    const head = await call('HEAD', `/v2/${repo}/blobs/${blob.digest}`, repo);
    if (head.status === 200) return;
    const start = await call('POST', `/v2/${repo}/blobs/uploads/`, repo);
    await start.arrayBuffer();
    if (start.status !== 202) throw new Error(`blob upload start for ${repo}: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', url);
    location.searchParams.set('digest', blob.digest);
    const put = await call('PUT', location.toString(), repo, { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) }, blob.data);
    const text = await put.text();
    if (put.status !== 201) throw new Error(`blob upload for ${repo}: HTTP ${put.status} ${text}`);
  };

  const push: Pusher['push'] = async (repo, reference, manifest, blobs = [], mediaType) => {
    for (const b of blobs) await pushBlob(repo, b);
    const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    const type = mediaType ?? (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? MEDIA.ociManifest;
    const res = await call('PUT', `/v2/${repo}/manifests/${reference}`, repo, { 'content-type': type }, bytes);
    const text = await res.text();
    if (res.status !== 201) throw new Error(`manifest PUT ${repo}:${reference}: HTTP ${res.status} ${text}`);
    return { digest: sha256(bytes), bytes, mediaType: type };
  };

  const imageParts = (platform: string, seed: string, docker: boolean) => {
    const [osName, architecture, variant] = platform.split('/');
    const layer = blobOf(crypto.createHash('sha512').update(`layer ${platform} ${seed}`).digest());
    const config = blobOf(
      JSON.stringify({
        architecture,
        os: osName,
        ...(variant ? { variant } : {}),
        config: { Env: ['PATH=/usr/bin'], Labels: { seed } },
        rootfs: { type: 'layers', diff_ids: [sha256(layer.data)] }
      })
    );
    const manifest = {
      schemaVersion: 2,
      mediaType: docker ? MEDIA.dockerManifest : MEDIA.ociManifest,
      config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : MEDIA.ociConfig, digest: config.digest, size: config.size },
      layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : MEDIA.ociLayer, digest: layer.digest, size: layer.size }]
    };
    return { manifest, blobs: [config, layer], os: osName!, architecture: architecture!, variant };
  };

  return {
    push,
    async pushImage(repo, tag, opts = {}) {
      const parts = imageParts(opts.platform ?? 'linux/amd64', opts.seed ?? tag, opts.docker ?? false);
      // Pretty-printed on purpose: the digest is over these exact bytes, not a re-serialisation.
      return push(repo, tag, JSON.stringify(parts.manifest, null, 2), parts.blobs);
    },
    async pushIndex(repo, tag, platforms = ['linux/amd64', 'linux/arm64/v8'], opts = {}) {
      const docker = opts.docker ?? false;
      const entries: object[] = [];
      const out: { platform: string; digest: string }[] = [];
      for (const p of platforms) {
        const parts = imageParts(p, `${opts.seed ?? tag} ${p}`, docker);
        const pushed = await push(repo, sha256(JSON.stringify(parts.manifest)), JSON.stringify(parts.manifest), parts.blobs);
        entries.push({
          mediaType: pushed.mediaType,
          digest: pushed.digest,
          size: pushed.bytes.length,
          platform: { architecture: parts.architecture, os: parts.os, ...(parts.variant ? { variant: parts.variant } : {}) }
        });
        out.push({ platform: p, digest: pushed.digest });
      }
      const index = { schemaVersion: 2, mediaType: docker ? MEDIA.dockerList : MEDIA.ociIndex, manifests: entries };
      const pushed = await push(repo, tag, JSON.stringify(index, null, 1));
      return { ...pushed, platforms: out };
    }
  };
}

/** A cosign signature layer: the exact payload bytes and the annotations cosign puts on the layer. */
export interface CosignLayer {
  payload: Buffer;
  /** base64 DER ECDSA signature (`dev.cosignproject.cosign/signature`); omitted when undefined. */
  signature?: string;
  annotations?: Record<string, string>;
}

/** cosign's simple-signing payload, byte for byte as cosign marshals it (Go's encoding/json key order). */
export function cosignPayload(dockerReference: string, digest: string, optional: Record<string, unknown> | null = null): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional
    })
  );
}

/**
 * A cosign signature manifest as `cosign sign --key` writes it (go-containerregistry's empty image plus
 * one layer per signature): an OCI image manifest whose config is the image config go-containerregistry
 * makes (`application/vnd.oci.image.config.v1+json`, zero time, the payload digests as rootfs diff_ids)
 * and whose layers are `application/vnd.dev.cosign.simplesigning.v1+json` blobs.
 * With `artifactType`/`subject` it is an OCI 1.1 referrer instead (cosign's `--registry-referrers-mode
 * oci-1-1` shape: empty config `application/vnd.oci.empty.v1+json`).
 */
export function cosignSignatureManifest(
  layers: readonly CosignLayer[],
  referrer?: { artifactType: string; subject: { mediaType: string; digest: string; size: number }; layerMediaType?: string }
): { manifest: object; blobs: Blob[] } {
  const payloads = layers.map((l) => blobOf(l.payload));
  const config = referrer
    ? blobOf('{}')
    : blobOf(
        JSON.stringify({
          architecture: '',
          created: '0001-01-01T00:00:00Z',
          history: [{ created: '0001-01-01T00:00:00Z' }],
          os: '',
          rootfs: { type: 'layers', diff_ids: payloads.map((p) => p.digest) },
          config: {}
        })
      );
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    ...(referrer ? { artifactType: referrer.artifactType } : {}),
    config: { mediaType: referrer ? 'application/vnd.oci.empty.v1+json' : MEDIA.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l, i) => ({
      mediaType: referrer?.layerMediaType ?? 'application/vnd.dev.cosign.simplesigning.v1+json',
      digest: payloads[i]!.digest,
      size: payloads[i]!.size,
      annotations: { ...(l.signature !== undefined ? { 'dev.cosignproject.cosign/signature': l.signature } : {}), ...l.annotations }
    })),
    ...(referrer ? { subject: referrer.subject } : {})
  };
  return { manifest, blobs: [config, ...payloads] };
}

/** Pushes a cosign signature under the legacy tag `sha256-<hex>.sig` (or `tag`). */
export async function pushCosignSignature(
  reg: Pick<Pusher, 'push'>,
  repo: string,
  imageDigest: string,
  layers: readonly CosignLayer[],
  tag?: string
): Promise<PushedManifest> {
  const { manifest, blobs } = cosignSignatureManifest(layers);
  return reg.push(repo, tag ?? `${imageDigest.replace(':', '-')}.sig`, JSON.stringify(manifest), blobs);
}

/**
 * OCI 1.1 referrers through the tag schema (for registries without the referrers API): each referrer
 * manifest is pushed by digest, then an OCI index of them, with their artifactType, under `sha256-<hex>`.
 * `entryArtifactType` writes another artifactType into the index entry (cosign 3.0.x writes
 * `application/vnd.oci.empty.v1+json`), or none with `null`.
 */
export async function pushReferrersFallback(
  reg: Pick<Pusher, 'push'>,
  repo: string,
  subject: PushedManifest,
  referrers: readonly {
    artifactType: string;
    layers: readonly CosignLayer[];
    layerMediaType?: string;
    subjectDigest?: string;
    entryArtifactType?: string | null;
  }[]
): Promise<PushedManifest & { referrers: PushedManifest[] }> {
  const pushed: PushedManifest[] = [];
  const entries: object[] = [];
  for (const r of referrers) {
    const subjectDesc = { mediaType: subject.mediaType, digest: r.subjectDigest ?? subject.digest, size: subject.bytes.length };
    const { manifest, blobs } = cosignSignatureManifest(r.layers, { artifactType: r.artifactType, subject: subjectDesc, layerMediaType: r.layerMediaType });
    const bytes = JSON.stringify(manifest);
    const p = await reg.push(repo, sha256(bytes), bytes, blobs);
    pushed.push(p);
    const entryType = r.entryArtifactType === undefined ? r.artifactType : r.entryArtifactType;
    entries.push({ mediaType: p.mediaType, digest: p.digest, size: p.bytes.length, ...(entryType !== null ? { artifactType: entryType } : {}) });
  }
  const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: entries };
  const p = await reg.push(repo, subject.digest.replace(':', '-'), JSON.stringify(index));
  return { ...p, referrers: pushed };
}

/**
 * One OCI 1.1 referrer (cosign's `--registry-referrers-mode oci-1-1` shape) pushed by digest, no index:
 * an OCI 1.1 registry (here the referrers proxy) lists it from its `subject`.
 */
export async function pushReferrer(
  reg: Pick<Pusher, 'push'>,
  repo: string,
  subject: PushedManifest,
  referrer: { artifactType: string; layers: readonly CosignLayer[]; layerMediaType?: string; subjectDigest?: string }
): Promise<PushedManifest> {
  const subjectDesc = { mediaType: subject.mediaType, digest: referrer.subjectDigest ?? subject.digest, size: subject.bytes.length };
  const { manifest, blobs } = cosignSignatureManifest(referrer.layers, {
    artifactType: referrer.artifactType,
    subject: subjectDesc,
    layerMediaType: referrer.layerMediaType
  });
  const bytes = JSON.stringify(manifest);
  return reg.push(repo, sha256(bytes), bytes, blobs);
}

/** A forward proxy that only tunnels (HTTP CONNECT), recording each tunnel's target. */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `host:port` of every CONNECT, in order. */
  tunnels: string[];
  stop(): Promise<void>;
}

/**
 * A tiny CONNECT proxy on 127.0.0.1 (node:http's `connect` event piped to node:net): what HTTPS_PROXY /
 * HTTP_PROXY point at in the proxy tests. Plain requests (no CONNECT) get a 405, so a client that does not
 * tunnel is noticed.
 */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/** A TCP server that accepts connections and never answers: a hanging registry. */
export async function startHangingServer(): Promise<{ host: string; connections: () => number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    connections: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}
