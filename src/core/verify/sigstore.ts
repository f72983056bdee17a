/**
 * Sigstore bundle verification, pure and offline: the bundle carries its own transparency log proof,
 * the trusted root carries the CA chains and log keys, so nothing is fetched.
 *
 * Image bundles are what cosign v3 writes (`cosign sign --new-bundle-format`): a DSSE envelope whose
 * payload is an in-toto Statement with predicateType `https://sigstore.dev/cosign/sign/v1` and the image
 * digest as subject. Order of checks (the first failure is the reason):
 * 1. the bundle parses and is valid for its media type (`malformed-bundle`);
 * 2. it is a DSSE in-toto envelope (`unsupported-format`). Message-signature bundles are rejected for
 *    images: they sign a blob's digest and do not name an image, and cosign never writes them for `sign`;
 * 3. the policy names a signer of the bundle's kind (`identity-mismatch` / `untrusted-key`);
 * 4. the signature verifies over the DSSE pre-authentication encoding with the certificate's key or a
 *    policy key (`bad-signature`, or `untrusted-key` when no policy key verifies it);
 * 5. @sigstore/verify: the signing time comes from the tlog entry's signed timestamp (or an RFC 3161
 *    timestamp); the certificate chains to a trusted Fulcio CA and was valid at that time
 *    (`certificate-invalid`); the tlog entry's inclusion promise and inclusion proof verify against a
 *    trusted log key and the entry matches the signature and payload (`tlog-invalid`);
 * 6. the certificate's issuer, identity and GitHub claims match one of the policy's identities
 *    (`identity-mismatch`; the detail names the field that differed);
 * 7. only then is the (now authenticated) statement read: predicateType must be cosign's sign predicate
 *    (`not-a-signature`: an SBOM or provenance attestation does not sign the image) and a subject must
 *    carry the digest (`digest-mismatch`).
 * Thresholds: one tlog entry — or, in a bundle without any, one RFC 3161 timestamp from a timestamp authority
 * of the trusted root (`timestamp-invalid` otherwise); one SCT when the trusted root has CT logs, none when it has none (a root
 * without CT logs is the user's explicit choice, e.g. a private Sigstore without a CT log).
 *
 * `verifyArtifactBundle` is the same pipeline for blobs (the sigstore-conformance `verify-bundle`):
 * message signatures over the artifact, and DSSE statements naming the artifact's sha256 as a subject.
 * Given only a digest, a message signature is verified over that digest directly (ECDSA P-256/P-384).
 */
import crypto from 'node:crypto';
import { bundleFromJSON, type Bundle, type MessageSignature } from '@sigstore/bundle';
import { p256, p384 } from '@noble/curves/nist.js';
import type { X509Certificate } from '@sigstore/core';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { parseSimpleSigning } from './cosign.js';
import { legacyKeylessBundle, type LegacyKeylessInput } from './cosign-keyless.js';
import { identityPattern, issuerPattern } from './policy.js';
import type { TrustedRoot } from './trusted-root.js';
import type { GithubClaims, KeylessIdentity } from './types.js';

type SignatureContent = SignedEntity['signature'];

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export type BundleReason =
  | 'verified'
  | 'malformed-bundle'
  | 'unsupported-format'
  | 'bad-signature'
  | 'tlog-invalid'
  | 'timestamp-invalid'
  | 'certificate-invalid'
  | 'identity-mismatch'
  | 'digest-mismatch'
  | 'not-a-signature'
  | 'untrusted-key';

export interface BundleResult {
  ok: boolean;
  reason: BundleReason;
  /** One sentence for people; identities may appear (they are public), key material never does. */
  detail: string;
  /** `keyless:<issuer> <identity>` or `key:sha256:<fingerprint of the SPKI>`, once the signature verified. */
  signer?: string;
  /** The in-toto predicateType of a DSSE bundle, once it verified. */
  predicateType?: string;
}

export type ImageBundleResult = BundleResult;

export interface ImageBundleOptions {
  /** The digest the image resolved to, `sha256:<hex>`. */
  digest: string;
  trustedRoot: TrustedRoot;
  identities: readonly KeylessIdentity[];
  /** For bundles signed with a key (verificationMaterial.publicKey). */
  keys?: readonly crypto.KeyObject[];
  /** Tlog entries dated after this (beyond clock skew) are rejected. Default: now. */
  now?: Date;
}

