/**
 * An OCI Distribution client: the foundation of the `verify` action (docs/verify-registry.md).
 *
 * - `resolve(ref)` GETs a manifest by tag or digest (OCI index/manifest, Docker manifest list/v2), checks
 *   the digest over the raw bytes against `Docker-Content-Digest` and against a pinned digest, and
 *   lists per-platform digests of an index. For `tag@digest` the tag is looked up too (HEAD, which
 *   Docker Hub does not count against the pull limit) and drift is reported as data, as is a pinned
 *   digest the registry does not have. A missing tag without a digest is a RegistryError.
 * - Transport: undici's `request` over one keep-alive dispatcher per client; HTTPS_PROXY / HTTP_PROXY /
 *   NO_PROXY through undici's EnvHttpProxyAgent (Node 20 and 24 alike). `fetch` replaces it in tests.
 * - Auth: anonymous, Basic, the Bearer token flow from `WWW-Authenticate` and the OAuth2 refresh-token
 *   grant for identity tokens. One token request per (realm, service, scope, registry), shared by
 *   concurrent requests and reused until it expires. Credentials may come from a function that returns a
 *   Promise (a credential helper), looked up once per registry. Redirects are followed by hand;
 *   Authorization never goes to another origin.
 * - `referrers(ref, digest)` asks the OCI 1.1 referrers API (`GET /v2/<repo>/referrers/<digest>`, Link
 *   pages followed, bounded); 400/404/405/501 mean the registry has no such API and are data,
 *   `{ supported: false }`. `tags(ref)` lists a repository's tags once (undefined when unusable).
 * - 429 and 500/502/503/504 are retried (bounded, `maxRetries`): after Retry-After when the registry sends
 *   one, else with exponential backoff. Everything is resolved once per client (per run).
 * - Time: a per-request timeout (`timeoutMs`, default 30 s) and a deadline for the whole client
 *   (`deadlineMs`, default 10 min); both fail with a message naming the host.
 * - Every body is read with a size cap (manifests and referrers 4 MiB, blobs per call, tokens 1 MiB);
 *   malformed JSON is a RegistryError naming the reference; an unreachable registry (refused, DNS,
 *   timeout, TLS, proxy) is a one-line RegistryError naming the registry host.
 * - Credentials never appear in a message: errors name the reference and the status, and any text that
 *   comes from a server is passed through `redact` first.
 */
import crypto from 'node:crypto';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { DOCKER_HUB, normalizeImage, type ImageRef } from '../../core/image-ref.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const;

const ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest].join(', ');
const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
/** containerd's limit for a manifest; a real one is a few KiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** Statuses worth another try: rate limits and a registry (or its load balancer) having a bad moment. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** First backoff without Retry-After: 429 → 1 s, 2 s, 4 s; 5xx → 0.5 s, 1 s, 2 s. */
const BACKOFF_MS = { rateLimited: 1000, serverError: 500 } as const;
/**
 * Statuses of a registry that has no referrers API: the spec says 404; registries without it also answer
 * 400 (the path is not a manifest or blob route), 405 or 501.
 */
const NO_REFERRERS_API = new Set([400, 404, 405, 501]);
/** Tag lists: asked in pages of this many; more pages than this and the list is not used (tags are asked one by one). */
const TAGS_PAGE_SIZE = 1000;
const MAX_TAG_PAGES = 16;
/** Pages of a referrers answer followed through `Link: <…>; rel="next"`. */
const MAX_REFERRERS_PAGES = 16;
/** Per-request timeout and the run's overall deadline, when not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_DEADLINE_MS = 600_000;
/** Connections per registry origin kept open and reused (keep-alive). */
const CONNECTIONS_PER_ORIGIN = 16;
/** As distribution/reference spells a digest: no `/`, `?` or `#` can get into a URL path through it. */
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export class RegistryError extends Error {
  constructor(
    /** The reference as the user wrote it (normalized). */
    readonly reference: string,
    readonly detail: string,
    readonly status?: number
  ) {
    super(`${reference}: ${detail}`);
    this.name = 'RegistryError';
    // A user-facing message, not a crash: no stack to print.
    this.stack = `${this.name}: ${this.message}`;
  }
}

export interface RegistryCredentials {
  username: string;
  password: string;
  /**
   * An OAuth2 refresh token (Docker config `identitytoken`, or a credential helper's secret for user
   * `<token>`): exchanged at the token service as `grant_type=refresh_token`, as the Docker CLI does.
   */
  identityToken?: string;
}

/** Credentials for a registry host; may be looked up lazily (a credential helper). */
export type CredentialSource =
  Record<string, RegistryCredentials> | ((registry: string) => RegistryCredentials | undefined | Promise<RegistryCredentials | undefined>);

