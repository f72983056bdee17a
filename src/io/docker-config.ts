/**
 * Registry credentials from a Docker `config.json` (what `docker login` and docker/login-action write).
 * Parsing runs nothing; `runCredentialHelper` runs a helper it names, when a registry is contacted.
 *
 * - `auths` entries with `auth` (base64 of `user:password`; the password may contain `:`) or
 *   `username`/`password`. When both are there `auth` wins, as in the Docker CLI.
 * - Keys are normalized to the registry host as written in image references: `https://ghcr.io`,
 *   `http://127.0.0.1:5000/v2/` and `ghcr.io` are all `ghcr.io` / `127.0.0.1:5000`; Docker Hub's
 *   `https://index.docker.io/v1/`, `index.docker.io`, `registry-1.docker.io` and
 *   `registry.hub.docker.com` are `docker.io`. A key written as the bare host wins over a normalized one.
 * - `identitytoken` (an OAuth2 refresh token, e.g. Azure Container Registry's) is kept as the entry's
 *   `identityToken`: the registry client exchanges it at the token service as the Docker CLI does.
 * - `credsStore` and `credHelpers` are returned as data (helper names checked: a bare name, no path), for
 *   `docker-credential-<helper> get` to be run by the caller.
 * - `registrytoken` is not supported: a warning for the caller to log, as is every entry that is not
 *   used. Warnings and errors never contain a secret.
 */
import { spawn } from 'node:child_process';
import { DOCKER_HUB } from '../core/image-ref.js';
import type { RegistryCredentials } from './registry/client.js';

export interface DockerConfigCredentials {
  /** Per registry host as written in references (`ghcr.io`, `docker.io`, `127.0.0.1:5000`). */
  credentials: Record<string, RegistryCredentials>;
  /** `credsStore`: the helper for every registry without its own in `credHelpers`. */
  credsStore?: string;
  /** `credHelpers`, per registry host: the helper and the key as written (the server URL it is asked for). */
  credHelpers: Record<string, { helper: string; key: string }>;
  /** Entries that were not used, and why (to be logged). */
  warnings: string[];
}

const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const USE_INSTEAD =
  'log in with a username and password (or an identity token) instead, or give the registry-username/registry-password inputs (CLI: CONTAINER_GUARD_REGISTRY_USERNAME/CONTAINER_GUARD_REGISTRY_PASSWORD)';
/** A credential helper is `docker-credential-<name>` found on PATH: a bare name, never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `https://index.docker.io/v1/` → `docker.io`, `https://GHCR.io/v2/` → `ghcr.io`, `127.0.0.1:5000` as is.
 * A key without a scheme keeps only its host too (`quay.io/acme` → `quay.io`), as the Docker CLI does.
 */
