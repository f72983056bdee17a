/**
 * Secret detection shared by the secret rule and by masking in every output.
 * Name rules follow BuildKit's SecretsUsedInArgOrEnv token match and hadolint's
 * list; value rules are provider token formats with fixed prefixes, so they
 * rarely fire on ordinary text.
 */

// BuildKit: a name token (split on '_') equal to one of these.
const NAME_TOKENS = new Set(['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'pass', 'passwd', 'pwd', 'secret', 'token', 'passphrase']);
// Whole-name matches that tokenising misses (camelCase, common compounds).
const NAME_RE =
  /(?:(?:root|admin|db|user)_?pass$|api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|client[-_]?secret|auth[-_]?token|access[-_]?token|password|passwd|secret|token|credentials)/i;
// Names that look secret but hold public or indirect data.
const NON_SECRET_NAME_RE =
  /(?:^|_)(?:GPG_KEYS?|PUBLIC_KEY|PUB_KEY|KEY_URL|KEYS_URL|KEY_ID|KEYID|KEY_IDS|KEYSERVER|KEY_SERVER|KEYRING|FINGERPRINT|FINGERPRINTS)$|(?:_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_URL_FILE|_SHA256|_SHA512|_SHA1|_MD5|_CHECKSUM|_HASH|_SIZE|_LENGTH|_LEN|_TYPE|_NAME|_ALGORITHM|_ALGO|_VERSION|_ENABLED|_HEADER|_TTL|_EXPIRY|_TIMEOUT)$/i;

/** Splits camelCase and separators into lower-case tokens. */
function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  if (NON_SECRET_NAME_RE.test(name)) return false;
  if (nameTokens(name).some((t) => NAME_TOKENS.has(t))) return true;
  return NAME_RE.test(name) && !/^(?:no|disable|skip)_/i.test(name);
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
  { id: 'jwt', label: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, quick: has('eyJ') }
];

export interface ValueMatch {
  kind: SecretKind;
  /** The secret text (only ever used for masking, never output). */
  text: string;
}

// One test per text for the common case: nothing that any pattern needs is there.
const ANY_HINT = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|gh[pousr]_|github_pat_|glpat-|xox|k_live_|PRIVATE KEY|:\/\/|eyJ/;

export function findSecretValues(text: string): ValueMatch[] {
  const out: ValueMatch[] = [];
  if (!ANY_HINT.test(text)) return out;
  for (const kind of VALUE_PATTERNS) {
    if (!kind.quick(text)) continue;
    kind.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = kind.re.exec(text)) !== null) {
      // For URLs only the password part is secret.
      out.push({ kind, text: kind.id === 'url-password' ? (m[1] as string) : m[0] });
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
/** Flags, file locations and plain URLs: values under a secret-looking name that are not secrets. */
export function isNotASecretValue(value: string): boolean {
  const v = value.trim();
  return FLAG_VALUE_RE.test(v) || PATH_VALUE_RE.test(v) || RELATIVE_FILE_RE.test(v) || PLAIN_URL_RE.test(v);
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
