/**
 * Secret detection shared by the secret rule and by masking in every output.
 * Name rules follow BuildKit's SecretsUsedInArgOrEnv token match and hadolint's
 * list; value rules are provider token formats with fixed prefixes, so they
 * rarely fire on ordinary text.
 */

// BuildKit's SecretsUsedInArgOrEnv: a name token (split on `_`, `-`, `.` and camelCase) equal to one of these.
const NAME_TOKENS = new Set(['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'pass', 'passwd', 'pwd', 'secret', 'token', 'passphrase']);
// Whole-name matches that tokenising misses (compounds written as one word).
const NAME_RE = /(?:api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|client[-_]?secret|auth[-_]?token|access[-_]?token|password|passwd|passphrase)/i;
// Names that look secret but hold public or indirect data: key ids and fingerprints, locations, sizes.
const NON_SECRET_NAME_RE =
  /(?:^|_)(?:GPG_KEYS?|PUBLIC_KEY|PUB_KEY|KEY_URL|KEYS_URL|KEY_ID|KEYID|KEY_IDS|KEYSERVER|KEY_SERVER|KEYRING|FINGERPRINT|FINGERPRINTS|CACHE_KEY)$|(?:_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_URL_FILE|_SHA256|_SHA512|_SHA1|_MD5|_CHECKSUM|_HASH|_SIZE|_LENGTH|_LEN|_TYPE|_NAME|_ALGORITHM|_ALGO|_VERSION|_ENABLED|_HEADER|_TTL|_EXPIRY|_TIMEOUT)$/i;
// Names that end in a setting word: how a secret is handled, not the secret (`PGSQL_AUTH_METHOD`, `TOKEN_TTL_SECONDS`).
const SETTING_SUFFIX_RE =
  /_(?:SECONDS|SECS|MINUTES|HOURS|DAYS|MAX_DAYS|MIN_DAYS|WARN_AGE|POLICY|PROMPT|ALIAS|LENGTH|METHOD|METHODS|MODE|PROVIDER|PROVIDERS|BACKEND|STRATEGY|SCHEME|FORMAT|PREFIX|SUFFIX|FIELD|PARAM|HEADER_NAME|REQUIRED|DISABLED|ENABLE|DISABLE|COUNT|LIMIT|RETRIES|LEVEL|ISSUER|AUDIENCE|REALM|SCOPE|SCOPES|REGION|PORT|STORE|STORE_TYPE|LOCATION|ROTATION|EXPIRES|EXPIRATION|PERIOD|INTERVAL|DELAY)$/i;

/** Splits camelCase and separators into lower-case tokens. */
function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * A name that says it holds a secret (BuildKit's tokens), unless it says otherwise: `public` anywhere
 * (BuildKit's own exclusion), .NET hierarchical settings (`Section__Filters__0__Key`), key ids and
 * locations, setting words at the end (`*_AUTH_METHOD`, `*_TOKEN_TTL_SECONDS`).
 */
export function isSecretName(name: string): boolean {
  if (NON_SECRET_NAME_RE.test(name) || SETTING_SUFFIX_RE.test(name) || name.includes('__')) return false;
  const tokens = nameTokens(name);
  if (tokens.includes('public') || tokens.includes('pub')) return false;
  if (tokens.some((t) => NAME_TOKENS.has(t))) return true;
  return NAME_RE.test(name) && !/^(?:no|disable|skip)_/i.test(name);
}

/** True for names whose secret word is a password (their literal value is a secret even when it is a plain word). */
function isPasswordName(name: string): boolean {
  return (
    nameTokens(name).some((t) => ['password', 'pass', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials'].includes(t)) ||
    /password|passwd|secret|token|api[-_]?key/i.test(name)
  );
}

export interface SecretKind {
  id: string;
  label: string;
  re: RegExp;
  /** Cheap pre-check: the regex only runs on text that passes it (this is on the hot path of every line). */
  quick: (text: string) => boolean;
}

const has =
  (...needles: string[]) =>
  (t: string) =>
    needles.some((n) => t.includes(n));

/** Provider formats. Each regex is global so every occurrence is masked. */
export const VALUE_PATTERNS: readonly SecretKind[] = [
  {
    id: 'aws-access-key',
    label: 'AWS access key id',
    re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g,
    quick: has('AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA')
  },
  { id: 'github-token', label: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, quick: has('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_') },
  { id: 'github-pat', label: 'GitHub fine-grained token', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, quick: has('github_pat_') },
  { id: 'gitlab-token', label: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, quick: has('glpat-') },
  { id: 'slack-token', label: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, quick: has('xox') },
  { id: 'stripe-key', label: 'Stripe live key', re: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/g, quick: has('k_live_') },
  {
    id: 'private-key',
    label: 'PEM private key',
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=["'\n]|$))/g,
    quick: has('PRIVATE KEY')
  },
  {
    id: 'url-password',
    label: 'password in URL',
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"$]+:([^\s/@'"$]{2,})@/g,
    quick: (t) => t.includes('://') && t.includes('@')
  },
  {
    id: 'url-query-password',
    label: 'password in a URL query',
    re: /[?&;](?:password|passwd|pwd|pass)=([^&;\s'"$]{3,})/gi,
    quick: (t) => /[?&;](?:password|passwd|pwd|pass)=/i.test(t)
  },
  { id: 'jwt', label: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, quick: has('eyJ') },
  { id: 'npm-token', label: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/g, quick: has('npm_') },
  { id: 'pypi-token', label: 'PyPI token', re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g, quick: has('pypi-AgEI') },
  { id: 'google-api-key', label: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g, quick: has('AIza') },
  { id: 'sendgrid-key', label: 'SendGrid key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, quick: has('SG.') },
  { id: 'docker-pat', label: 'Docker Hub token', re: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g, quick: has('dckr_pat_') },
  { id: 'vault-token', label: 'Vault token', re: /\bhvs\.[A-Za-z0-9_-]{24,}/g, quick: has('hvs.') },
  { id: 'stripe-restricted', label: 'Stripe restricted key', re: /\brk_live_[A-Za-z0-9]{16,}\b/g, quick: has('rk_live_') },
  {
    // An image reference or URL with user:password@ before the host (FROM, COPY --from, ADD, verify references).
    id: 'ref-userinfo',
    label: 'password in an image reference',
    re: /(?:^|[\s=])(?![a-z][a-z0-9+.-]*:\/\/)[A-Za-z0-9._-]+:([^\s/@:'"$]{2,})@[A-Za-z0-9.-]+(?::\d+)?\//g,
    quick: (t) => t.includes('@') && t.includes(':')
  }
];

export interface ValueMatch {
  kind: SecretKind;
  /** The secret text (only ever used for masking, never output). */
  text: string;
}

// One test per text for the common case: nothing that any pattern needs is there.
const ANY_HINT = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|gh[pousr]_|github_pat_|glpat-|xox|k_live_|PRIVATE KEY|:\/\/|eyJ|npm_|pypi-|AIza|SG\.|dckr_pat_|hvs\./;
const QUERY_HINT = /[?&;](?:password|passwd|pwd|pass)=/i;
const USERINFO_HINT = /[A-Za-z0-9_-]:[^\s/@]+@/;

export function findSecretValues(text: string): ValueMatch[] {
  const out: ValueMatch[] = [];
  if (!ANY_HINT.test(text) && !(text.includes('=') && QUERY_HINT.test(text)) && !(text.includes('@') && USERINFO_HINT.test(text))) return out;
  for (const kind of VALUE_PATTERNS) {
    if (!kind.quick(text)) continue;
    kind.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = kind.re.exec(text)) !== null) {
      // For URLs and references only the password part is secret.
      out.push({ kind, text: m[1] !== undefined && /password|userinfo/.test(kind.id + kind.label) ? m[1] : m[0] });
    }
  }
  return out;
}

// Values that are flags or file locations, not secrets: `ENV AUTH_ENABLED=true`, `ENV SSL_KEY=/run/secrets/key`.
const FLAG_VALUE_RE = /^(?:true|false|yes|no|on|off|none|null|nil|enabled|disabled|0|1)$/i;
const PATH_VALUE_RE = /^(?:\/|\.\.?\/|~\/|[A-Za-z]:[\\/])[^\s]*$/;
// `assets/server/tls/snakeoil.key`: a relative path ending in a file extension (base64 secrets have no dots).
const RELATIVE_FILE_RE = /^[\w.-]+(?:\/[\w.-]+)*\/[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}$/;
// A URL without user:password (embedded passwords are caught by value): an endpoint, not a secret.
const PLAIN_URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^\s@]+$/i;
const NUMBER_RE = /^[-+]?\d+(?:\.\d+)?$/;
const DURATION_RE = /^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w|sec|secs|min|mins|hours?|days?)$/i;
// A key fingerprint or id: 40 hex (OpenPGP v4), 16 hex (long key id), 64 hex (v5), optionally spaced in groups of 4.
const FINGERPRINT_RE = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{64}|(?:[0-9A-Fa-f]{4}\s){9}[0-9A-Fa-f]{4}|0x[0-9A-Fa-f]{16})$/;
// An enum-like word: `trust`, `md5`, `scram-sha-256`, `bearer`, `oauth2`.
const ENUM_WORD_RE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** Flags, file locations and plain URLs: values under a secret-looking name that are not secrets. */
export function isNotASecretValue(value: string): boolean {
  const v = value.trim();
  return FLAG_VALUE_RE.test(v) || PATH_VALUE_RE.test(v) || RELATIVE_FILE_RE.test(v) || PLAIN_URL_RE.test(v);
}

/**
 * The decision of the by-name signal: a literal under a secret-looking name is a credential unless it
 * cannot be one — empty, a variable reference, a flag, a number, a duration, a path, a URL without
 * credentials, a key fingerprint — or, for names whose secret word is only `auth`/`key`, an enum-like
 * word (`SSH_AUTH=agent`, `KEY=rsa`). A password-like name keeps a plain word (`DB_PASSWORD=postgres` is a
 * weak password, not a setting). Returns the reason it is not a credential, or undefined.
 */
export function notACredentialBecause(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return 'no value';
  const v = value.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (v === '') return 'empty';
  if (isIndirectValue(v) || /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?(?:[/:.-]\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)*$/.test(v)) return 'a variable reference';
  if (FLAG_VALUE_RE.test(v)) return 'a flag';
  if (NUMBER_RE.test(v)) return 'a number';
  if (DURATION_RE.test(v)) return 'a duration';
  if (PATH_VALUE_RE.test(v) || RELATIVE_FILE_RE.test(v)) return 'a path';
  if (PLAIN_URL_RE.test(v) && findSecretValues(v).length === 0) return 'a URL without credentials';
  if (FINGERPRINT_RE.test(v) && !isPasswordName(name)) return 'a key fingerprint';
  if (ENUM_WORD_RE.test(v) && v.length <= 24 && !isPasswordName(name)) return 'a setting word';
  return undefined;
}

/** True when a value is only a variable reference or empty: nothing is baked in. */
export function isIndirectValue(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  return v === '' || /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-+][^}]*)?\}?$/.test(v);
}

/** `ghp_abc…` → `ghp_****` style: a short prefix and the length, never the secret. */
export function maskSecret(value: string): string {
  const keep = value.length >= 16 ? 4 : value.length >= 8 ? 2 : 0;
  return `${value.slice(0, keep)}****`;
}

/** Replaces every occurrence of the given secrets and of known secret formats. */
export function maskText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 3 || !out.includes(s)) continue;
    // Whole tokens only, so a secret "password" does not garble "vpn_password".
    const re = new RegExp(`(?<![A-Za-z0-9_])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
    out = out.replace(re, () => maskSecret(s));
  }
  for (const m of findSecretValues(out)) {
    if (m.text.endsWith('****')) continue;
    out = out.split(m.text).join(maskSecret(m.text));
  }
  return out;
}
