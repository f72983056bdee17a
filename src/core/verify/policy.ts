/**
 * The verify policy, pure: which policy applies to an image (matchPolicy), which digests it needs
 * signatures for (digestsInScope), and whether what the registry said about the image (ImageFacts,
 * gathered by the verify run) satisfies it (evaluateImage).
 */
import { Minimatch } from 'minimatch';
import { normalizeImageGlob } from '../custom/match.js';
import { imageName, parseImageRef, type ImageRef } from '../image-ref.js';
import type { KeylessIdentity, Requirement, SignatureCheck, VerifyConfig, VerifyPolicy } from './types.js';

/**
 * Flags for identity-regexp and issuer-regexp: compiled as `^(?:source)$` with these (identityPattern).
 * The config loader checks the patterns with the same flags. (core/verify never imports core/config:
 * the config parses the verify section, not the other way round.)
 */
export const IDENTITY_REGEXP_FLAGS = 'u';

/** A policy as applied to one image: a `verify.policies` entry, or `verify.default` (no `images`). */
export type AppliedPolicy = Omit<VerifyPolicy, 'images'> & { images?: string[] };

export interface PolicyMatch {
  policy: AppliedPolicy;
  /** Index in `verify.policies`, or 'default' when no entry matched. */
  index: number | 'default';
}

const globs = new Map<string, Minimatch>();

function compiled(glob: string): Minimatch {
  let m = globs.get(glob);
  if (!m) {
    m = new Minimatch(glob, { dot: true, nocomment: true, nonegate: true });
    globs.set(glob, m);
  }
  return m;
}

/**
 * Whether one `images` glob matches a reference. Globs are normalised like references, as in custom
 * rules (`nginx` → `docker.io/library/nginx`, `acme/*` → `docker.io/acme/*`, `*:latest` →
 * `**\/*:latest`), and so is the reference (parseImageRef adds Docker Hub's registry and `library/`).
 * A glob is matched against `registry/repository`; a glob with a `:` after its last `/` names a tag
 * and is matched against `registry/repository:tag` instead (`localhost:5000/app` is a port, not a
 * tag). A reference without tag or digest has the tag `latest`; one with only a digest has no tag,
 * so tag globs never match it. `*` stays within one path segment, `**` spans segments; matching is
 * case-sensitive (repositories are lower case).
 */
export function imageGlobMatches(glob: string, ref: ImageRef): boolean {
  const g = normalizeImageGlob(glob);
  const name = imageName(ref);
  if (g.lastIndexOf(':') <= g.lastIndexOf('/')) return compiled(g).match(name);
  const tag = ref.tag ?? (ref.digest ? undefined : 'latest');
  return tag !== undefined && compiled(g).match(`${name}:${tag}`);
}

/**
 * The policy for an image: the FIRST entry of `verify.policies` with a matching glob, else
 * `verify.default`. First match wins, like firewall rules: the specific entry goes first and the
 * broad one after it. (Applying every matching policy made one broad entry silently stricter for
 * every team whose images it also matched.)
 */
export function matchPolicy(config: VerifyConfig, ref: ImageRef): PolicyMatch {
  const i = config.policies.findIndex((p) => p.images.some((g) => imageGlobMatches(g, ref)));
  return i >= 0 ? { policy: config.policies[i], index: i } : { policy: config.default, index: 'default' };
}

/** Whether the run must look for signatures at all (registry round trips only when needed). */
export function signaturesNeeded(policy: Pick<VerifyPolicy, 'require'>): boolean {
  return policy.require.includes('signature');
}

/**
 * What the registry said about a reference. `digest` is what it resolved to (for a pinned reference,
 * the pinned digest, found). `platforms` lists the platform manifests of a multi-arch index (absent or
 * empty for a single-arch image). `drift` says a pinned reference's tag moved: `now` is where it points
 * today, absent when the tag no longer exists.
 */
export type ImageResolution =
  | { ok: true; digest: string; platforms?: { platform: string; digest: string }[]; drift?: { tag: string; now?: string } }
  /** `missing`: the registry answered that the manifest does not exist (else: unreachable, refused, malformed). */
  | { ok: false; missing?: boolean; error: string };

export interface ImageFacts {
  /** The reference as written. */
  reference: string;
  /** It carries `@sha256:…`. */
  pinned: boolean;
  resolution: ImageResolution;
  /** Checks of the signatures found, by the digest they were looked up for. */
  signatures: Record<string, SignatureCheck[]>;
}

export interface ImageFailure {
  requirement: Requirement | 'resolve';
  /** One sentence. */
  message: string;
}

export interface ImageVerdict {
  passed: boolean;
  /** One sentence: why it passed, or the first failure (with the reasons signatures were rejected). */
  reason: string;
  failures: ImageFailure[];
}

/** Build attestation manifests (buildx provenance/SBOM) sit in the index as `unknown/unknown`: not an image to sign. */
const ATTESTATION_PLATFORM = 'unknown/unknown';

/**
 * The digests that must carry `count` signatures under the policy's sign scope: `index` the digest the
 * reference resolved to, `platforms` each platform manifest, `all` both. A single-arch image has one
 * digest, whatever the scope. Empty when the reference did not resolve.
 */
