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

const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
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
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (!PATH_RE.test(rest)) return undefined;
  const repository = registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  return { raw, registry, repository, tag, digest };
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
