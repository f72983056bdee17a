/**
 * Docker image references, parsed per the distribution/reference grammar:
 *   [registry[:port]/]path[:tag][@algo:hex]
 * A first component is a registry only if it has a '.' or ':' or is 'localhost'.
 */
export interface ImageRef {
  /** As written (after ARG substitution). */
  raw: string;
  registry: string;
  /** Repository path, with Docker Hub's implicit `library/` added. */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Digests of the registered algorithms only, at their exact length in lower-case hex: anything else is
 * rejected here, before a request is made (a registry must never be asked for `sha256:abc`).
 */
const DIGEST_RE = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
/** Registry names that are Docker Hub. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com']);
const PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export const DOCKER_HUB = 'docker.io';

/** Returns undefined for text that is not a valid reference (callers report it). */
export function parseImageRef(raw: string): ImageRef | undefined {
  let rest = raw.trim();
  if (!rest) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return undefined;
  }
  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (!PATH_RE.test(rest)) return undefined;
  const repository = registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  return { raw, registry, repository, tag, digest };
}

/** `user:password@host/…`: credentials written into a reference (never echoed back). */
const CREDENTIALS_RE = /^[^/@]*@[^/]*\//;

/**
 * A reference as safe to show: credentials before an `@` that precedes the first `/` are replaced
 * by `***`, and over-long text is cut (a 10 MB line is not echoed back).
 */
export function displayRef(raw: string): string {
  const t = raw.trim();
  const shown = CREDENTIALS_RE.test(t) ? `***@${t.slice(t.indexOf('@') + 1)}` : t;
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/**
 * Why `raw` is not a valid reference, in words a user can act on; `undefined` when it is valid.
 * Never quotes credentials (see displayRef).
 */
export function imageRefProblem(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return 'an empty image reference';
  if (parseImageRef(t)) return undefined;
  const shown = JSON.stringify(displayRef(t));
  if (CREDENTIALS_RE.test(t)) return `${shown} has credentials in it (user:password@…): references name images, log in with the registry credentials instead`;
  const at = t.indexOf('@');
  const name = at >= 0 ? t.slice(0, at) : t;
  if (at >= 0) {
    const digest = t.slice(at + 1);
    if (!DIGEST_RE.test(digest))
      return `${shown} has an invalid digest ${JSON.stringify(digest.length > 80 ? `${digest.slice(0, 80)}…` : digest)}: expected sha256: and 64 lower-case hex digits (or sha384:/96, sha512:/128)`;
  }
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) {
    const tag = name.slice(colon + 1);
    if (tag.length > 128) return `${shown} has a tag of ${tag.length} characters: at most 128`;
    if (!TAG_RE.test(tag)) return `${shown} has an invalid tag ${JSON.stringify(tag)}: letters, digits, _, . and -, not starting with . or -`;
  }
  if (/[A-Z]/.test(name.slice(name.indexOf('/') + 1).replace(/:[^/]*$/, '')))
    return `${shown} has upper-case letters in its repository: repositories are lower case`;
  return `${shown} is not a valid image reference`;
}

/** `nginx` → `docker.io/library/nginx:latest`; keeps a digest when present. */
export function normalizeImage(ref: ImageRef): string {
  const name = `${ref.registry}/${ref.repository}`;
  if (ref.digest) return ref.tag ? `${name}:${ref.tag}@${ref.digest}` : `${name}@${ref.digest}`;
  return `${name}:${ref.tag ?? 'latest'}`;
}

/** `registry/repository` without tag or digest, for glob matching. */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}