export function digestsInScope(policy: Pick<VerifyPolicy, 'signScope'>, resolution: ImageResolution): string[] {
  if (!resolution.ok || !resolution.digest) return [];
  const platforms = (resolution.platforms ?? []).filter((p) => p.platform !== ATTESTATION_PLATFORM).map((p) => p.digest);
  if (platforms.length === 0) return [resolution.digest];
  const out = policy.signScope === 'index' ? [resolution.digest] : policy.signScope === 'platforms' ? platforms : [resolution.digest, ...platforms];
  return [...new Set(out)];
}

/** An issuer-regexp as the keyless check applies it: anchored, JavaScript syntax (validated by the config loader). */
export function issuerPattern(identity: Pick<KeylessIdentity, 'issuerRegexp'>): RegExp | undefined {
  return identity.issuerRegexp === undefined ? undefined : new RegExp(`^(?:${identity.issuerRegexp})$`, IDENTITY_REGEXP_FLAGS);
}

/** An identity-regexp as the keyless check applies it: anchored, JavaScript syntax (validated by the config loader). */
export function identityPattern(identity: Pick<KeylessIdentity, 'identityRegexp'>): RegExp | undefined {
  return identity.identityRegexp === undefined ? undefined : new RegExp(`^(?:${identity.identityRegexp})$`, IDENTITY_REGEXP_FLAGS);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Judges one image. A reference that cannot be resolved (registry down, 401, malformed answer, no such
 * manifest) fails whatever the policy requires: nothing about it could be checked, so it never passes by
 * accident. Otherwise each required check adds a failure:
 * - digest: a pinned reference whose tag moved (or vanished) since it was pinned;
 * - pinned: a reference without `@sha256:…`;
 * - signature: a digest in scope with fewer than `count` verified signatures from distinct signers
 *   (checks without a signer count one each); a check counts only for the digest it was made for.
 */
export function evaluateImage(policy: AppliedPolicy, facts: ImageFacts): ImageVerdict {
  const failures: ImageFailure[] = [];
  const wants = (r: Requirement) => policy.require.includes(r);
  const res = facts.resolution;
  const resolved = res.ok && res.digest !== '' ? res : undefined;
  if (!res.ok) {
    failures.push(
      res.missing
        ? { requirement: wants('digest') ? 'digest' : 'resolve', message: `the image does not exist in the registry: ${res.error}` }
        : { requirement: 'resolve', message: `the reference cannot be resolved, so nothing could be checked: ${res.error}` }
    );
  } else if (!resolved) {
    failures.push({ requirement: 'resolve', message: 'the registry returned no digest for the reference' });
  }
  if (resolved?.drift && wants('digest')) {
    const pinnedDigest = parseImageRef(facts.reference)?.digest ?? resolved.digest;
    const { tag, now } = resolved.drift;
    failures.push({
      requirement: 'digest',
      message:
        now === undefined
          ? `tag "${tag}" no longer exists in the registry; the reference pins ${pinnedDigest}`
          : `tag "${tag}" moved since it was pinned: the reference pins ${pinnedDigest}, the tag now points to ${now}`
    });
  }
  if (wants('pinned') && !facts.pinned) {
    failures.push({
      requirement: 'pinned',
      message: resolved
        ? `the reference is not pinned to a digest: write ${facts.reference}@${resolved.digest}`
        : 'the reference is not pinned to a digest (@sha256:…)'
    });
  }
  const scope = resolved ? digestsInScope(policy, resolved) : [];
  if (resolved && wants('signature') && scope.length === 0) failures.push({ requirement: 'signature', message: 'no digest to check signatures on' });
  if (resolved && wants('signature')) {
    const platformOf = new Map((resolved.platforms ?? []).map((p) => [p.digest, p.platform]));
    for (const digest of scope) {
      const checks = facts.signatures[digest] ?? [];
      // Fail closed: only a check that names the key or identity it verified against, for this very
      // digest, counts (a check without a signer proves no trusted signer).
      const good = checks.filter((c) => c.ok && c.digest === digest && typeof c.signer === 'string' && c.signer !== '');
      const signers = new Set(good.map((c) => c.signer as string));
      if (signers.size >= policy.count) continue;
      const platform = digest !== resolved.digest ? platformOf.get(digest) : undefined;
      const where = platform ? `${digest} (${platform})` : digest;
      const rejected = [...new Set(checks.filter((c) => !c.ok).map((c) => c.detail))];
      let message =
        checks.length === 0 ? `no signature found for ${where}` : `${signers.size} of ${plural(policy.count, 'required signature')} verified for ${where}`;
      if (good.length > signers.size) message += ' (signatures by the same signer count once)';
      if (rejected.length > 0) message += `; rejected: ${rejected.join('; ')}`;
      failures.push({ requirement: 'signature', message });
    }
  }
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${plural(failures.length - 1, 'more problem')})` : '';
    return { passed: false, reason: `${failures[0].message}${more}`, failures };
  }
  const digest = (resolved as { digest: string }).digest;
  const parts = [`resolves to ${digest}`];
  if (wants('pinned')) parts.push('pinned');
  if (wants('signature')) parts.push(`${plural(policy.count, 'signature')} verified on ${scope.length === 1 ? scope[0] : `each of ${scope.length} digests`}`);
  return { passed: true, reason: parts.join(', '), failures };
}