export function normalizeRegistryHost(key: string): string {
  let host = key.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  host = host.split('/')[0]!.toLowerCase();
  return HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** user:password from an `auth` value; undefined when it is not base64 of `user:password`. */
function decodeAuth(value: string): RegistryCredentials | undefined {
  const b64 = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Reads one `auths` entry; a string is a warning (the entry is not used), undefined an empty entry. */
function entryCredentials(key: string, entry: unknown): RegistryCredentials | string | undefined {
  if (!isObject(entry)) return `auths entry '${key}' is not an object: not used`;
  const identityToken = text(entry.identitytoken);
  if (identityToken !== undefined) {
    // The user name beside an identity token is not sent anywhere (the token service gets the token).
    const fromAuth = text(entry.auth) !== undefined ? decodeAuth(text(entry.auth)!) : undefined;
    return { username: fromAuth?.username ?? text(entry.username) ?? '<token>', password: '', identityToken };
  }
  if (text(entry.registrytoken) !== undefined) return `auths entry '${key}' holds a registry token, which is not supported: ${USE_INSTEAD}`;
  const auth = text(entry.auth);
  if (auth !== undefined) {
    const creds = decodeAuth(auth);
    if (!creds) return `auths entry '${key}': 'auth' is not base64 of user:password: not used`;
    if (!creds.password) return `auths entry '${key}' has no password: not used`;
    return creds;
  }
  const username = text(entry.username);
  const password = text(entry.password);
  if (username && password) return { username, password };
  if (username || password) return `auths entry '${key}' has a ${username ? 'username without a password' : 'password without a username'}: not used`;
  return undefined; // `{}`: what `docker login` leaves behind when a credential store holds the secret
}

/**
 * Credentials and warnings from the text of a Docker config.json. Throws an Error naming `file` when the
 * text is not a JSON object (or `auths` / `credHelpers` are not objects).
 */
export function parseDockerConfig(textIn: string, file: string): DockerConfigCredentials {
  let config: unknown;
  try {
    config = JSON.parse(textIn.replace(/^\uFEFF/, ''));
  } catch (e) {
    // SyntaxError messages quote the text, which may hold secrets: only say where.
    const at = /position (\d+)/.exec((e as Error).message);
    // eslint-disable-next-line preserve-caught-error -- the cause's message would carry the file's text
    throw new Error(`${file}: not valid JSON${at ? ` (at position ${at[1]})` : ''}: not a Docker config.json`);
  }
  if (!isObject(config)) throw new Error(`${file}: not a JSON object: not a Docker config.json`);
  const auths = config.auths ?? {};
  if (!isObject(auths)) throw new Error(`${file}: 'auths' is not an object`);
  const helpers = config.credHelpers ?? {};
  if (!isObject(helpers)) throw new Error(`${file}: 'credHelpers' is not an object`);

  const warnings: string[] = [];
  const found = new Map<string, { creds: RegistryCredentials; key: string; exact: boolean }>();
  for (const [key, entry] of Object.entries(auths)) {
    const host = normalizeRegistryHost(key);
    if (!host) {
      warnings.push(`${file}: auths entry '${key}' names no registry host: not used`);
      continue;
    }
    const creds = entryCredentials(key, entry);
    if (typeof creds === 'string') warnings.push(`${file}: ${creds}`);
    if (!creds || typeof creds === 'string') continue;
    const exact = key.trim().toLowerCase() === host;
    const before = found.get(host);
    if (!before || (exact && !before.exact)) {
      found.set(host, { creds, key, exact });
    }
    if (
      before &&
      (before.creds.username !== creds.username || before.creds.password !== creds.password || before.creds.identityToken !== creds.identityToken)
    ) {
      warnings.push(`${file}: auths entries '${before.key}' and '${key}' are both for ${host}: using '${found.get(host)!.key}'`);
    }
  }

  let credsStore = text(config.credsStore);
  if (credsStore !== undefined && !HELPER_NAME.test(credsStore)) {
    warnings.push(`${file}: credsStore ${JSON.stringify(credsStore.slice(0, 100))} is not a credential helper name (docker-credential-<name>): not used`);
    credsStore = undefined;
  }
  const credHelpers = new Map<string, { helper: string; key: string }>();
  for (const [key, helper] of Object.entries(helpers)) {
    const name = text(helper);
    if (name === undefined) continue;
    const host = normalizeRegistryHost(key);
    if (!host || !HELPER_NAME.test(name)) {
      warnings.push(`${file}: credHelpers entry '${key}' does not name a registry and a credential helper (docker-credential-<name>): not used`);
      continue;
    }
    credHelpers.set(host, { helper: name, key });
  }
  // fromEntries defines own properties: a `__proto__` key cannot change the object's prototype.
  return {
    credentials: Object.fromEntries([...found].map(([host, v]) => [host, v.creds])),
    ...(credsStore !== undefined ? { credsStore } : {}),
    credHelpers: Object.fromEntries(credHelpers),
    warnings
  };
}

/** The credentials for a registry host as written in a reference (`docker.io`, `index.docker.io`, … all match). */
export function credentialsFor(registry: string, credentials: Readonly<Record<string, RegistryCredentials>>): RegistryCredentials | undefined {
  const host = normalizeRegistryHost(registry);
  return Object.hasOwn(credentials, host) ? credentials[host] : undefined;
}

/** Docker Hub's server URL as the Docker CLI asks credential helpers for it. */
export const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';

export interface HelperOptions {
  /** Longest wait for the helper (default 10 s). */
  timeoutMs?: number;
  /** Largest answer read (default 64 KiB); a longer one is an error. */
  maxBytes?: number;
  /** Environment of the helper (default process.env: PATH finds it). */
  env?: NodeJS.ProcessEnv;
  /** Where the helper was named, for messages (`credsStore in /home/u/.docker/config.json`). */
  origin?: string;
}

/**
 * `docker-credential-<helper> get` with `serverUrl` on stdin, as the Docker CLI runs it: the answer is
 * `{"ServerURL","Username","Secret"}`; user `<token>` means the secret is an identity token. undefined when
 * the helper has no credentials for that server ("credentials not found"). Bounded in time and output.
 * Throws an Error naming the helper when it is missing, fails, hangs or answers nonsense; no message carries
 * what the helper printed (it may be a secret).
 */
export function runCredentialHelper(helper: string, serverUrl: string, opts: HelperOptions = {}): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${helper}`;
  const where = opts.origin ? ` (${opts.origin})` : '';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 64 * 1024;
  if (!HELPER_NAME.test(helper)) return Promise.reject(new Error(`${program}${where}: not a credential helper name`));
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (e: Error | undefined, v?: RegistryCredentials) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(v);
    };
    const child = spawn(program, ['get'], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(new Error(`credential helper ${program}${where} did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      done(
        new Error(
          e.code === 'ENOENT'
            ? `credential helper ${program}${where} is not installed (not found on PATH): install it, or remove it from the Docker config`
            : `credential helper ${program}${where} could not be run (${e.code ?? e.message})`
        )
      );
    });
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > maxBytes) {
        child.kill('SIGKILL');
        done(new Error(`credential helper ${program}${where} answered more than ${maxBytes} bytes`));
      } else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      errBytes += d.length;
      if (errBytes <= 4096) err.push(d);
    });
    child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
    child.stdin.end(serverUrl);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) {
        // What every docker-credential-* helper prints for a server it holds nothing for.
        if (/credentials not found/i.test(stdout + Buffer.concat(err).toString('utf8'))) return done(undefined, undefined);
        return done(new Error(`credential helper ${program}${where} failed (exit ${code ?? 'signal'}) for ${serverUrl}`));
      }
      let answer: unknown;
      try {
        answer = JSON.parse(stdout);
      } catch {
        return done(new Error(`credential helper ${program}${where} did not answer JSON for ${serverUrl}`));
      }
      if (!isObject(answer)) return done(new Error(`credential helper ${program}${where} did not answer a JSON object for ${serverUrl}`));
      const username = typeof answer.Username === 'string' ? answer.Username : '';
      const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
      if (!secret) return done(undefined, undefined);
      done(undefined, username === '<token>' ? { username, password: '', identityToken: secret } : { username, password: secret });
    });
  });
}
