/**
 * cosign key-based signature verification (the legacy "simple signing" format), pure computation.
 *
 * A cosign signature is a JSON payload (Red Hat's simple-signing format, as cosign writes it):
 *   {"critical":{"identity":{"docker-reference":"ghcr.io/acme/api"},
 *                "image":{"docker-manifest-digest":"sha256:…"},
 *                "type":"cosign container image signature"},
 *    "optional":null}
 * signed with ECDSA P-256 over SHA-256 of the exact payload bytes (ASN.1 DER signature, base64 in the
 * layer annotation `dev.cosignproject.cosign/signature`). Verification, in the order cosign does it:
 * 1. the key (a `PUBLIC KEY` PEM, or a `CERTIFICATE` PEM whose validity covers `now`) must be EC P-256;
 * 2. the signature must verify over the payload bytes as fetched (never a re-serialisation);
 * 3. only then is the payload parsed: its type must be cosign's, and `docker-manifest-digest` must equal
 *    the digest the image reference resolved to.
 * `docker-reference` is reported, not enforced (cosign does not enforce it either: images get copied).
 */
import crypto from 'node:crypto';

export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIG_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature';
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate';
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle';
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain';

/** How a signature was found in the registry. */
export type SignatureFormat = 'cosign-legacy-tag' | 'referrers' | 'referrers-tag-fallback';

/** A signature as discovered (see src/io/registry/signatures.ts). */
export interface FoundSignature {
  format: SignatureFormat;
  /** `simple-signing`: a cosign payload + detached signature; `sigstore-bundle`: a Sigstore bundle (payload = the bundle JSON). */
  kind: 'simple-signing' | 'sigstore-bundle';
  /** Digest of the signature manifest (the `.sig` tag's manifest or the referrer's). */
  manifestDigest: string;
  /** Digest of the layer holding the payload. */
  layerDigest: string;
  /** The exact bytes of the layer blob (checked against `layerDigest`). */
  payload: Uint8Array;
  /** Base64 signature from the `dev.cosignproject.cosign/signature` annotation. */
  signature?: string;
  /** PEM from `dev.sigstore.cosign/certificate` (keyless or key+cert signing). */
  certificate?: string;
  /** JSON from `dev.sigstore.cosign/bundle` (the Rekor entry). */
  bundle?: string;
  /** PEM certificates from `dev.sigstore.cosign/chain` (the certificate's issuers, keyless signing). */
  chain?: string;
  /** The referrer's artifactType (referrers formats only). */
  artifactType?: string;
}

export type VerifyReason =
  | 'verified'
  | 'no-signatures'
  | 'bad-signature'
  | 'digest-mismatch'
  | 'malformed-payload'
  | 'wrong-type'
  | 'unsupported-key-type'
  | 'invalid-key'
  | 'expired-key'
  | 'unsupported-format';

export interface VerifyResult {
  ok: boolean;
  reason: VerifyReason;
  /** One sentence for people; never contains key material. */
  detail: string;
  /** From the payload, once it verified and parsed. */
  dockerReference?: string;
  signedDigest?: string;
  optional?: Record<string, unknown> | null;
}

export interface SimpleSigningPayload {
  dockerReference: string;
  digest: string;
  type: string;
  optional: Record<string, unknown> | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: VerifyReason; detail: string };

const DIGEST_RE = /^sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$/;
/** Standard base64 with padding, as cosign writes annotations. */
export const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (reason: VerifyReason, detail: string) => ({ ok: false as const, reason, detail });

/**
 * The payload bytes `cosign sign` writes for `digest` when it is given no annotations: Go's JSON encoding of
 * the simple-signing document, keys in struct order, no spaces, `"optional":null`. `dockerReference` is
 * the image's repository (`registry/repository`, no tag; cosign writes Docker Hub as `index.docker.io/…`).
 */
export function defaultCosignPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    `{"critical":{"identity":{"docker-reference":${JSON.stringify(dockerReference)}},"image":{"docker-manifest-digest":${JSON.stringify(digest)}},` +
      `"type":${JSON.stringify(COSIGN_SIGNATURE_TYPE)}},"optional":null}`
  );
}

