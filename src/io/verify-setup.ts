/**
 * Registry credentials for verify (and pin), from explicit username/password or a Docker config.json.
 *
 * Explicit credentials are sent to one registry only: the `registry` named with them, or — when none is
 * named — the one registry every reference lives on. Sending a ghcr.io token to Docker Hub because a
 * Dockerfile also pulls `alpine` would leak it, so references on several registries without `registry`
 * are a usage error. Docker config credentials are per host already.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentialsFor, normalizeRegistryHost, parseDockerConfig } from './docker-config.js';
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
}

export interface CredentialSetup {
  credentials: (registry: string) => RegistryCredentials | undefined;
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
    fromConfig = parsed.credentials;
    warnings.push(...parsed.warnings);
    for (const c of Object.values(fromConfig)) secrets.push(c.password);
  }
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
      return credentialsFor(registry, fromConfig);
    },
    secrets: secrets.filter((s) => s.length > 0),
    warnings
  };
}