export interface ArtifactBundleOptions {
  artifact?: Uint8Array;
  /** `sha256:<hex>`, when the artifact itself is not at hand. */
  digest?: string;
  trustedRoot: TrustedRoot;
  identity?: { identity: string; issuer: string };
  /** A public key (KeyObject or PEM) for key-signed bundles. */
  key?: crypto.KeyObject | string;
  now?: Date;
}

type Fail = { ok: false; reason: BundleReason; detail: string; signer?: string };
const fail = (reason: BundleReason, detail: string, signer?: string): Fail => ({ ok: false, reason, detail, ...(signer ? { signer } : {}) });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);
const quote = (s: string | undefined) => (s === undefined ? 'absent' : JSON.stringify(s.slice(0, 200)));

/** Tolerated difference between the log's clock and ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DIGEST_RE = /^(sha256|sha384|sha512):([a-f0-9]{64,128})$/;

// ---------------------------------------------------------------------------------------------------
// Entry points

/** Verifies one Sigstore bundle (JSON bytes) as a cosign signature of the image `opts.digest`. */
export function verifyImageBundle(bytes: Uint8Array, opts: ImageBundleOptions): ImageBundleResult {
  const parsed = parseBundle(bytes);
  if (!parsed.ok) return parsed;
  const bundle = parsed.bundle;
  if (bundle.content.$case !== 'dsseEnvelope')
    return fail(
      'unsupported-format',
      'a message-signature bundle signs a blob, not an image: image signatures are DSSE in-toto statements (cosign sign --new-bundle-format)'
    );
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return fail('unsupported-format', `the DSSE payload type is ${quote(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const want = DIGEST_RE.exec(opts.digest);
  if (!want) return fail('digest-mismatch', `${quote(opts.digest)} is not a digest`);

  const signed = verifySigned(bundle, undefined, opts.trustedRoot, { identities: opts.identities, keys: opts.keys ?? [] }, opts.now ?? new Date());
  if (!signed.ok) return signed;
  const { signer } = signed;
  const st = parseStatement(env.payload);
  if (!st.ok) return { ...st, signer };
  const { predicateType } = st;
  if (predicateType !== COSIGN_SIGN_PREDICATE)
    return { ...fail('not-a-signature', `the bundle is an attestation (${quote(predicateType)}), not a cosign signature`, signer), predicateType };
  if (!st.subjects.some((d) => d[want[1]!] === want[2]))
    return { ...fail('digest-mismatch', `the signature is for ${subjectList(st.subjects)}, not ${opts.digest}`, signer), predicateType };
  return { ok: true, reason: 'verified', detail: `${opts.digest} signed by ${signer}`, signer, predicateType };
}

/**
 * Verifies a cosign ≤ 2 keyless signature from the legacy `.sig` tag (certificate, chain and Rekor SET in
 * the layer annotations) as a signature of the image `opts.digest`: restated as the equivalent Sigstore
 * bundle (cosign-keyless.ts) and verified by the same pipeline as every bundle, with the payload bytes as the
 * signed artifact; only then is the payload read and its digest compared.
 */
export function verifyLegacyKeylessSignature(sig: LegacyKeylessInput, opts: ImageBundleOptions): ImageBundleResult {
  const payload = Buffer.from(sig.payload);
  const converted = legacyKeylessBundle(sig, crypto.createHash('sha256').update(payload).digest());
  if (!converted.ok) return fail('malformed-bundle', `the legacy keyless signature cannot be read: ${converted.detail}`);
  const parsed = parseBundle(converted.bundle);
  if (!parsed.ok) return parsed;
  const signed = verifySigned(parsed.bundle, payload, opts.trustedRoot, { identities: opts.identities, keys: [] }, opts.now ?? new Date());
  if (!signed.ok) return signed;
  const p = parseSimpleSigning(payload);
  if (!p.ok) return fail(p.reason === 'wrong-type' ? 'not-a-signature' : 'malformed-bundle', p.detail, signed.signer);
  if (p.value.digest !== opts.digest) return fail('digest-mismatch', `the signature is for ${p.value.digest}, not ${opts.digest}`, signed.signer);
  return { ok: true, reason: 'verified', detail: `${opts.digest} signed by ${signed.signer} (cosign legacy keyless signature)`, signer: signed.signer };
}

/** Verifies a bundle over a blob (or its sha256 digest), as the sigstore-conformance `verify-bundle` does. */
export function verifyArtifactBundle(bytes: Uint8Array, opts: ArtifactBundleOptions): BundleResult {
  const parsed = parseBundle(bytes);
  if (!parsed.ok) return parsed;
  const bundle = parsed.bundle;
  let keys: crypto.KeyObject[] = [];
  if (opts.key !== undefined) {
    try {
      keys = [typeof opts.key === 'string' ? crypto.createPublicKey(opts.key) : opts.key];
    } catch {
      return fail('untrusted-key', 'the verification key cannot be read');
    }
  }
  const policy = { identities: opts.identity ? [{ identity: opts.identity.identity, issuer: opts.identity.issuer }] : [], keys };
  const now = opts.now ?? new Date();
  let hex: string;
  if (opts.artifact) hex = crypto.createHash('sha256').update(opts.artifact).digest('hex');
  else if (opts.digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(opts.digest)) hex = opts.digest.slice(7);
  else return fail('unsupported-format', 'no artifact and no sha256 digest to check the bundle against');

  if (bundle.content.$case === 'dsseEnvelope') {
    const env = bundle.content.dsseEnvelope;
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
      return fail('unsupported-format', `the DSSE payload type is ${quote(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
    const signed = verifySigned(bundle, undefined, opts.trustedRoot, policy, now);
    if (!signed.ok) return signed;
    const st = parseStatement(env.payload);
    if (!st.ok) return { ...st, signer: signed.signer };
    if (!st.subjects.some((d) => d.sha256 === hex))
      return {
        ...fail('digest-mismatch', `the statement is about ${subjectList(st.subjects)}, not sha256:${hex}`, signed.signer),
        predicateType: st.predicateType
      };
    return {
      ok: true,
      reason: 'verified',
      detail: `sha256:${hex} attested (${st.predicateType}) by ${signed.signer}`,
      signer: signed.signer,
      predicateType: st.predicateType
    };
  }

  const ms = bundle.content.messageSignature;
  const alg = HASH_NAMES[ms.messageDigest?.algorithm ?? HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED];
  if (!alg) return fail('unsupported-format', 'the message digest algorithm is not supported');
  const bundleDigest = Buffer.from(ms.messageDigest!.digest);
  let content: SignatureContent | undefined;
  if (opts.artifact) {
    if (!bundleDigest.equals(crypto.createHash(alg).update(opts.artifact).digest()))
      return fail('digest-mismatch', `the bundle signs another artifact (its ${alg} message digest differs)`);
  } else {
    if (alg !== 'sha256' || bundleDigest.toString('hex') !== hex)
      return fail('digest-mismatch', `the bundle signs ${alg}:${bundleDigest.toString('hex')}, not sha256:${hex}`);
    const unsupported = prehashUnsupported(bundle, keys);
    if (unsupported) return fail('unsupported-format', unsupported);
    content = prehashedContent(ms, bundleDigest);
  }
  const signed = verifySigned(bundle, opts.artifact ? Buffer.from(opts.artifact) : undefined, opts.trustedRoot, policy, now, content);
  if (!signed.ok) return signed;
  return { ok: true, reason: 'verified', detail: `sha256:${hex} signed by ${signed.signer}`, signer: signed.signer };
}

// ---------------------------------------------------------------------------------------------------
// Parsing

function parseBundle(bytes: Uint8Array): { ok: true; bundle: Bundle } | Fail {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail('malformed-bundle', 'the bundle is not UTF-8 JSON');
  }
  if (!isObject(doc)) return fail('malformed-bundle', 'the bundle is not a JSON object');
  try {
    return { ok: true, bundle: bundleFromJSON(doc) };
  } catch (e) {
    const fields = (e as { fields?: unknown }).fields;
    if (Array.isArray(fields) && fields.length > 0) return fail('malformed-bundle', `the bundle is invalid at ${fields.slice(0, 5).join(', ')}`);
    return fail('malformed-bundle', `the bundle cannot be decoded (${message(e)})`);
  }
}

interface Statement {
  ok: true;
  predicateType: string;
  /** Each subject's digest map (algorithm → hex). */
  subjects: Record<string, string>[];
}

function parseStatement(payload: Uint8Array): Statement | Fail {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return fail('malformed-bundle', 'the DSSE payload is not UTF-8 JSON');
  }
  if (!isObject(doc) || typeof doc._type !== 'string' || !doc._type.startsWith('https://in-toto.io/Statement/'))
    return fail('malformed-bundle', 'the DSSE payload is not an in-toto Statement');
  if (typeof doc.predicateType !== 'string') return fail('malformed-bundle', "the in-toto Statement has no 'predicateType'");
  if (!Array.isArray(doc.subject) || doc.subject.length === 0) return fail('malformed-bundle', "the in-toto Statement has no 'subject'");
  const subjects: Record<string, string>[] = [];
  for (const s of doc.subject) {
    if (!isObject(s) || !isObject(s.digest)) return fail('malformed-bundle', "an in-toto subject has no 'digest' object");
    subjects.push(Object.fromEntries(Object.entries(s.digest).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }
  return { ok: true, predicateType: doc.predicateType, subjects };
}

function subjectList(subjects: readonly Record<string, string>[]): string {
  const all = subjects.flatMap((d) => Object.entries(d).map(([alg, hex]) => `${alg}:${hex.slice(0, 128)}`));
  return all.length === 0 ? 'no digest' : all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}

// ---------------------------------------------------------------------------------------------------
// Signature, certificate, transparency log

interface SignerPolicy {
  identities: readonly KeylessIdentity[];
  keys: readonly crypto.KeyObject[];
}

const trustCache = new WeakMap<TrustedRoot, TrustMaterial>();

/** Trust material for a root (decoded once per root), with `key` as the only trusted signing key. */
function trustFor(root: TrustedRoot, key?: crypto.KeyObject): TrustMaterial {
  let base = trustCache.get(root);
  if (!base) trustCache.set(root, (base = toTrustMaterial(root)));
  return key ? { ...base, publicKey: () => ({ publicKey: key, validFor: () => true }) } : base;
}

/** Steps 3–6 of the module comment: who signed, and can we believe it. */
function verifySigned(
  bundle: Bundle,
  artifact: Buffer | undefined,
  root: TrustedRoot,
  policy: SignerPolicy,
  now: Date,
  content?: SignatureContent
): { ok: true; signer: string } | Fail {
  if (policy.identities.length === 0 && policy.keys.length === 0)
    return fail('identity-mismatch', 'the policy names no signer (no keyless identity and no key)');
  let entity: SignedEntity;
  try {
    const e = toSignedEntity(bundle, artifact);
    entity = content ? { ...e, signature: content } : e;
  } catch (e) {
    return fail('malformed-bundle', `the bundle's verification material cannot be decoded (${message(e)})`);
  }

  let key: crypto.KeyObject | undefined;
  if (entity.key.$case === 'certificate') {
    if (policy.identities.length === 0) return fail('identity-mismatch', 'the bundle is signed keylessly (Fulcio certificate) but the policy names only keys');
    try {
      key = crypto.createPublicKey({ key: entity.key.certificate.publicKey, format: 'der', type: 'spki' });
    } catch {
      return fail('malformed-bundle', "the signing certificate's public key cannot be read");
    }
    if (!verifies(entity.signature, key))
      return fail('bad-signature', "the signature does not verify over the bundle's content with the signing certificate's key");
  } else {
    if (policy.keys.length === 0) return fail('untrusted-key', 'the bundle is signed with a key but the policy names no key');
    key = policy.keys.find((k) => verifies(entity.signature, k));
    if (!key)
      return fail(
        'untrusted-key',
        `the signature verifies with none of the policy's ${policy.keys.length} key(s) (another key signed it, or its content was altered)`
      );
  }

  // The proof's rootHash is not signed; the library checks the path against the signed checkpoint's root.
  // A bundle whose two roots disagree is inconsistent: fail closed rather than pick one.
  for (const t of bundle.verificationMaterial?.tlogEntries ?? []) {
    const proof = t.inclusionProof;
    if (!proof?.checkpoint?.envelope) continue;
    const signedRoot = proof.checkpoint.envelope.split('\n')[2];
    if (signedRoot === undefined || !Buffer.from(signedRoot, 'base64').equals(Buffer.from(proof.rootHash)))
      return fail('tlog-invalid', "the inclusion proof's root hash is not the root hash its signed checkpoint commits to");
  }
  // One trusted signing time is always required. It comes from the tlog entry, or — for a bundle that has no
  // tlog entry but RFC 3161 timestamps (GitHub's attestations for private repositories) — from a timestamp
  // that verifies against a timestamp authority of the trusted root. A bundle with neither fails.
  const tsaOnly =
    (bundle.verificationMaterial?.tlogEntries?.length ?? 0) === 0 &&
    (bundle.verificationMaterial?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0) > 0;
  const options = { tlogThreshold: tsaOnly ? 0 : 1, timestampThreshold: 1, ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0 };
  try {
    new Verifier(trustFor(root, entity.key.$case === 'public-key' ? key : undefined), options).verify(entity);
  } catch (e) {
    const f = fromVerifierError(e);
    if (tsaOnly && f.reason === 'tlog-invalid')
      return fail(
        'timestamp-invalid',
        `the bundle has no transparency log entry and its RFC 3161 timestamp does not verify against a timestamp authority of the trusted root (${f.detail})`
      );
    return f;
  }
  for (const t of bundle.verificationMaterial?.tlogEntries ?? []) {
    const at = Number(t.integratedTime) * 1000;
    if (at > now.getTime() + CLOCK_SKEW_MS) return fail('tlog-invalid', `the transparency log entry is dated ${new Date(at).toISOString()}, in the future`);
  }

  if (entity.key.$case === 'public-key') return { ok: true, signer: `key:${fingerprint(key)}` };
  let id: CertificateIdentity;
  try {
    id = certificateIdentity(entity.key.certificate);
  } catch (e) {
    return fail('malformed-bundle', `the signing certificate's extensions cannot be read (${message(e)})`);
  }
  const signer = `keyless:${id.issuer ?? '(no issuer)'} ${id.subject ?? '(no identity)'}`;
  const mismatch = matchIdentities(id, policy.identities);
  if (mismatch) return fail('identity-mismatch', mismatch, signer);
  return { ok: true, signer };
}

function verifies(content: SignatureContent, key: crypto.KeyObject): boolean {
  try {
    return content.verifySignature(key);
  } catch {
    return false;
  }
}

/** `sha256:<hex>` of the key's SubjectPublicKeyInfo: names a key without showing it. */
function fingerprint(key: crypto.KeyObject): string {
  return `sha256:${crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/** @sigstore/verify's error codes onto our reasons. */
function fromVerifierError(e: unknown): Fail {
  const code = isObject(e) && typeof e.code === 'string' ? e.code : '';
  const cause = isObject(e) && e.cause instanceof Error ? ` (${message(e.cause)})` : '';
  const why = `${message(e)}${cause}`;
  switch (code) {
    case 'CERTIFICATE_ERROR':
      return fail('certificate-invalid', `the signing certificate is not trusted: ${why}`);
    case 'PUBLIC_KEY_ERROR':
      return fail('untrusted-key', `the signing key is not trusted: ${why}`);
    case 'SIGNATURE_ERROR':
      return fail('bad-signature', `the signature does not verify: ${why}`);
    case 'TIMESTAMP_ERROR':
      return fail('tlog-invalid', `no trusted signing time: ${why}`);
    case 'UNTRUSTED_SIGNER_ERROR':
      return fail('identity-mismatch', why);
    case 'NOT_IMPLEMENTED_ERROR':
      return fail('unsupported-format', why);
  }
  if (code.startsWith('TLOG_')) return fail('tlog-invalid', `the transparency log entry does not verify: ${why}`);
  return fail('malformed-bundle', `the bundle cannot be verified: ${why}`);
}

// ---------------------------------------------------------------------------------------------------
// Identity: Fulcio certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md)

const FULCIO = '1.3.6.1.4.1.57264.1';
/** v2 extensions hold a DER UTF8String; the deprecated v1 ones (.1–.6) hold the raw string. */
const OID = {
  issuerV1: `${FULCIO}.1`,
  triggerV1: `${FULCIO}.2`,
  shaV1: `${FULCIO}.3`,
  repositoryV1: `${FULCIO}.5`,
  refV1: `${FULCIO}.6`,
  otherNameSAN: `${FULCIO}.7`,
  issuer: `${FULCIO}.8`,
  buildSignerURI: `${FULCIO}.9`,
  sourceRepositoryURI: `${FULCIO}.12`,
  sourceRepositoryDigest: `${FULCIO}.13`,
  sourceRepositoryRef: `${FULCIO}.14`,
  buildTrigger: `${FULCIO}.20`
} as const;

export interface CertificateIdentity {
  /** SAN: URI, email, or Fulcio's otherName username. */
  subject?: string;
  /** OIDC issuer. */
  issuer?: string;
  github: GithubClaims;
}

function utf8Extension(cert: X509Certificate, oid: string): string | undefined {
  const ext = cert.extension(oid);
  const inner = ext?.valueObj.subs;
  if (!inner || inner.length !== 1 || !inner[0]!.tag.isUniversal() || inner[0]!.tag.number !== 0x0c) return undefined;
  return inner[0]!.value.toString('utf8');
}

const rawExtension = (cert: X509Certificate, oid: string) => cert.extension(oid)?.value.toString('utf8');

/** Who a Fulcio certificate says signed: SAN, issuer and the GitHub Actions claims. */
export function certificateIdentity(cert: X509Certificate): CertificateIdentity {
  const repoURI = utf8Extension(cert, OID.sourceRepositoryURI);
  const signerURI = utf8Extension(cert, OID.buildSignerURI);
  const github: GithubClaims = {
    repository: (repoURI && /^https?:\/\/[^/]+\/(.+?)\/?$/.exec(repoURI)?.[1]) ?? rawExtension(cert, OID.repositoryV1),
    ref: utf8Extension(cert, OID.sourceRepositoryRef) ?? rawExtension(cert, OID.refV1),
    sha: utf8Extension(cert, OID.sourceRepositoryDigest) ?? rawExtension(cert, OID.shaV1),
    trigger: utf8Extension(cert, OID.buildTrigger) ?? rawExtension(cert, OID.triggerV1),
    // https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main → .github/workflows/release.yml
    workflow: signerURI ? /^https?:\/\/[^/]+\/[^/]+\/[^/]+\/([^@]+)@/.exec(signerURI)?.[1] : undefined
  };
  return {
    subject: cert.subjectAltName ?? cert.extSubjectAltName?.otherName(OID.otherNameSAN),
    issuer: utf8Extension(cert, OID.issuer) ?? rawExtension(cert, OID.issuerV1),
    github
  };
}

const GITHUB_FIELDS = ['repository', 'ref', 'sha', 'trigger', 'workflow'] as const;

/** Why `want` does not match, and how far matching got (issuer 0, identity 1, GitHub claims 2). */
function identityMismatch(id: CertificateIdentity, want: KeylessIdentity): { depth: number; detail: string } | undefined {
  if (want.issuerRegexp !== undefined) {
    let re: RegExp;
    try {
      re = issuerPattern(want)!;
      new RegExp(want.issuerRegexp, re.flags); // alone too: `a)|(b` must not escape the anchoring group
    } catch {
      return { depth: 0, detail: `issuerRegexp ${quote(want.issuerRegexp)} is not a valid regular expression` };
    }
    if (id.issuer === undefined || !re.test(id.issuer))
      return { depth: 0, detail: `the certificate's issuer ${quote(id.issuer)} does not match ${quote(re.source)}` };
  } else if (want.issuer === undefined || id.issuer !== want.issuer) {
    // No issuer and no issuer-regexp matches nothing (the loader requires one): fail closed.
    return { depth: 0, detail: `the certificate's issuer is ${quote(id.issuer)}, expected ${quote(want.issuer)}` };
  }
  if (want.identity !== undefined && id.subject !== want.identity)
    return { depth: 1, detail: `the certificate's identity is ${quote(id.subject)}, expected ${quote(want.identity)}` };
  if (want.identityRegexp !== undefined) {
    let re: RegExp;
    try {
      re = identityPattern(want)!;
      new RegExp(want.identityRegexp, re.flags); // alone too: `a)|(b` must not escape the anchoring group
    } catch {
      return { depth: 1, detail: `identityRegexp ${quote(want.identityRegexp)} is not a valid regular expression` };
    }
    if (id.subject === undefined || !re.test(id.subject))
      return { depth: 1, detail: `the certificate's identity ${quote(id.subject)} does not match ${quote(re.source)}` };
  }
  for (const field of GITHUB_FIELDS) {
    const expected = want.github?.[field];
    if (expected !== undefined && id.github[field] !== expected)
      return { depth: 2, detail: `the certificate's GitHub ${field} is ${quote(id.github[field])}, expected ${quote(expected)}` };
  }
  return undefined;
}

/** undefined when one identity matches, else the mismatch that got furthest. */
function matchIdentities(id: CertificateIdentity, wants: readonly KeylessIdentity[]): string | undefined {
  let best: { depth: number; detail: string } | undefined;
  for (const want of wants) {
    const m = identityMismatch(id, want);
    if (!m) return undefined;
    if (!best || m.depth > best.depth) best = m;
  }
  return wants.length > 1 ? `${best!.detail} (closest of ${wants.length} identities)` : best!.detail;
}

// ---------------------------------------------------------------------------------------------------
// Message signatures checked against a digest alone. Node verifies ECDSA only over a message it hashes
// itself, so a signature over a digest we did not hash is checked with @noble/curves.

const HASH_NAMES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512'
};