export interface RegistryClientOptions {
  /** Credentials per registry host as written in references (`ghcr.io`, `docker.io`, `127.0.0.1:5000`). */
  credentials?: CredentialSource;
  /** Plain http for loopback registries (127.0.0.1, localhost, ::1); never for other hosts. */
  insecure?: boolean;
  /**
   * Other hosts (`host[:port]`, lower case) reached over plain http (`--insecure-registry`): every request
   * to exactly these hosts goes out as http (a token realm there must still be https or loopback).
   */
  plainHttpHosts?: readonly string[];
  /** For tests: count or fake requests. */
  fetch?: typeof fetch;
  /** Retries of a 429/500/502/503/504 response (default 3). */
  maxRetries?: number;
  /** Longest Retry-After we wait for (default 30 s); a longer one is an error right away. */
  maxRetryAfterMs?: number;
  /** Per request, from sending it to the last byte of the answer (default 30 s). */
  timeoutMs?: number;
  /** For the whole client (the run) from its creation (default 10 min): no request starts or waits past it. */
  deadlineMs?: number;
  /**
   * Environment the proxy settings are read from (default process.env): HTTPS_PROXY / HTTP_PROXY /
   * NO_PROXY, lower case first as curl does. Ignored when `fetch` is given.
   */
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
  /** For tests: replaces the wait before a retry. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PlatformManifest {
  /** `os/architecture[/variant]` */
  platform: string;
  digest: string;
  mediaType?: string;
}

/** What the tag of a `tag@digest` reference points to now. */
export interface TagState {
  tag: string;
  /** undefined: the tag does not exist (any more). */
  digest?: string;
  /** The tag points somewhere else than the pinned digest (or nowhere). */
  drift: boolean;
}

export interface ResolvedManifest {
  found: true;
  /** The normalized reference (`docker.io/library/nginx:1.27@sha256:…`). */
  reference: string;
  /** What the reference pulls: the pinned digest when there is one, else the tag's. */
  digest: string;
  mediaType: string;
  manifest: unknown;
  /** Per-platform manifests of an index / manifest list (attestation manifests left out). */
  platforms?: PlatformManifest[];
  tag?: TagState;
}

/** A pinned digest the registry does not have (404): data for the caller to report, not an error. */
export interface MissingDigest {
  found: false;
  reference: string;
  digest: string;
  tag?: TagState;
}

export type Resolution = ResolvedManifest | MissingDigest;

/**
 * What the OCI 1.1 referrers API answered. `supported: false`: the registry has no referrers API (404),
 * so the caller reads the referrers tag schema (`sha256-<hex>`) instead. `supported: true`: `index` is the
 * OCI image index the registry sent (checked to be a JSON object with a `manifests` array), already
 * filtered by artifactType when one was asked for: by the registry when it says so in
 * `OCI-Filters-Applied`, else here.
 */
export type ReferrersAnswer = { supported: false } | { supported: true; index: unknown; filtersApplied?: string[] };

export interface RegistryEndpoint {
  /** `https://registry-1.docker.io` */
  baseUrl: string;
  /** The repository path as the registry's API wants it (`library/nginx`). */
  repository: string;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?$/i;

/** Pure: where the Distribution API of a reference lives (Docker Hub's quirks included). */
export function registryEndpoint(ref: Pick<ImageRef, 'registry' | 'repository'>, opts: { insecure?: boolean } = {}): RegistryEndpoint {
  let host = ref.registry.toLowerCase();
  const hub = host === DOCKER_HUB || host === 'index.docker.io' || host === 'registry-1.docker.io';
  if (hub) host = 'registry-1.docker.io';
  const repository = hub && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  const scheme = opts.insecure && LOOPBACK.test(host) ? 'http' : 'https';
  return { baseUrl: `${scheme}://${host}`, repository };
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"` */
export function parseWwwAuthenticate(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  return { scheme: m[1]!.toLowerCase(), params };
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function platformOf(p: unknown): string | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const { os, architecture, variant } = p as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return typeof variant === 'string' && variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

function digestOf(bytes: Uint8Array, algorithm: string): string | undefined {
  if (algorithm !== 'sha256' && algorithm !== 'sha384' && algorithm !== 'sha512') return undefined;
  return `${algorithm}:${crypto.createHash(algorithm).update(bytes).digest('hex')}`;
}

interface Fetched {
  status: number;
  headers: { get(name: string): string | null };
  body: Uint8Array;
  /** With `stream`: the body of a 200 answer, not read yet (the caller consumes it). */
  stream?: AsyncIterable<Uint8Array>;
  /** Set on a final 401: whether credentials were sent. */
  sentCredentials?: boolean;
  /** How many times the request was sent (retries included). */
  attempts?: number;
}

/** A Bearer token being fetched or fetched, with when to stop using it. */
interface CachedToken {
  token: Promise<string>;
  expiresAt: number;
}

/** The proxy settings of an environment, lower case first (as curl and undici read them). */
export function proxySettings(env: NodeJS.ProcessEnv): { httpProxy?: string; httpsProxy?: string; noProxy: string } {
  const pick = (name: string) => {
    const v = env[name.toLowerCase()] ?? env[name];
    return v && v.trim() ? v.trim() : undefined;
  };
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY') ?? httpProxy;
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), noProxy: pick('NO_PROXY') ?? '' };
}

/** A proxy URL without its credentials, for messages. */
function proxyLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'a value that is not a URL';
  }
}

/** Response headers as the client reads them (names in lower case). */
interface HeaderBag {
  get(name: string): string | null;
}

/** An answer as the client reads it, whichever way it was fetched. */
interface RawResponse {
  status: number;
  headers: HeaderBag;
  body: AsyncIterable<Uint8Array> | null;
  /** Drops the rest of the body (the connection stays reusable when it can). */
  cancel(): Promise<void>;
}

