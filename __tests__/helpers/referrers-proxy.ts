/**
 * A small OCI 1.1 front for the test registry: node:http on 127.0.0.1 that passes every request on to a
 * started docker-registry (distribution 2.8, which has no referrers API) and adds what it lacks.
 *
 * - Referrers API: manifests PUT through the proxy that have a `subject` are recorded (after the registry
 *   took them) and the PUT answer gets `OCI-Subject`. `GET /v2/<name>/referrers/<digest>` answers an OCI
 *   image index of their descriptors (mediaType, digest, size, artifactType — the manifest's, else its
 *   config's mediaType — and annotations). `?artifactType=` filters and says so in `OCI-Filters-Applied`,
 *   unless `filtering: false` (a registry may ignore the filter; the client must then apply it).
 * - Bearer auth in front (`bearer`): a 401 with `WWW-Authenticate: Bearer realm="<proxy>/token",…,scope=…`,
 *   a token endpoint that checks Basic credentials (bad ones → 401; anonymous → pull only when
 *   `anonymousPull`, else 401) and opaque tokens whose scopes are checked on every request
 *   (`error="insufficient_scope"` when a token lacks one). The registry behind runs without auth.
 * - Faults (`fault()`): the next N requests matching a path answer a canned status/body instead of the
 *   registry's: a 500, a manifest of many MB (with or without Content-Length), malformed JSON. A 200 fault
 *   body carries its true `Docker-Content-Digest`, so the client's digest check is not what trips.
 * - Pagination (`pageSize`): referrers answers in pages linked by `Link: <…>; rel="next"` (`?last=` is the
 *   last digest of the page before, as the distribution spec's tag listing does).
 * - Identity tokens (`bearer.identityToken`): the token endpoint also takes the OAuth2 refresh-token grant
 *   (POST, form-encoded, as the Docker CLI sends an `identitytoken`); that token gets push+pull.
 * - `requests` logs what clients sent; `push()` & co. (helpers/registry.ts) upload through the proxy with a
 *   push token, so referrers pushed that way are recorded.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registryPusher, type Pusher, type TestRegistry } from './registry.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const SERVICE = 'container-guard-referrers-proxy';
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
/** `/v2/<name>/<what>`: the name is greedy, the endpoint anchored, so a repository named `x/blobs` works. */
const API_PATH = /^\/v2\/(.+)\/(manifests\/[^/]+|blobs\/uploads\/[^/]*|blobs\/[^/]+|tags\/list|referrers\/[^/]+)$/;

export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Fault {
  /** Matched against the request path (without the query). */
  path: RegExp;
  method?: string;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  /** The body; or `size` bytes of (valid) JSON made up here. */
  body?: string | Buffer;
  size?: number;
  /** Send Content-Length (default true); false streams the body chunked. */
  contentLength?: boolean;
}

export interface ProxyRequest {
  method: string;
  /** Path and query. */
  url: string;
  status: number;
  /** The Authorization scheme the client sent. */
  auth?: string;
  /** Answered by a fault. */
  fault?: boolean;
}

export interface ReferrersProxyOptions {
  /** Bearer auth in front of the registry: these credentials get push+pull. */
  bearer?: { username: string; password: string; anonymousPull?: boolean; identityToken?: string };
  /** Apply `?artifactType=` and send `OCI-Filters-Applied` (default true). */
  filtering?: boolean;
  /** Answer referrers in pages of this many, with `Link: <…?n=&last=>; rel="next"` (default: one page). */
  pageSize?: number;
}

