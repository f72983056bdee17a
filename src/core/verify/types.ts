/**
 * Shapes shared by the verify policy (policy.ts), the signature checks (cosign.ts, sigstore.ts)
 * and the run that drives them (src/io/verify-run.ts). Pure data.
 */
import type { AttestationPolicy } from './attestations.js';

/** What a policy can require of an image. */
export type Requirement =
  /** The reference resolves in the registry; a pinned digest exists and its tag has not moved. */
  | 'digest'
  /** The reference as written carries `@sha256:…`. */
  | 'pinned'
  /** At least `count` signatures verify against the policy's keys or keyless identities. */
  | 'signature'
  /** Each entry of `attestations` has a verified in-toto attestation (attestations.ts). */
  | 'attestation'
  /** The image itself, inspected (src/io/inspect-run.ts): its config does not run as root (root-user). */
  | 'non-root'
  /** The image itself, inspected: no secret in config, history or layers (secret-in-env, credential-file-in-image). */
  | 'no-secrets';

/** Which digests of a multi-arch image must be signed. */
export type SignScope = 'index' | 'platforms' | 'all';

/** GitHub Actions claims in a Fulcio certificate (all optional; each given one must match exactly). */
export interface GithubClaims {
  /** `owner/repo` (source repository URI extension). */
  repository?: string;
  /** `refs/heads/main` (source repository ref). */
  ref?: string;
  /** Commit SHA (source repository digest). */
  sha?: string;
  /** `push`, `release`, … (build trigger). */
  trigger?: string;
  /** Path of the signing workflow, `.github/workflows/release.yml` (from the build signer URI). */
  workflow?: string;
}

export interface KeylessIdentity {
  /** Exact OIDC issuer, e.g. https://token.actions.githubusercontent.com (this or issuerRegexp). */
  issuer?: string;
  /** Anchored regular expression over the OIDC issuer (`^…$` is implied), cosign's --certificate-oidc-issuer-regexp. */
  issuerRegexp?: string;
  /** Exact certificate identity (SAN URI or email). */
  identity?: string;
  /** Anchored regular expression over the identity (`^…$` is implied). */
  identityRegexp?: string;
  github?: GithubClaims;
}

/** A verification key as configured: inline PEM or a file (read by the I/O layer). */
export interface KeySpec {
  path?: string;
  pem?: string;
  /** Where it was written, for ConfigError messages. */
  source: { file: string; line: number };
}

export interface VerifyPolicy {
  /** Globs over `registry/repository[:tag]` (minimatch); `**` matches across `/`. */
  images: string[];
  require: Requirement[];
  keys: KeySpec[];
  keyless: KeylessIdentity[];
  /** Signatures that must verify (default 1). */
  count: number;
  signScope: SignScope;
  /** `registry/repository` the signatures are stored in (cosign's COSIGN_REPOSITORY); default: the image's. */
  signaturesRepository?: string;
  /** In-toto attestations the image must carry (with `require: [attestation]`). */
  attestations?: AttestationPolicy[];
  /** Where it was written (absent for the built-in default). */
  source?: { file: string; line: number };
}

export interface VerifyConfig {
  policies: VerifyPolicy[];
  /** For images no policy matches. */
  default: Omit<VerifyPolicy, 'images'>;
  /** Trusted root JSON path (relative to the config file), else Sigstore public-good from @sigstore/tuf's seeds. */
  trustedRoot?: string;
}

/** How a signature was stored. */
export type SignatureKind = 'simple-signing' | 'sigstore-bundle';

/** The outcome of checking one found signature against one policy. */
export interface SignatureCheck {
  /** Where it was found: cosign-legacy-tag | referrers | referrers-tag-fallback */
  format: string;
  kind: SignatureKind;
  /** The digest the signature was checked for. */
  digest: string;
  ok: boolean;
  /** Machine-readable: verified, bad-signature, digest-mismatch, identity-mismatch, not-a-signature, … */
  reason: string;
  /** One sentence for people; never key material or credentials. */
  detail: string;
  /** `key:<file or fingerprint>` or `keyless:<issuer> <identity>`. */
  signer?: string;
}
