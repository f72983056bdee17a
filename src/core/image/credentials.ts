/**
 * Credential files in image layers: which paths can hold them (so the layer walk reads only those), and
 * whether the content really holds a credential — a `.npmrc` that only sets a registry, an `.env` of
 * feature flags or a public key is not one. Nothing here returns the secret itself.
 */
import path from 'node:path';
import { findSecretValues, isSecretName } from '../secrets/detect.js';

export interface CredentialKind {
  id: string;
  label: string;
  /** True for paths that may hold this kind (basename and path checks only). */
  matches(p: string, base: string): boolean;
  /** True when the content holds a credential (not a placeholder or a variable reference). */
  holds(text: string): boolean;
}

const PRIVATE_KEY_RE = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/;
/** A value that is a reference or a placeholder, not a credential. */
const PLACEHOLDER_RE = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>|\*+|x+|changeme|change_me|your[-_a-z]*|example|placeholder|dummy|null|none|true|false|)$/i;
/** Test fixtures ship sample keys on purpose (Python/Node/Go package test data). */
const TEST_DATA_RE = /(?:^|\/)(?:tests?|testdata|test-data|fixtures?|__tests__|spec|examples?)\//i;

function literal(v: string): boolean {
  const t = v.trim().replace(/^["']|["']$/g, '');
  return t.length >= 4 && !PLACEHOLDER_RE.test(t);
}

/** `key = value` / `key: value` / `KEY=value` lines of a config file. */
function* assignments(text: string): Generator<[string, string]> {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.:/-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (m) yield [m[1], m[2].trim()];
  }
}

export const CREDENTIAL_KINDS: readonly CredentialKind[] = [
  {
    id: 'private-key',
    label: 'private key',
    matches: (p, base) =>
      !TEST_DATA_RE.test(p) && (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base) || /\.(pem|key)$/.test(base) || /^ssh_host_.*_key$/.test(base)),
    holds: (t) => PRIVATE_KEY_RE.test(t)
  },
  {
    id: 'dotenv',
    label: '.env file with a secret',
    matches: (_p, base) => base === '.env' || (/^\.env\.[a-z0-9_-]+$/i.test(base) && !/\.(example|sample|template|dist|defaults?)$/i.test(base)),
    holds: (t) => findSecretValues(t).length > 0 || [...assignments(t)].some(([k, v]) => isSecretName(k) && literal(v))
  },
  {
    id: 'npmrc',
    label: '.npmrc with a registry token',
    matches: (_p, base) => base === '.npmrc',
    // `//registry.npmjs.org/:_authToken=…`, `_auth=…`, `//host/:_password=…`
    holds: (t) =>
      t.split(/\r?\n/).some((line) => {
        const m = /^\s*(?:\S*:)?_(?:authToken|auth|password)\s*=\s*(.*)$/.exec(line);
        return m !== null && literal(m[1]);
      })
  },
  {
    id: 'pypirc',
    label: '.pypirc with a password',
    matches: (_p, base) => base === '.pypirc',
    holds: (t) => [...assignments(t)].some(([k, v]) => /^password$/i.test(k) && literal(v))
  },
  {
    id: 'git-credentials',
    label: '.git-credentials',
    matches: (_p, base) => base === '.git-credentials',
    holds: (t) => /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@]+@/i.test(t)
  },
  {
    id: 'netrc',
    label: '.netrc with a password',
    matches: (_p, base) => base === '.netrc' || base === '_netrc',
    holds: (t) => /\bpassword\s+(?!\$)\S{4,}/.test(t)
  },
  {
    id: 'aws-credentials',
    label: 'AWS credentials file',
    matches: (p) => /(?:^|\/)\.aws\/credentials$/.test(p),
    holds: (t) => [...assignments(t)].some(([k, v]) => /^aws_secret_access_key$/i.test(k) && literal(v))
  },
  {
    id: 'gcloud-credentials',
    label: 'Google Cloud credentials',
    matches: (p, base) => /(?:^|\/)\.config\/gcloud\//.test(p) || base === 'application_default_credentials.json' || /service[-_]?account.*\.json$/i.test(base),
    holds: (t) => /"private_key"\s*:\s*"-----BEGIN/.test(t) || /"refresh_token"\s*:\s*"[^"]{8,}"/.test(t)
  },
  {
    id: 'azure-credentials',
    label: 'Azure CLI tokens',
    matches: (p) => /(?:^|\/)\.azure\/(accessTokens\.json|msal_token_cache\.(json|bin)|service_principal_entries\.json)$/.test(p),
    holds: (t) => /"(accessToken|refresh_token|secret|client_secret)"\s*:\s*"[^"]{8,}"/i.test(t)
  },
  {
    id: 'kubeconfig',
    label: 'kubeconfig with credentials',
    matches: (p) => /(?:^|\/)\.kube\/config$/.test(p),
    holds: (t) => /^\s*(token|client-key-data|password)\s*:\s*(?!\s*$)\S{8,}/m.test(t)
  },
  {
    id: 'docker-config',
    label: 'Docker config.json with registry credentials',
    matches: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p),
    holds: (t) => /"(auth|identitytoken|registrytoken)"\s*:\s*"[^"]{4,}"/.test(t)
  }
];

/** Kinds whose paths match `p` (the layer walk reads the content of these). */
export function credentialKindsFor(p: string): CredentialKind[] {
  const base = path.posix.basename(p);
  return CREDENTIAL_KINDS.filter((k) => k.matches(p, base));
}