export interface ReferrersProxy extends Pusher {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  requests: ProxyRequest[];
  tokenRequests: { scope: string | null; user?: string; granted: boolean }[];
  /** The recorded referrers of `digest` in `repo`. */
  referrersOf(repo: string, digest: string): ReferrerDescriptor[];
  fault(f: Fault): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

interface Token {
  user?: string;
  access: Map<string, Set<string>>;
}

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `size` bytes of valid JSON: `{"pad":"xxxx…"}`. */
function paddedJson(size: number): Buffer {
  const frame = Buffer.from('{"pad":""}');
  const out = Buffer.alloc(Math.max(size, frame.length), 'x');
  frame.copy(out, 0, 0, 8);
  Buffer.from('"}').copy(out, out.length - 2);
  return out;
}

export async function startReferrersProxy(target: Pick<TestRegistry, 'url' | 'auth'>, options: ReferrersProxyOptions = {}): Promise<ReferrersProxy> {
  if (target.auth !== 'none') throw new Error('the referrers proxy fronts a registry started without auth');
  const upstream = new URL(target.url);
  const filtering = options.filtering ?? true;
  const referrers = new Map<string, ReferrerDescriptor[]>();
  const requests: ProxyRequest[] = [];
  const tokenRequests: ReferrersProxy['tokenRequests'] = [];
  const tokens = new Map<string, Token>();
  let faults: (Fault & { left: number })[] = [];
  let base = '';

  const mintToken = (user: string | undefined, access: Map<string, Set<string>>): string => {
    const token = crypto.randomBytes(24).toString('hex');
    tokens.set(token, { user, access });
    return token;
  };

  const tokenEndpoint = async (req: http.IncomingMessage, res: http.ServerResponse, u: URL) => {
    const bearer = options.bearer!;
    let user: string | undefined;
    const authz = req.headers.authorization;
    if (req.method === 'POST') {
      // OAuth2 refresh-token grant: the form's fields take the place of the query.
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      for (const [k, v] of form) u.searchParams.append(k, v);
      const ok = form.get('grant_type') === 'refresh_token' && bearer.identityToken !== undefined && form.get('refresh_token') === bearer.identityToken;
      if (!ok) {
        tokenRequests.push({ scope: form.get('scope'), user: 'oauth', granted: false });
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      user = bearer.username;
    }
    const scope = u.searchParams.get('scope');
    if (user !== undefined) {
      // granted by the refresh token
    } else if (authz?.startsWith('Basic ')) {
      const decoded = Buffer.from(authz.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      if (colon < 0 || name !== bearer.username || decoded.slice(colon + 1) !== bearer.password) {
        tokenRequests.push({ scope, user: name, granted: false });
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="token"' });
        res.end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    } else if (!bearer.anonymousPull) {
      tokenRequests.push({ scope, granted: false });
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="token"' });
      res.end(JSON.stringify({ details: 'authentication required' }));
      return;
    }
    const access = new Map<string, Set<string>>();
    for (const s of u.searchParams.getAll('scope').flatMap((x) => x.split(' '))) {
      const [type, name, actions] = s.split(':');
      if (type !== 'repository' || !name || !actions) continue;
      const granted = actions.split(',').filter((a) => a === 'pull' || (user !== undefined && a === 'push'));
      access.set(name, new Set([...(access.get(name) ?? []), ...granted]));
    }
    tokenRequests.push({ scope, user: req.method === 'POST' ? `${user} (oauth)` : user, granted: true });
    const token = mintToken(user, access);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.method === 'POST' ? { access_token: token, expires_in: 300 } : { token, access_token: token, expires_in: 300 }));
  };

  /** true when the request may go on; else a 401 has been sent. */
  const authorized = (req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean => {
    if (!options.bearer) return true;
    const m = API_PATH.exec(pathname);
    const name = m?.[1];
    const actions = req.method === 'GET' || req.method === 'HEAD' ? ['pull'] : ['pull', 'push'];
    const authz = req.headers.authorization ?? '';
    const token = authz.startsWith('Bearer ') ? tokens.get(authz.slice(7).trim()) : undefined;
    if (token && (!name || actions.every((a) => token.access.get(name)?.has(a)))) return true;
    const params = [`realm="${base}/token"`, `service="${SERVICE}"`];
    if (name) params.push(`scope="repository:${name}:${actions.join(',')}"`);
    if (token) params.push('error="insufficient_scope"');
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer ${params.join(',')}` });
    res.end(JSON.stringify({ errors: [{ code: token ? 'DENIED' : 'UNAUTHORIZED', message: 'authentication required' }] }));
    return false;
  };

  const answerFault = (res: http.ServerResponse, f: Fault): void => {
    const status = f.status ?? 200;
    const body = f.size !== undefined ? paddedJson(f.size) : Buffer.from(f.body ?? '');
    const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', ...f.headers };
    if (status === 200 && !f.headers?.['docker-content-digest']) headers['docker-content-digest'] = sha256(body);
    if (f.contentLength ?? true) headers['content-length'] = String(body.length);
    res.on('error', () => undefined); // the client may hang up on a body it will not read
    res.writeHead(status, headers);
    if (f.contentLength ?? true) {
      res.end(body);
      return;
    }
    // chunked: 64 KiB at a time, stopping when the client has gone
    let at = 0;
    const next = () => {
      while (at < body.length && !res.destroyed) {
        const chunk = body.subarray(at, at + 65536);
        at += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', next);
      }
      res.end();
    };
    next();
  };

  const answerReferrers = (res: http.ServerResponse, name: string, digest: string, u: URL) => {
    if (!DIGEST_RE.test(digest)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: 'invalid digest' }] }));
      return;
    }
    let manifests = referrers.get(`${name}@${digest}`) ?? [];
    const headers: Record<string, string> = { 'content-type': OCI_INDEX };
    const wanted = u.searchParams.get('artifactType');
    if (wanted && filtering) {
      manifests = manifests.filter((m) => m.artifactType === wanted);
      headers['oci-filters-applied'] = 'artifactType';
    }
    if (options.pageSize) {
      const last = u.searchParams.get('last');
      const from = last ? manifests.findIndex((m) => m.digest === last) + 1 : 0;
      const page = manifests.slice(from, from + options.pageSize);
      if (from + options.pageSize < manifests.length) {
        const next = new URLSearchParams(u.searchParams);
        next.set('n', String(options.pageSize));
        next.set('last', page[page.length - 1]!.digest);
        headers.link = `</v2/${name}/referrers/${digest}?${next.toString()}>; rel="next"`;
      }
      manifests = page;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  };

  /** Passes the request on; `body` when it was read already; `extra(status)` adds response headers. */
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer, extra: (status: number) => Record<string, string> = () => ({})) => {
    const headers = { ...req.headers };
    delete headers.authorization;
    // The Host header is kept: the registry builds Location URLs from it, so uploads come back here.
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent: false },
      (ur: http.IncomingMessage) => {
        const h: http.OutgoingHttpHeaders = { ...ur.headers, ...extra(ur.statusCode ?? 502) };
        for (const k of HOP_BY_HOP) delete h[k];
        res.writeHead(ur.statusCode ?? 502, h);
        ur.pipe(res);
      }
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    if (body) up.end(body);
    else req.pipe(up);
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: ProxyRequest = { method: req.method ?? 'GET', url: req.url ?? '/', status: 0, auth: req.headers.authorization?.split(' ')[0] };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    void (async () => {
      if (options.bearer && u.pathname === '/token') return tokenEndpoint(req, res, u);
      if (!authorized(req, res, u.pathname)) return;
      const f = faults.find((x) => x.left > 0 && x.path.test(u.pathname) && (!x.method || x.method === req.method));
      if (f) {
        f.left--;
        entry.fault = true;
        await readBody(req);
        return answerFault(res, f);
      }
      const api = API_PATH.exec(u.pathname);
      const name = api?.[1];
      const endpoint = api?.[2] ?? '';
      if (name && req.method === 'GET' && endpoint.startsWith('referrers/')) return answerReferrers(res, name, endpoint.slice('referrers/'.length), u);
      if (name && req.method === 'PUT' && endpoint.startsWith('manifests/')) {
        const body = await readBody(req);
        let manifest: unknown;
        try {
          manifest = JSON.parse(body.toString('utf8'));
        } catch {
          manifest = undefined;
        }
        const subject = isObject(manifest) && isObject(manifest.subject) && typeof manifest.subject.digest === 'string' ? manifest.subject.digest : undefined;
        if (!subject || !isObject(manifest)) return forward(req, res, body);
        const config = isObject(manifest.config) ? manifest.config : {};
        const artifactType =
          typeof manifest.artifactType === 'string' ? manifest.artifactType : typeof config.mediaType === 'string' ? config.mediaType : undefined;
        const descriptor: ReferrerDescriptor = {
          mediaType: typeof manifest.mediaType === 'string' ? manifest.mediaType : (req.headers['content-type'] ?? ''),
          digest: sha256(body),
          size: body.length,
          ...(artifactType ? { artifactType } : {}),
          ...(isObject(manifest.annotations) ? { annotations: manifest.annotations as Record<string, string> } : {})
        };
        return forward(req, res, body, (status): Record<string, string> => {
          if (status !== 201) return {};
          const key = `${name}@${subject}`;
          const list = (referrers.get(key) ?? []).filter((d) => d.digest !== descriptor.digest);
          referrers.set(key, [...list, descriptor]);
          return { 'oci-subject': subject };
        });
      }
      return forward(req, res);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${(e as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;

  const pushAuth = (repo: string): Record<string, string> =>
    options.bearer ? { authorization: `Bearer ${mintToken(options.bearer.username, new Map([[repo, new Set(['pull', 'push'])]]))}` } : {};

  return {
    host,
    url: base,
    requests,
    tokenRequests,
    referrersOf: (repo, digest) => referrers.get(`${repo}@${digest}`) ?? [],
    fault(f) {
      faults.push({ ...f, left: f.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    ...registryPusher(base, pushAuth),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}