/**
 * A signature layer's payload without fetching it, when it is content-addressed to one of the payloads
 * cosign would write for `digest` under one of `dockerReferences`: the layer's sha256 digest (and size)
 * equal the candidate's, so the candidate is byte for byte the blob the registry holds. Undefined
 * otherwise (annotations in `optional`, another writer, another digest algorithm): the caller fetches the
 * blob. Only saves a request; the signature is verified over these bytes exactly as over fetched ones.
 */
export function knownCosignPayload(dockerReferences: readonly string[], digest: string, layer: { digest: string; size?: number }): Buffer | undefined {
  if (!layer.digest.startsWith('sha256:')) return undefined;
  for (const ref of new Set(dockerReferences)) {
    const bytes = defaultCosignPayload(ref, digest);
    if (layer.size !== undefined && layer.size !== bytes.length) continue;
    if (`sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}` === layer.digest) return bytes;
  }
  return undefined;
}

/** Parses a simple-signing payload (after its signature verified). */
export function parseSimpleSigning(bytes: Uint8Array): ParseResult<SimpleSigningPayload> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail('malformed-payload', 'the payload is not UTF-8 JSON');
  }
  if (!isObject(doc)) return fail('malformed-payload', 'the payload is not a JSON object');
  const critical = doc.critical;
  if (!isObject(critical)) return fail('malformed-payload', "the payload has no 'critical' object");
  if (typeof critical.type !== 'string') return fail('malformed-payload', "the payload has no 'critical.type'");
  if (critical.type !== COSIGN_SIGNATURE_TYPE)
    return fail('wrong-type', `the payload's type is ${JSON.stringify(critical.type.slice(0, 100))}, not ${JSON.stringify(COSIGN_SIGNATURE_TYPE)}`);
  const identity = critical.identity;
  if (!isObject(identity) || typeof identity['docker-reference'] !== 'string')
    return fail('malformed-payload', "the payload has no 'critical.identity.docker-reference' string");
  const image = critical.image;
  if (!isObject(image) || typeof image['docker-manifest-digest'] !== 'string')
    return fail('malformed-payload', "the payload has no 'critical.image.docker-manifest-digest' string");
  const digest = image['docker-manifest-digest'];
  if (!DIGEST_RE.test(digest)) return fail('malformed-payload', `'docker-manifest-digest' is not a digest: ${JSON.stringify(digest.slice(0, 100))}`);
  const optional = doc.optional;
  if (optional !== undefined && optional !== null && !isObject(optional)) return fail('malformed-payload', "the payload's 'optional' is not an object or null");
  return { ok: true, value: { dockerReference: identity['docker-reference'], digest, type: critical.type, optional: optional ?? null } };
}

/**
 * The verification key from a PEM: an SPKI `PUBLIC KEY` (what `cosign generate-key-pair` writes as
 * cosign.pub) or a `CERTIFICATE` (its validity must cover `now`). Only EC P-256 is supported.
 */
export function loadPublicKey(pem: string, now: Date = new Date()): ParseResult<crypto.KeyObject> {
  const text = pem.trim();
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (!label) return fail('invalid-key', 'the key is not a PEM block');
  if (/PRIVATE KEY/.test(label)) return fail('invalid-key', 'a private key was given: pass the public key (cosign.pub)');
  let key: crypto.KeyObject;
  if (label === 'CERTIFICATE') {
    let cert: crypto.X509Certificate;
    try {
      cert = new crypto.X509Certificate(text);
    } catch {
      return fail('invalid-key', 'the certificate PEM cannot be read');
    }
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (now < from) return fail('expired-key', `the certificate is not valid before ${from.toISOString()}`);
    if (now > to) return fail('expired-key', `the certificate expired at ${to.toISOString()}`);
    key = cert.publicKey;
  } else if (label === 'PUBLIC KEY') {
    try {
      key = crypto.createPublicKey({ key: text, format: 'pem' });
    } catch {
      return fail('invalid-key', 'the public key PEM cannot be read');
    }
  } else {
    return fail('invalid-key', `a PEM '${label}' block is not a public key or certificate`);
  }
  if (key.asymmetricKeyType !== 'ec')
    return fail('unsupported-key-type', `${key.asymmetricKeyType ?? 'unknown'} keys are not supported: use an ECDSA P-256 key`);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') return fail('unsupported-key-type', `EC curve ${curve ?? 'unknown'} is not supported: use P-256`);
  return { ok: true, value: key };
}

