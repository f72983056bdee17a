/**
 * cosign ≤ 2 keyless signatures in the legacy `.sig` tag, pure: a simple-signing payload layer whose
 * annotations carry the Fulcio certificate (`dev.sigstore.cosign/certificate`), its chain
 * (`dev.sigstore.cosign/chain`) and the Rekor entry with its signed entry timestamp
 * (`dev.sigstore.cosign/bundle`: `{"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime": n,
 * "logIndex": n, "logID": hex}}`).
 *
 * Nothing is verified here: the annotations are restated as the Sigstore bundle they are equivalent to
 * (media type v0.1, which allows a certificate chain and an inclusion promise without a proof, exactly what
 * cosign ≤ 2 recorded), and that bundle goes through the same @sigstore/verify pipeline as every other
 * bundle (sigstore.ts): the signature over the payload bytes, the chain to a trusted Fulcio CA at the
 * signing time, the SET under a trusted Rekor key, the entry matching signature and digest, the identity.
 * Only then is the payload read and its `docker-manifest-digest` compared (cosign.ts).
 */
import { ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, BASE64_RE as BASE64, type FoundSignature } from './cosign.js';
export const LEGACY_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

export type LegacyKeylessInput = Pick<FoundSignature, 'payload' | 'signature' | 'certificate' | 'bundle' | 'chain'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The DER bodies of the PEM CERTIFICATE blocks in `text`, in order. */
function pemCertificates(text: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const b64 = m[1]!.replace(/\s+/g, '');
    if (!BASE64.test(b64)) return [];
    out.push(Buffer.from(b64, 'base64'));
  }
  return out;
}

/** True when the signature carries what a cosign ≤ 2 keyless signature carries (a certificate and a Rekor bundle). */
export function isLegacyKeyless(sig: LegacyKeylessInput): boolean {
  return sig.certificate !== undefined && sig.bundle !== undefined;
}

/**
 * The Sigstore bundle (JSON bytes) equivalent to a legacy keyless `.sig` layer, or why there is none.
 * The message digest is the sha256 of the payload bytes as fetched: the verifier checks it against them.
 */
export function legacyKeylessBundle(sig: LegacyKeylessInput, payloadSha256: Buffer): { ok: true; bundle: Buffer } | { ok: false; detail: string } {
  const signature = sig.signature?.replace(/\s+/g, '') ?? '';
  if (!signature || !BASE64.test(signature)) return { ok: false, detail: 'the layer has no base64 signature annotation' };
  const leaf = pemCertificates(sig.certificate ?? '');
  if (leaf.length !== 1) return { ok: false, detail: `the '${ANNOTATION_CERTIFICATE}' annotation is not one PEM certificate` };
  const chain = sig.chain === undefined ? [] : pemCertificates(sig.chain);
  let rekor: unknown;
  try {
    rekor = JSON.parse(sig.bundle ?? '');
  } catch {
    return { ok: false, detail: `the '${ANNOTATION_BUNDLE}' annotation is not JSON` };
  }
  if (!isObject(rekor) || typeof rekor.SignedEntryTimestamp !== 'string' || !isObject(rekor.Payload))
    return { ok: false, detail: `the '${ANNOTATION_BUNDLE}' annotation has no SignedEntryTimestamp and Payload` };
  const p = rekor.Payload;
  if (typeof p.body !== 'string' || !BASE64.test(p.body)) return { ok: false, detail: 'the Rekor bundle has no base64 body' };
  if (!Number.isSafeInteger(p.integratedTime) || !Number.isSafeInteger(p.logIndex))
    return { ok: false, detail: 'the Rekor bundle has no integer integratedTime and logIndex' };
  if (typeof p.logID !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(p.logID)) return { ok: false, detail: 'the Rekor bundle has no hex logID' };
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8'));
  } catch {
    return { ok: false, detail: 'the Rekor entry body is not JSON' };
  }
  if (!isObject(body) || typeof body.kind !== 'string' || typeof body.apiVersion !== 'string')
    return { ok: false, detail: 'the Rekor entry body names no kind and apiVersion' };
  const json = {
    mediaType: LEGACY_BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      x509CertificateChain: { certificates: [...leaf, ...chain].map((der) => ({ rawBytes: der.toString('base64') })) },
      tlogEntries: [
        {
          logIndex: String(p.logIndex),
          logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
          kindVersion: { kind: body.kind, version: body.apiVersion },
          integratedTime: String(p.integratedTime),
          inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
          canonicalizedBody: p.body
        }
      ]
    },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: payloadSha256.toString('base64') }, signature }
  };
  return { ok: true, bundle: Buffer.from(JSON.stringify(json)) };
}
