/**
 * Registry credentials from a Docker `config.json` (what `docker login` writes), read without running
 * anything:
 *
 * - `auths` entries with `auth` (base64 of `user:password`; the password may contain `:`) or
 *   `username`/`password`. When both are there `auth` wins, as in the Docker CLI.
 * - Keys are normalized to the registry host as written in image references: `https://ghcr.io`,
 *   `http://127.0.0.1:5000/v2/` and `ghcr.io` are all `ghcr.io` / `127.0.0.1:5000`; Docker Hub's
 *   `https://index.docker.io/v1/`, `index.docker.io`, `registry-1.docker.io` and
 *   `registry.hub.docker.com` are `docker.io`. A key written as the bare host wins over a normalized one.
 * - `identitytoken` / `registrytoken` (OAuth refresh or registry tokens) are not supported; `credsStore`
 *   and `credHelpers` name programs that would have to be run: none is run. Each of these is a warning
 *   for the caller to log, never an error. Warnings and errors never contain a secret.
 */
import { DOCKER_HUB } from '../core/image-ref.js';
import type { RegistryCredentials } from './registry/client.js';

export interface DockerConfigCredentials {
  /** Per registry host as written in references (`ghcr.io`, `docker.io`, `127.0.0.1:5000`). */
  credentials: Record<string, RegistryCredentials>;
  /** Entries that were not used, and why (to be logged). */
  warnings: string[];
}

const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const USE_INSTEAD = 'pass registry-username/registry-password (--username/--password) instead';

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
  if (text(entry.identitytoken) !== undefined)
    return `auths entry '${key}' holds an identity token (OAuth refresh token), which is not supported: ${USE_INSTEAD}`;
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
    if (before && (before.creds.username !== creds.username || before.creds.password !== creds.password)) {
      warnings.push(`${file}: auths entries '${before.key}' and '${key}' are both for ${host}: using '${found.get(host)!.key}'`);
    }
  }

  const store = text(config.credsStore);
  if (store !== undefined)
    warnings.push(`${file}: credential helper docker-credential-${store} (credsStore) is not used: credentials it holds are not read; ${USE_INSTEAD}`);
  for (const [key, helper] of Object.entries(helpers)) {
    const name = text(helper);
    if (name === undefined) continue;
    warnings.push(`${file}: credential helper docker-credential-${name} for ${normalizeRegistryHost(key)} (credHelpers) is not used; ${USE_INSTEAD}`);
  }
  // fromEntries defines own properties: a `__proto__` key cannot change the object's prototype.
  return { credentials: Object.fromEntries([...found].map(([host, v]) => [host, v.creds])), warnings };
}

/** The credentials for a registry host as written in a reference (`docker.io`, `index.docker.io`, … all match). */
export function credentialsFor(registry: string, credentials: Readonly<Record<string, RegistryCredentials>>): RegistryCredentials | undefined {
  const host = normalizeRegistryHost(registry);
  return Object.hasOwn(credentials, host) ? credentials[host] : undefined;
}