export interface VerifyOptions {
  /** cosign.pub (or a certificate) as PEM. */
  publicKeyPem: string;
  /** The digest the image reference resolved to. */
  digest: string;
  /** For certificate validity (default: now). */
  now?: Date;
}

/** Verifies one signature against a key and the resolved digest. */
export function verifyCosignSignature(sig: Pick<FoundSignature, 'kind' | 'payload' | 'signature'>, opts: VerifyOptions): VerifyResult {
  const key = loadPublicKey(opts.publicKeyPem, opts.now);
  if (!key.ok) return { ok: false, reason: key.reason, detail: key.detail };
  return verifyWithKey(sig, key.value, opts.digest);
}

/** As verifyCosignSignature, with a key already loaded (a policy checks many signatures against one key). */
export function verifyWithKey(sig: Pick<FoundSignature, 'kind' | 'payload' | 'signature'>, key: crypto.KeyObject, digest: string): VerifyResult {
  if (sig.kind !== 'simple-signing')
    return { ok: false, reason: 'unsupported-format', detail: 'a Sigstore bundle is checked by the bundle verifier, not as a simple-signing payload' };
  const b64 = sig.signature?.replace(/\s+/g, '') ?? '';
  if (!b64) return { ok: false, reason: 'bad-signature', detail: `the layer has no '${ANNOTATION_SIGNATURE}' annotation` };
  if (!BASE64_RE.test(b64)) return { ok: false, reason: 'bad-signature', detail: 'the signature annotation is not base64' };
  let valid: boolean;
  try {
    valid = crypto.verify('sha256', sig.payload, { key, dsaEncoding: 'der' }, Buffer.from(b64, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'bad-signature', detail: 'the signature does not verify over the payload with this key' };
  const parsed = parseSimpleSigning(sig.payload);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, detail: parsed.detail };
  const p = parsed.value;
  const signed = { dockerReference: p.dockerReference, signedDigest: p.digest, optional: p.optional };
  if (p.digest !== digest) return { ok: false, reason: 'digest-mismatch', detail: `the signature is for ${p.digest}, not ${digest}`, ...signed };
  return { ok: true, reason: 'verified', detail: `signed ${p.digest} (${p.dockerReference})`, ...signed };
}

export interface ImageVerification extends VerifyResult {
  /** One result per signature, in discovery order. */
  results: (VerifyResult & { signature: FoundSignature })[];
}

/**
 * The image is verified when at least one signature verifies (as `cosign verify --key`). Otherwise the
 * reason is that of a key problem, `no-signatures`, or the first signature's failure.
 */
export function verifyImageSignatures(signatures: readonly FoundSignature[], opts: VerifyOptions): ImageVerification {
  const key = loadPublicKey(opts.publicKeyPem, opts.now);
  if (!key.ok) return { ok: false, reason: key.reason, detail: key.detail, results: [] };
  const results = signatures.map((signature) => ({ ...verifyWithKey(signature, key.value, opts.digest), signature }));
  const good = results.find((r) => r.ok);
  if (good) {
    const { signature: _s, ...rest } = good;
    return { ...rest, results };
  }
  if (results.length === 0) return { ok: false, reason: 'no-signatures', detail: `no cosign signatures found for ${opts.digest}`, results };
  const { signature: _s, ...first } = results[0]!;
  const detail = results.length > 1 ? `${first.detail} (and ${results.length - 1} more signature(s) failed)` : first.detail;
  return { ...first, detail, results };
}