type Sender = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<RawResponse>;

/** The caller's fetch (tests), adapted. */
function fetchSender(f: typeof fetch): Sender {
  return async (url, init) => {
    const res = await f(url, { ...init, redirect: 'manual' });
    return {
      status: res.status,
      headers: res.headers,
      body: res.body as unknown as AsyncIterable<Uint8Array> | null,
      cancel: async () => void (await res.body?.cancel().catch(() => undefined))
    };
  };
}

/**
 * undici's `request` over one dispatcher per client: keep-alive connections reused across requests (per
 * origin), far less work per request than fetch, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY honoured through
 * undici's EnvHttpProxyAgent on every Node version (Node 20's global fetch ignores them; Node 24 only with
 * NODE_USE_ENV_PROXY). Redirects are not followed here (the client follows them itself).
 */
function transport(env: NodeJS.ProcessEnv): { send: Sender; dispatcher: Dispatcher } {
  const agentOpts = { connections: CONNECTIONS_PER_ORIGIN, keepAliveTimeout: 10_000, pipelining: 1 };
  const proxy = proxySettings(env);
  for (const [name, value] of [
    ['HTTPS_PROXY', proxy.httpsProxy],
    ['HTTP_PROXY', proxy.httpProxy]
  ] as const) {
    if (value === undefined) continue;
    let u: URL | undefined;
    try {
      u = new URL(value);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      throw new Error(`${name} is set to ${proxyLabel(value)}: a proxy must be an http:// or https:// URL such as http://proxy.internal:3128`);
  }
  const dispatcher: Dispatcher =
    proxy.httpProxy || proxy.httpsProxy ? withoutWarning('UNDICI-EHPA', () => new EnvHttpProxyAgent({ ...agentOpts, ...proxy })) : new Agent(agentOpts);
  const send: Sender = async (url, init) => {
    const u = new URL(url);
    const r = await dispatcher.request({
      origin: u.origin,
      path: `${u.pathname}${u.search}`,
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: init.signal
    });
    // undici gives the names in lower case; read as they are (no Headers object per response).
    const raw = r.headers;
    const headers: HeaderBag = {
      get: (name) => {
        const v = raw[name];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      }
    };
    return { status: r.statusCode, headers, body: r.body, cancel: async () => void (await r.body.dump().catch(() => undefined)) };
  };
  return { send, dispatcher };
}

/**
 * Runs `make` with one process warning silenced: undici 6 flags EnvHttpProxyAgent "experimental" (an API
 * stability note for its callers; the version is pinned here), which would otherwise print on every run.
 */
function withoutWarning<T>(code: string, make: () => T): T {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const opt = rest[0];
    const given = typeof opt === 'object' && opt !== null ? (opt as { code?: unknown }).code : rest[1];
    if (given === code) return;
    (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = original;
  }
}

/** What the client did, for benchmarks and tests. */
export interface RegistryStats {
  /** HTTP requests sent (redirect hops and retries each count). */
  requests: number;
  /** Of those, requests to token services. */
  tokenRequests: number;
}

export class RegistryClient {
  private sender: Sender | undefined;
  private dispatcher: Dispatcher | undefined;
  private transportError: Error | undefined;
  private readonly cache = new Map<string, Promise<Resolution>>();
  private readonly referrersCache = new Map<string, Promise<ReferrersAnswer>>();
  private readonly tagsCache = new Map<string, Promise<Set<string> | undefined>>();
  /** Bearer tokens per realm, service, scope and registry (whose credentials asked for it). */
  private readonly tokens = new Map<string, CachedToken>();
  /** Per registry origin: the Bearer challenge it sent, so later requests get their token up front. */
  private readonly challenges = new Map<string, { realm: string; service?: string }>();
  /** Registries that asked for Basic: send it up front from then on. */
  private readonly basicHosts = new Set<string>();
  /** Credentials per registry, looked up once (a credential helper runs once per registry). */
  private readonly creds = new Map<string, Promise<RegistryCredentials | undefined>>();
  private readonly secrets = new Set<string>();
  /** Per registry: does it have the OCI 1.1 referrers API? Settled by the first answer (400/404/405/501: no). */
  private readonly referrersApi = new Map<string, Promise<boolean>>();
  private readonly deadlineAt: number;
  readonly stats: RegistryStats = { requests: 0, tokenRequests: 0 };

  constructor(private readonly opts: RegistryClientOptions = {}) {
    this.sender = opts.fetch ? fetchSender(opts.fetch) : undefined;
    this.deadlineAt = Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  }

  /** How requests go out: the caller's fetch, else undici over this client's dispatcher (made on first use). */
  private getSender(): Sender {
    if (this.sender) return this.sender;
    if (this.transportError) throw this.transportError;
    try {
      const t = transport(this.opts.env ?? process.env);
      this.dispatcher = t.dispatcher;
      this.sender = t.send;
      return t.send;
    } catch (e) {
      this.transportError = e as Error;
      throw e;
    }
  }

  /** Closes the kept-alive connections (the process can exit without waiting for them to time out). */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (!this.opts.fetch) this.sender = undefined;
    await d?.close().catch(() => undefined);
  }

  /** Resolves a reference once per client; concurrent calls share the request. */
  resolve(ref: ImageRef): Promise<Resolution> {
    const key = normalizeImage(ref);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.resolveUncached(ref, key);
      this.cache.set(key, hit);
      // A failure (network, auth) is not remembered: a later call may try again.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /**
   * The OCI 1.1 referrers of `digest` in `ref`'s repository (`GET /v2/<repo>/referrers/<digest>`, with
   * `?artifactType=` when given), once per client. Same auth, retries and size cap as a manifest.
   */
  referrers(ref: ImageRef, digest: string, artifactType?: string): Promise<ReferrersAnswer> {
    const subject: ImageRef = { raw: '', registry: ref.registry, repository: ref.repository, digest };
    const reference = normalizeImage(subject);
    if (!DIGEST_RE.test(digest)) return Promise.reject(new RegistryError(reference, 'referrers: not a digest'));
    const key = `${reference}|${artifactType ?? ''}`;
    let hit = this.referrersCache.get(key);
    if (!hit) {
      hit = this.referrersUncached(subject, reference, digest, artifactType);
      this.referrersCache.set(key, hit);
      hit.catch(() => this.referrersCache.delete(key));
    }
    return hit;
  }

  private async referrersUncached(ref: ImageRef, reference: string, digest: string, artifactType: string | undefined): Promise<ReferrersAnswer> {
    const ep = registryEndpoint(ref, this.opts);
    // The API is a registry's feature, not a repository's: the first request per registry settles it, and
    // requests that started meanwhile wait for that answer instead of asking again.
    const known = this.referrersApi.get(ep.baseUrl);
    let settle: ((supported: boolean) => void) | undefined;
    if (known) {
      if (!(await known)) return { supported: false };
    } else this.referrersApi.set(ep.baseUrl, new Promise<boolean>((resolve) => (settle = resolve)));
    const first = `/referrers/${digest}${artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ''}`;
    let res: Fetched;
    try {
      res = await this.request(reference, ref.registry, ep, 'GET', first, { accept: MEDIA_TYPES.ociIndex }, MAX_MANIFEST_BYTES, 'referrers');
    } catch (e) {
      settle?.(true); // no answer about the API: the others ask for themselves
      throw e;
    }
    settle?.(!NO_REFERRERS_API.has(res.status));
    if (NO_REFERRERS_API.has(res.status)) return { supported: false };
    if (res.status !== 200) throw this.statusError(reference, res, 'referrers');
    const index = parseJson(reference, res.body, 'the referrers response');
    if (!isObject(index) || !Array.isArray(index.manifests)) throw new RegistryError(reference, 'the referrers response is not an OCI image index');
    // Pagination (`Link: <…>; rel="next"`), bounded; every page must come from the same registry.
    let pageUrl = new URL(`${ep.baseUrl}/v2/${ep.repository}${first}`);
    for (let page = 1; ; page++) {
      const next = nextLink(res.headers.get('link'));
      if (!next) break;
      let target: URL;
      try {
        target = new URL(next, pageUrl);
      } catch {
        throw new RegistryError(reference, 'referrers: the registry sent an unusable Link to the next page');
      }
      if (target.origin !== pageUrl.origin) throw new RegistryError(reference, `referrers: refusing a next page on another host (${target.host})`);
      if (page >= MAX_REFERRERS_PAGES) throw new RegistryError(reference, `referrers: more than ${MAX_REFERRERS_PAGES} pages of referrers`);
      pageUrl = target;
      res = await this.request(reference, ref.registry, ep, 'GET', '', { accept: MEDIA_TYPES.ociIndex }, MAX_MANIFEST_BYTES, 'referrers', target.toString());
      if (res.status !== 200) throw this.statusError(reference, res, 'referrers (next page)');
      const more = parseJson(reference, res.body, 'the referrers response');
      if (!isObject(more) || !Array.isArray(more.manifests)) throw new RegistryError(reference, 'the referrers response is not an OCI image index');
      (index.manifests as unknown[]).push(...(more.manifests as unknown[]));
      if ((index.manifests as unknown[]).length > MAX_MANIFEST_BYTES / 64)
        throw new RegistryError(reference, 'referrers: the registry lists too many referrers');
    }
    const filtersApplied = (res.headers.get('oci-filters-applied') ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (!artifactType || filtersApplied.includes('artifactType')) return { supported: true, index, filtersApplied };
    // The registry ignored the filter (it may): apply it here, so callers always get what they asked for.
    const manifests = (index.manifests as unknown[]).filter((m) => isObject(m) && m.artifactType === artifactType);
    return { supported: true, index: { ...index, manifests }, filtersApplied };
  }

  /**
   * The tags of `ref`'s repository (`GET /v2/<repo>/tags/list`, Link pages followed), once per client: lets
   * signature discovery skip asking for tags that do not exist (one request per repository instead of a
   * 404 per image). undefined when the list is not usable — any answer but 200, a network error, more than
   * MAX_TAG_PAGES pages, a malformed body — and then callers ask for each tag as before.
   */
  tags(ref: Pick<ImageRef, 'registry' | 'repository'>): Promise<Set<string> | undefined> {
    const key = `${ref.registry}/${ref.repository}`;
    let hit = this.tagsCache.get(key);
    if (!hit) {
      hit = this.tagsUncached(ref).catch(() => undefined);
      this.tagsCache.set(key, hit);
    }
    return hit;
  }

  private async tagsUncached(ref: Pick<ImageRef, 'registry' | 'repository'>): Promise<Set<string> | undefined> {
    const reference = `${ref.registry}/${ref.repository}`;
    const ep = registryEndpoint(ref, this.opts);
    const tags = new Set<string>();
    let url = new URL(`${ep.baseUrl}/v2/${ep.repository}/tags/list?n=${TAGS_PAGE_SIZE}`);
    for (let page = 0; page < MAX_TAG_PAGES; page++) {
      const res = await this.request(reference, ref.registry, ep, 'GET', '', { accept: 'application/json' }, MAX_MANIFEST_BYTES, 'tags', url.toString());
      if (res.status !== 200) return undefined;
      const body = parseJson(reference, res.body, 'the tag list');
      if (!isObject(body) || (body.tags !== null && !Array.isArray(body.tags))) return undefined;
      for (const t of (body.tags ?? []) as unknown[]) if (typeof t === 'string') tags.add(t);
      const next = nextLink(res.headers.get('link'));
      if (!next) return tags;
      const target = new URL(next, url);
      if (target.origin !== url.origin) return undefined;
      url = target;
    }
    return undefined;
  }

  /** A blob's bytes, checked against its digest (registries often redirect blobs to a CDN). */
  /**
   * A blob as a stream (image layers): never held whole. The caller checks the digest as it reads
   * (src/io/image/walk.ts); a broken connection is a RegistryError naming the blob.
   */
  async openBlob(ref: ImageRef, digest: string): Promise<AsyncIterable<Uint8Array>> {
    const reference = normalizeImage(ref);
    const ep = registryEndpoint(ref, this.opts);
    const res = await this.request(reference, ref.registry, ep, 'GET', `/blobs/${digest}`, {}, 1 << 20, `blob ${digest}`, undefined, true);
    if (res.status === 404) throw new RegistryError(reference, `blob ${digest} not found`, 404);
    if (res.status !== 200 || !res.stream) throw this.statusError(reference, res, `blob ${digest}`);
    return res.stream;
  }

  async fetchBlob(ref: ImageRef, digest: string, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
    const reference = normalizeImage(ref);
    const ep = registryEndpoint(ref, this.opts);
    const res = await this.request(reference, ref.registry, ep, 'GET', `/blobs/${digest}`, {}, maxBytes, `blob ${digest}`);
    if (res.status === 404) throw new RegistryError(reference, `blob ${digest} not found`, 404);
    if (res.status !== 200) throw this.statusError(reference, res, `blob ${digest}`);
    const algorithm = digest.split(':')[0]!;
    const actual = digestOf(res.body, algorithm);
    if (actual && actual !== digest) throw new RegistryError(reference, `blob ${digest} has digest ${actual}: corrupt or tampered content`);
    return res.body;
  }

  private async resolveUncached(ref: ImageRef, reference: string): Promise<Resolution> {
    const ep = registryEndpoint(ref, this.opts);
    if (!ref.digest) {
      const got = await this.getManifest(ref, reference, ep, ref.tag ?? 'latest');
      if (!got) throw new RegistryError(reference, `tag '${ref.tag ?? 'latest'}' not found in ${ref.registry}/${ep.repository}`, 404);
      return { found: true, reference, ...got };
    }
    const [byDigest, tagDigest] = await Promise.all([
      this.getManifest(ref, reference, ep, ref.digest),
      ref.tag ? this.tagDigest(ref, reference, ep, ref.tag) : Promise.resolve(undefined)
    ]);
    const tag: TagState | undefined = ref.tag ? { tag: ref.tag, digest: tagDigest, drift: tagDigest !== ref.digest } : undefined;
    if (!byDigest) return { found: false, reference, digest: ref.digest, ...(tag ? { tag } : {}) };
    return { found: true, reference, ...byDigest, ...(tag ? { tag } : {}) };
  }

  /** undefined on 404 (manifest unknown). */
  private async getManifest(
    ref: ImageRef,
    reference: string,
    ep: RegistryEndpoint,
    target: string
  ): Promise<Omit<ResolvedManifest, 'found' | 'reference' | 'tag'> | undefined> {
    const res = await this.request(reference, ref.registry, ep, 'GET', `/manifests/${target}`, { accept: ACCEPT }, MAX_MANIFEST_BYTES, 'manifest');
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.statusError(reference, res, 'manifest');
    const pinned = target.includes(':') ? target : undefined;
    const header = res.headers.get('docker-content-digest') ?? undefined;
    const algorithm = (pinned ?? header ?? 'sha256:').split(':')[0]!;
    const digest = digestOf(res.body, algorithm);
    if (!digest) throw new RegistryError(reference, `unsupported digest algorithm '${algorithm}'`);
    if (header && header !== digest && header.split(':')[0] === algorithm)
      throw new RegistryError(reference, `the registry says the manifest is ${header} but its bytes hash to ${digest}: corrupt or tampered response`);
    if (pinned && pinned !== digest)
      throw new RegistryError(reference, `asked for ${pinned} but the manifest's bytes hash to ${digest}: corrupt or tampered response`);
    const manifest = parseJson(reference, res.body, 'the manifest');
    if (!isObject(manifest)) throw new RegistryError(reference, 'the manifest is not a JSON object');
    const m = manifest;
    const contentType = res.headers.get('content-type')?.split(';')[0]?.trim();
    const mediaType = typeof m.mediaType === 'string' ? m.mediaType : (contentType ?? MEDIA_TYPES.ociManifest);
    const out: Omit<ResolvedManifest, 'found' | 'reference' | 'tag'> = { digest, mediaType, manifest };
    if (INDEX_TYPES.has(mediaType) || Array.isArray(m.manifests)) {
      const platforms: PlatformManifest[] = [];
      for (const e of Array.isArray(m.manifests) ? (m.manifests as Record<string, unknown>[]) : []) {
        if (!e || typeof e.digest !== 'string') continue;
        const annotations = (e.annotations ?? {}) as Record<string, unknown>;
        if (annotations['vnd.docker.reference.type'] === 'attestation-manifest') continue;
        const platform = platformOf(e.platform);
        if (!platform || platform === 'unknown/unknown') continue;
        platforms.push({ platform, digest: e.digest, ...(typeof e.mediaType === 'string' ? { mediaType: e.mediaType } : {}) });
      }
      out.platforms = platforms;
    }
    return out;
  }

  /** The digest a tag points to now (HEAD; GET when the registry sends no digest header); undefined on 404. */
  private async tagDigest(ref: ImageRef, reference: string, ep: RegistryEndpoint, tag: string): Promise<string | undefined> {
    const res = await this.request(reference, ref.registry, ep, 'HEAD', `/manifests/${tag}`, { accept: ACCEPT }, 0, `tag '${tag}'`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.statusError(reference, res, `tag '${tag}'`);
    const header = res.headers.get('docker-content-digest');
    if (header) return header;
    return (await this.getManifest(ref, reference, ep, tag))?.digest;
  }

  /** The credentials for a registry, looked up once per client (concurrent callers share the lookup). */
  private credentialsFor(registry: string): Promise<RegistryCredentials | undefined> {
    let hit = this.creds.get(registry);
    if (!hit) {
      const c = this.opts.credentials;
      hit = Promise.resolve(typeof c === 'function' ? c(registry) : c && Object.hasOwn(c, registry) ? c[registry] : undefined).then((creds) => {
        if (creds) {
          if (creds.password) this.secrets.add(creds.password);
          if (creds.identityToken) this.secrets.add(creds.identityToken);
          this.secrets.add(Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
        }
        return creds;
      });
      this.creds.set(registry, hit);
    }
    return hit;
  }

  /** Removes credentials and tokens from text that came from a server. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s.length >= 4) out = out.split(s).join('***');
    return out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***');
  }

  private statusError(reference: string, res: Fetched, what: string): RegistryError {
    if (res.status === 401) {
      return new RegistryError(
        reference,
        res.sentCredentials ? 'authentication failed: the registry rejected the credentials' : 'authentication required: no credentials for this registry',
        401
      );
    }
    if (res.status === 403) return new RegistryError(reference, `access denied to the ${what} (HTTP 403): the credentials lack pull permission`, 403);
    if (res.status === 429) return new RegistryError(reference, 'rate limited by the registry (HTTP 429) after retrying; try again later or log in', 429);
    const retried = (res.attempts ?? 1) > 1 ? ` after ${res.attempts} tries` : '';
    let detail = '';
    try {
      const body = JSON.parse(Buffer.from(res.body).toString('utf8')) as { errors?: { code?: string; message?: string }[] };
      detail = (body.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch {
      // not a Distribution error body
    }
    return new RegistryError(reference, `${what}: HTTP ${res.status}${retried}${detail ? ` (${oneLine(this.redact(detail)).slice(0, 300)})` : ''}`, res.status);
  }

  /**
   * One API call with auth, redirects and 429/5xx retries. 401 responses come back to the caller (which
   * reports them) after the auth flow had its one try, with `sentCredentials` set. Once a registry sent a
   * Bearer challenge, later requests get their token before they are sent: one token per scope, shared by
   * concurrent requests.
   */
  private async request(
    reference: string,
    registry: string,
    ep: RegistryEndpoint,
    method: 'GET' | 'HEAD',
    pathTail: string,
    headers: Record<string, string>,
    maxBytes: number,
    what: string,
    absoluteUrl?: string,
    stream = false
  ): Promise<Fetched> {
    const url = absoluteUrl ?? `${ep.baseUrl}/v2/${ep.repository}${pathTail}`;
    const scope = `repository:${ep.repository}:pull`;
    let creds: RegistryCredentials | undefined;
    try {
      creds = await this.credentialsFor(registry);
    } catch (e) {
      // A credential helper that is missing or failed: the images on this registry cannot be checked.
      throw e instanceof RegistryError ? e : new RegistryError(reference, this.redact((e as Error).message));
    }
    const hostKey = ep.baseUrl;
    let used: CachedToken | undefined;
    let authorization: string | undefined;
    const known = this.challenges.get(hostKey);
    if (known) {
      used = this.token(reference, registry, known.realm, known.service, scope, creds);
      authorization = `Bearer ${await used.token}`;
    } else if (creds && this.basicHosts.has(hostKey)) authorization = basic(creds);
    let triedAuth = false;
    for (;;) {
      const res = await this.send(reference, url, method, { ...headers, ...(authorization ? { authorization } : {}) }, maxBytes, what, undefined, stream);
      if (res.status !== 401 || triedAuth) {
        if (res.status === 401) res.sentCredentials = creds !== undefined;
        return res;
      }
      triedAuth = true;
      const challenge = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
      if (challenge?.scheme === 'basic') {
        if (!creds || !creds.password) return { ...res, sentCredentials: creds !== undefined };
        this.basicHosts.add(hostKey);
        authorization = basic(creds);
      } else if (challenge?.scheme === 'bearer' && challenge.params.realm) {
        const { realm, service } = challenge.params;
        this.challenges.set(hostKey, { realm, ...(service !== undefined ? { service } : {}) });
        const wanted = challenge.params.scope ?? scope;
        // The token that was just refused is stale (expired, revoked): drop it, unless another request
        // already replaced it.
        const key = tokenKey(realm, service, wanted, registry);
        if (used && this.tokens.get(key) === used) this.tokens.delete(key);
        used = this.token(reference, registry, realm, service, wanted, creds);
        // The registry asked for another scope than ours: later requests for ours use that token up front.
        if (wanted !== scope) this.tokens.set(tokenKey(realm, service, scope, registry), used);
        authorization = `Bearer ${await used.token}`;
      } else {
        return { ...res, sentCredentials: creds !== undefined };
      }
    }
  }

  /** The token for a scope: cached until it expires, and fetched once however many requests want it. */
  private token(
    reference: string,
    registry: string,
    realm: string,
    service: string | undefined,
    scope: string,
    creds: RegistryCredentials | undefined
  ): CachedToken {
    const key = tokenKey(realm, service, scope, registry);
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit;
    const entry: CachedToken = { token: Promise.resolve(''), expiresAt: Number.POSITIVE_INFINITY };
    entry.token = this.fetchToken(reference, realm, service, scope, creds).then(({ token, expiresInS }) => {
      // Renewed a little early; 60 s when the service does not say (the distribution spec's default).
      entry.expiresAt = Date.now() + Math.max(0, (expiresInS ?? 60) - 10) * 1000;
      return token;
    });
    this.tokens.set(key, entry);
    // A failed token request is not remembered: a later request may try again.
    entry.token.catch(() => {
      if (this.tokens.get(key) === entry) this.tokens.delete(key);
    });
    return entry;
  }

  private async fetchToken(
    reference: string,
    realm: string,
    service: string | undefined,
    scope: string,
    creds: RegistryCredentials | undefined
  ): Promise<{ token: string; expiresInS?: number }> {
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(reference, 'the registry sent an unusable token realm');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.opts.insecure && LOOPBACK.test(url.host)))
      throw new RegistryError(reference, `refusing to request a token over ${url.protocol} from ${url.host}`);
    let res: Fetched;
    if (creds?.identityToken) {
      // OAuth2 refresh-token grant, as the Docker CLI does with an identity token (distribution's token spec).
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'container-guard' });
      if (service) form.set('service', service);
      form.set('scope', scope);
      res = await this.send(reference, url.toString(), 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, 1024 * 1024, 'token', form.toString());
    } else {
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', scope);
      res = await this.send(reference, url.toString(), 'GET', creds?.password ? { authorization: basic(creds) } : {}, 1024 * 1024, 'token');
    }
    this.stats.tokenRequests++;
    if (res.status === 401 || res.status === 403 || (creds?.identityToken && res.status === 400))
      throw new RegistryError(
        reference,
        creds?.identityToken
          ? 'authentication failed: the token service rejected the identity token (log in again)'
          : creds
            ? 'authentication failed: the token service rejected the credentials'
            : 'authentication required: the token service refused anonymous access',
        res.status
      );
    if (res.status !== 200) throw new RegistryError(reference, `the token service answered HTTP ${res.status}`, res.status);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(Buffer.from(res.body).toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError(reference, 'the token service sent no JSON');
    }
    if (!isObject(body)) throw new RegistryError(reference, 'the token service sent no token');
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryError(reference, 'the token service sent no token');
    this.secrets.add(token);
    const expiresInS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
    return { token, ...(expiresInS !== undefined ? { expiresInS } : {}) };
  }

  /**
   * fetch with manual redirects (Authorization only to the same origin), a timeout, a size cap and
   * retries of 429/500/502/503/504: after Retry-After when given (and not over `maxRetryAfterMs`), else
   * with exponential backoff.
   */
  private async send(
    reference: string,
    url: string,
    method: 'GET' | 'HEAD' | 'POST',
    headers: Record<string, string>,
    maxBytes: number,
    what: string,
    body?: string,
    stream = false
  ): Promise<Fetched> {
    const maxRetries = this.opts.maxRetries ?? 3;
    const maxWait = this.opts.maxRetryAfterMs ?? 30_000;
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const origin = new URL(url).origin;
    const host = new URL(url).host;
    const deadlineS = (this.opts.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000;
    const pastDeadline = () => new RegistryError(reference, `${host}: the run's deadline of ${deadlineS} s passed before the registry answered`);
    let sendOne: Sender;
    try {
      sendOne = this.getSender();
    } catch (e) {
      throw new RegistryError(reference, `cannot reach ${host}: ${(e as Error).message}`);
    }
    for (let attempt = 0; ; attempt++) {
      let target = url;
      let res: RawResponse;
      // The per-request timeout, cut short by the run's deadline; the message says which one ran out.
      const left = this.deadlineAt - Date.now();
      if (left <= 0) throw pastDeadline();
      // A streamed blob (an image layer) may take longer than one request: it is bounded by the run's deadline.
      const budget = stream ? left : Math.min(timeoutMs, left);
      const timeoutText = budget < timeoutMs ? `the run's deadline of ${deadlineS} s passed` : `no answer within ${timeoutMs / 1000} s (registry timeout)`;
      const signal = AbortSignal.timeout(budget);
      for (let hops = 0; ; hops++) {
        const sameOrigin = new URL(target).origin === origin;
        const out = new URL(target);
        if (out.protocol === 'https:' && this.opts.plainHttpHosts?.includes(out.host.toLowerCase())) out.protocol = 'http:';
        const h: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'container-guard', ...headers };
        if (!sameOrigin) delete h.authorization;
        this.stats.requests++;
        try {
          res = await sendOne(out.toString(), { method, headers: h, signal, ...(body !== undefined ? { body } : {}) });
        } catch (e) {
          throw new RegistryError(reference, `cannot reach ${new URL(target).host}: ${this.redact(networkReason(e, timeoutText))}`);
        }
        const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
        if (!location) break;
        await res.cancel();
        if (hops >= MAX_REDIRECTS) throw new RegistryError(reference, `too many redirects from ${host}`);
        const next = new URL(location, target);
        if (next.protocol !== 'https:' && new URL(target).protocol === 'https:')
          throw new RegistryError(reference, `refusing a redirect from https to ${next.protocol} (${next.host})`);
        target = next.toString();
      }
      if (RETRY_STATUSES.has(res.status) && attempt < maxRetries) {
        const backoff = (res.status === 429 ? BACKOFF_MS.rateLimited : BACKOFF_MS.serverError) * 2 ** attempt;
        const wait = retryAfterMs(res.headers.get('retry-after')) ?? backoff;
        if (wait <= maxWait) {
          await res.cancel();
          if (Date.now() + wait >= this.deadlineAt) throw pastDeadline();
          await sleep(wait);
          continue;
        }
      }
      if (stream && res.status === 200 && res.body) {
        const body = res.body;
        const host = new URL(target).host;
        const guarded = async function* () {
          try {
            for await (const chunk of body) yield chunk;
          } catch (e) {
            throw new RegistryError(reference, `${what}: the connection to ${host} broke off: ${networkReason(e, timeoutText)}`);
          }
        };
        return { status: res.status, headers: res.headers, body: new Uint8Array(), stream: guarded(), attempts: attempt + 1 };
      }
      let data: Uint8Array;
      if (method === 'HEAD') {
        await res.cancel();
        data = new Uint8Array();
      } else data = await readLimited(reference, res, maxBytes, what, new URL(target).host, timeoutText);
      return { status: res.status, headers: res.headers, body: data, attempts: attempt + 1 };
    }
  }
}

