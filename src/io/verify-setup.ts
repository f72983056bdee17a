/**
 * Registry credentials for verify (and pin), from explicit username/password or a Docker config.json.
 *
 * Explicit credentials are sent to one registry only: the `registry` named with them, or — when none is
 * named — the one registry every reference lives on. Sending a ghcr.io token to Docker Hub because a
 * Dockerfile also pulls `alpine` would leak it, so references on several registries without `registry`
 * are a usage error. Docker config credentials are per host already.
 *
 * Docker config lookup follows the Docker CLI: a `credHelpers` entry for the host, else `credsStore`, runs
 * `docker-credential-<helper> get` (once per registry, when it is first contacted; bounded in time and
 * output); when the helper holds nothing for the host, the `auths` entry is used. The action and the CLI
 * read $DOCKER_CONFIG/config.json, else ~/.docker/config.json, when no file is named.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCKER_HUB } from '../core/image-ref.js';
import { credentialsFor, DOCKER_HUB_SERVER_URL, normalizeRegistryHost, parseDockerConfig, runCredentialHelper } from './docker-config.js';
import { UsageError } from './lint-run.js';
import type { RegistryCredentials } from './registry/client.js';

export interface CredentialInputs {
  username?: string;
  password?: string;
  /** Host the explicit credentials are for. */
  registry?: string;
  /** Docker config.json path ('' or undefined: none). */
  dockerConfig?: string;
  cwd: string;
  /** Environment of credential helpers (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Longest wait for a credential helper (default 10 s). */
  helperTimeoutMs?: number;
  /** Called with each secret a credential helper hands out, before it is used (to mask it in logs). */
  onSecret?: (secret: string) => void;
}

export interface CredentialSetup {
  /** A Promise only when a credential helper has to run. */
  credentials: (registry: string) => RegistryCredentials | undefined | Promise<RegistryCredentials | undefined>;
  /** Values to mask in logs (passwords, tokens). */
  secrets: string[];
  warnings: string[];
}

/** The default Docker config of the CLI: $DOCKER_CONFIG/config.json, else ~/.docker/config.json, when it exists. */
export function defaultDockerConfig(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = path.join(env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker'), 'config.json');
  return fs.existsSync(file) ? file : undefined;
}

export function setupCredentials(inputs: CredentialInputs, registries: readonly string[]): CredentialSetup {
  const secrets: string[] = [];
  const warnings: string[] = [];
  let fromConfig: Record<string, RegistryCredentials> = {};
  let parsedConfig: ReturnType<typeof parseDockerConfig> | undefined;
  if (inputs.dockerConfig) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(inputs.cwd, inputs.dockerConfig), 'utf8');
    } catch (e) {
      throw new UsageError(`${inputs.dockerConfig}: cannot read the Docker config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let parsed: ReturnType<typeof parseDockerConfig>;
    try {
      parsed = parseDockerConfig(text, inputs.dockerConfig);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    parsedConfig = parsed;
    fromConfig = parsed.credentials;
    warnings.push(...parsed.warnings);
    for (const c of Object.values(fromConfig)) secrets.push(c.password, c.identityToken ?? '');
  }
  const fromHelper = new Map<string, Promise<RegistryCredentials | undefined>>();
  const viaHelper = (registry: string): Promise<RegistryCredentials | undefined> | undefined => {
    if (!parsedConfig) return undefined;
    const host = normalizeRegistryHost(registry);
    const own = Object.hasOwn(parsedConfig.credHelpers, host) ? parsedConfig.credHelpers[host] : undefined;
    const helper = own?.helper ?? parsedConfig.credsStore;
    if (!helper) return undefined;
    let hit = fromHelper.get(host);
    if (!hit) {
      const serverUrl = own?.key ?? (host === DOCKER_HUB ? DOCKER_HUB_SERVER_URL : host);
      const origin = `${own ? 'credHelpers' : 'credsStore'} in ${inputs.dockerConfig}`;
      hit = runCredentialHelper(helper, serverUrl, { origin, env: inputs.env, timeoutMs: inputs.helperTimeoutMs }).then((c) => {
        if (!c) return credentialsFor(registry, fromConfig);
        for (const secret of [c.password, c.identityToken]) if (secret) inputs.onSecret?.(secret);
        return c;
      });
      fromHelper.set(host, hit);
    }
    return hit;
  };
  let explicit: { host: string; creds: RegistryCredentials } | undefined;
  if (inputs.username || inputs.password) {
    if (!inputs.username || !inputs.password) throw new UsageError('registry-username and registry-password go together: give both or neither');
    secrets.push(inputs.password);
    let host = inputs.registry?.trim() ? normalizeRegistryHost(inputs.registry) : undefined;
    if (!host) {
      const distinct = [...new Set(registries.map(normalizeRegistryHost))];
      if (distinct.length > 1)
        throw new UsageError(
          `registry credentials were given but the images are on ${distinct.join(', ')}: name the registry they are for (registry input / --registry) so they are not sent to the others`
        );
      host = distinct[0];
    }
    if (host) explicit = { host, creds: { username: inputs.username, password: inputs.password } };
  }
  return {
    credentials: (registry) => {
      if (explicit && explicit.host === normalizeRegistryHost(registry)) return explicit.creds;
      return viaHelper(registry) ?? credentialsFor(registry, fromConfig);
    },
    secrets: secrets.filter((s) => s.length > 0),
    warnings
  };
}

/**
 * A duration setting (`registry-timeout`, `deadline`): seconds as a number, or with a unit (`500ms`, `30s`,
 * `10m`). Empty or undefined: undefined (the default applies). Anything else is a UsageError naming it.
 */
export function parseDuration(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 24 * 3600_000)
    throw new UsageError(`${name}: "${value}" is not a duration such as 30 (seconds), 30s, 500ms or 10m (at most 24 h)`);
  return Math.round(ms);
}