/** A reason when the bundle's signing key cannot be checked against a digest alone. */
function prehashUnsupported(bundle: Bundle, keys: readonly crypto.KeyObject[]): string | undefined {
  let candidates: crypto.KeyObject[] = [...keys];
  const vm = bundle.verificationMaterial?.content;
  try {
    if (vm?.$case === 'certificate') candidates = [new crypto.X509Certificate(Buffer.from(vm.certificate.rawBytes)).publicKey];
    if (vm?.$case === 'x509CertificateChain')
      candidates = [new crypto.X509Certificate(Buffer.from(vm.x509CertificateChain.certificates[0]!.rawBytes)).publicKey];
  } catch {
    return undefined; // the verifier reports the broken certificate
  }
  const ok = (k: crypto.KeyObject) => k.asymmetricKeyType === 'ec' && CURVES[String(k.asymmetricKeyDetails?.namedCurve)] !== undefined;
  return candidates.length > 0 && !candidates.some(ok)
    ? 'a digest alone can be checked only for ECDSA P-256/P-384 signatures: pass the artifact itself'
    : undefined;
}

function prehashedContent(ms: MessageSignature, digest: Buffer): SignatureContent {
  const signature = Buffer.from(ms.signature);
  return {
    signature,
    compareSignature: (s) => signature.equals(s),
    compareDigest: (d) => digest.equals(d),
    // A message signature is computed over the artifact: what it signs is the artifact's digest.
    compareSignedDigest: (d) => digest.equals(d),
    verifySignature: (key) => verifyEcdsaPrehashed(key, digest, signature)
  };
}

/** NIST P-256 and P-384 from @noble/curves (audited, dependency-free), keyed by OpenSSL curve name. */
const CURVES: Record<string, typeof p256> = { prime256v1: p256, secp384r1: p384 };

/** ECDSA verification of a DER signature over an already computed hash (no second hashing). */
export function verifyEcdsaPrehashed(key: crypto.KeyObject, hash: Buffer, signature: Buffer): boolean {
  try {
    const curve = key.asymmetricKeyType === 'ec' ? CURVES[String(key.asymmetricKeyDetails?.namedCurve)] : undefined;
    if (!curve) return false;
    const jwk = key.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    return curve.verify(signature, hash, point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}
