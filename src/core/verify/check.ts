/**
 * One found signature against one policy's signers, pure: simple-signing payloads (cosign's legacy
 * `.sig` format) are checked with each configured key; Sigstore bundles go to the bundle verifier with
 * the keys and keyless identities. The first signer that verifies wins; otherwise the most telling
 * rejection is reported (a signature that verified but is for another digest says more than
 * "not signed by this key").
 */
import type crypto from 'node:crypto';
import { verifyWithKey, type FoundSignature } from './cosign.js';
import { isLegacyKeyless } from './cosign-keyless.js';
import { verifyImageBundle, verifyLegacyKeylessSignature } from './sigstore.js';
import type { TrustedRoot } from './trusted-root.js';
import type { KeylessIdentity, SignatureCheck } from './types.js';

export interface PolicyKey {
  /** How the key is named in results: its path, or `inline key #n`. */
  name: string;
  key: crypto.KeyObject;
}

export interface Signers {
  keys: readonly PolicyKey[];
  keyless: readonly KeylessIdentity[];
  /** Needed for Sigstore bundles; loaded lazily by the caller. */
  trustedRoot?: () => TrustedRoot;
  now?: Date;
}

/** Rejections ranked by how much they tell: a verified-but-wrong-digest beats a plain bad signature. */
const TELLING: readonly string[] = ['digest-mismatch', 'not-a-signature', 'identity-mismatch', 'wrong-type', 'malformed-payload', 'expired-key'];
const rank = (reason: string) => {
  const i = TELLING.indexOf(reason);
  return i < 0 ? TELLING.length : i;
};

export function checkSignature(sig: FoundSignature, digest: string, signers: Signers): SignatureCheck {
  const base = { format: sig.format, kind: sig.kind, digest };
  if (sig.kind === 'sigstore-bundle') {
    if (!signers.trustedRoot) return { ...base, ok: false, reason: 'unsupported-format', detail: 'no trusted root to verify a Sigstore bundle' };
    const r = verifyImageBundle(sig.payload, {
      digest,
      trustedRoot: signers.trustedRoot(),
      identities: [...signers.keyless],
      keys: signers.keys.map((k) => k.key),
      now: signers.now
    });
    return { ...base, ok: r.ok, reason: r.reason, detail: r.detail, ...(r.signer ? { signer: r.signer } : {}) };
  }
  // cosign ≤ 2 keyless: certificate, chain and Rekor SET in the annotations, verified as the equivalent bundle.
  let best: SignatureCheck | undefined;
  if (signers.keyless.length > 0 && isLegacyKeyless(sig)) {
    if (!signers.trustedRoot) best = { ...base, ok: false, reason: 'unsupported-format', detail: 'no trusted root to verify a keyless cosign signature' };
    else {
      const r = verifyLegacyKeylessSignature(sig, { digest, trustedRoot: signers.trustedRoot(), identities: [...signers.keyless], now: signers.now });
      best = { ...base, ok: r.ok, reason: r.reason, detail: r.detail, ...(r.signer ? { signer: r.signer } : {}) };
      if (r.ok) return best;
    }
  }
  if (signers.keys.length === 0) {
    if (best) return best;
    const keyless = sig.certificate ? ' (it carries a certificate but no Rekor bundle, so it cannot be verified keylessly)' : '';
    return { ...base, ok: false, reason: 'untrusted-key', detail: `the policy names no key for this cosign signature${keyless}` };
  }
  for (const { name, key } of signers.keys) {
    const r = verifyWithKey(sig, key, digest);
    const check: SignatureCheck = { ...base, ok: r.ok, reason: r.reason, detail: r.ok ? r.detail : `${r.detail} (key ${name})`, signer: `key:${name}` };
    if (r.ok) return check;
    if (!best || rank(check.reason) < rank(best.reason)) best = check;
  }
  return best!;
}