/** `a=b, c` → the `Link` target with `rel="next"`, if any (RFC 8288, as registries send it). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*((?:;[^;]*)*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function tokenKey(realm: string, service: string | undefined, scope: string, registry: string): string {
  return JSON.stringify([realm, service ?? '', scope, registry]);
}

function basic(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

function parseJson(reference: string, body: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    // The parser's message quotes the body: not repeated here.
    throw new RegistryError(reference, `${what} is not valid JSON`);
  }
}

/** The first error code in a fetch failure's cause chain (undici nests them, AggregateError lists them). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && err.code) return err.code;
  const fromCause = errorCode(err.cause, depth + 1);
  if (fromCause) return fromCause;
  return Array.isArray(err.errors) ? err.errors.map((x) => errorCode(x, depth + 1)).find(Boolean) : undefined;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing is listening there; is the registry running?)',
  ENOTFOUND: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed (temporary failure)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable'
};

/** A fetch failure as one line: what went wrong, never a stack. */
function networkReason(e: unknown, timeoutText: string): string {
  const name = (e as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return timeoutText;
  const code = errorCode(e);
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') return `TLS failed (${code}): the server does not speak https`;
  if (code && /CERT|SSL|TLS|HOSTNAME/i.test(code)) return `TLS failed (${code})`;
  if (code) return code;
  // No code: the innermost message (`fetch failed` says nothing; its cause may, e.g. `bad port`).
  let message = '';
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string' && m) message = m;
  }
  return oneLine(message || String(e)).slice(0, 200);
}

async function readLimited(reference: string, res: RawResponse, maxBytes: number, what: string, host: string, timeoutText: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.cancel();
    throw new RegistryError(reference, `${what}: the response of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    // Leaving the loop early (the cap) closes the stream.
    for await (const value of res.body) {
      n += value.length;
      if (n > maxBytes) throw new RegistryError(reference, `${what}: the response is over the ${maxBytes}-byte limit`);
      chunks.push(value);
    }
  } catch (e) {
    await res.cancel();
    if (e instanceof RegistryError) throw e;
    throw new RegistryError(reference, `${what}: the connection to ${host} broke off: ${networkReason(e, timeoutText)}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** One client per run: every reference is resolved once. */
export function createRegistryClient(opts: RegistryClientOptions = {}): RegistryClient {
  return new RegistryClient(opts);
}
