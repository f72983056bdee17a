/**
 * cosign ≤ 2 keyless signatures in the legacy `.sig` tag (issue 12): a simple-signing payload whose layer
 * annotations carry the Fulcio certificate, its chain and the Rekor entry with its signed entry timestamp.
 * The signatures come from the independent test signer (helpers/sigstore.ts), which writes the annotations
 * the way cosign does; each tampered field must fail with its own reason, and nothing passes without the
 * certificate chaining to the trusted CA, a valid SET from a trusted log, the policy's identity and the
 * exact digest.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkSignature, type Signers } from '../../src/core/verify/check.js';
import type { FoundSignature } from '../../src/core/verify/cosign.js';
import { cosignPayload } from '../helpers/registry.js';
import { createTestSigstore, otherDigest, SIGNED_AT, TEST_ISSUER, TEST_POLICY_IDENTITY, type LegacyOptions } from '../helpers/sigstore.js';

const s = createTestSigstore();
const digest = `sha256:${crypto.createHash('sha256').update('legacy keyless image').digest('hex')}`;
const ref = 'registry.test/acme/api';

function found(payload: Buffer, o: LegacyOptions = {}, edit: (f: FoundSignature) => FoundSignature = (f) => f): FoundSignature {
  const sig = s.signLegacyKeyless(payload, o);
  return edit({
    format: 'cosign-legacy-tag',
    kind: 'simple-signing',
    manifestDigest: `sha256:${'1'.repeat(64)}`,
    layerDigest: `sha256:${crypto.createHash('sha256').update(payload).digest('hex')}`,
    payload,
    signature: sig.signature,
    certificate: sig.certificate,
    chain: sig.chain,
    bundle: sig.bundle
  });
}

const signers: Signers = { keys: [], keyless: [TEST_POLICY_IDENTITY], trustedRoot: () => s.trustedRoot, now: new Date(SIGNED_AT.getTime() + 86_400_000) };
const good = cosignPayload(ref, digest);

describe('cosign ≤ 2 keyless .sig signatures', () => {
  it('a signature made as cosign 2 makes it verifies, naming the keyless signer', () => {
    const r = checkSignature(found(good), digest, signers);
    expect(r).toMatchObject({ ok: true, reason: 'verified', kind: 'simple-signing', format: 'cosign-legacy-tag' });
    expect(r.signer).toBe(`keyless:${TEST_ISSUER} ${TEST_POLICY_IDENTITY.identity}`);
    expect(r.detail).toMatch(/cosign legacy keyless signature/);
  });

  it.each<[string, () => FoundSignature, string, RegExp]>([
    ['a payload for another digest', () => found(cosignPayload(ref, otherDigest(digest))), 'digest-mismatch', /the signature is for sha256:/],
    [
      'a payload changed after signing',
      () => found(good, {}, (f) => ({ ...f, payload: cosignPayload('registry.test/evil/api', digest) })),
      'bad-signature',
      /signature does not verify/
    ],
    ['a signature annotation from another signing', () => found(good, {}, (f) => ({ ...f, signature: found(good).signature })), 'bad-signature', /signature/],
    ['a certificate from a CA the trusted root does not know', () => found(good, { untrustedCA: true }), 'certificate-invalid', /certificate/],
    [
      'a certificate that had expired when the entry was logged',
      () => found(good, { notBefore: new Date(SIGNED_AT.getTime() - 30 * 60_000), notAfter: new Date(SIGNED_AT.getTime() - 20 * 60_000) }),
      'certificate-invalid',
      /certificate/
    ],
    ['an entry in a log the trusted root does not know', () => found(good, { unknownLog: true }), 'tlog-invalid', /log/i],
    ['a tampered signed entry timestamp', () => found(good, { tamperSET: true }), 'tlog-invalid', /log|timestamp|SET/i],
    ['a Rekor entry that records another signature', () => found(good, { entryForOtherSignature: true }), 'tlog-invalid', /log/i],
    [
      'another identity',
      () => found(good, { identity: 'https://github.com/evil/api/.github/workflows/release.yml@refs/heads/main' }),
      'identity-mismatch',
      /identity/
    ],
    ['another issuer', () => found(good, { issuer: 'https://accounts.google.com' }), 'identity-mismatch', /issuer/],
    ['another branch', () => found(good, { github: { ref: 'refs/heads/dev' } }), 'identity-mismatch', /ref/],
    ['a Rekor bundle that is not JSON', () => found(good, {}, (f) => ({ ...f, bundle: '{"SignedEntryTimestamp":' })), 'malformed-bundle', /not JSON/],
    [
      'a Rekor bundle without its payload',
      () => found(good, {}, (f) => ({ ...f, bundle: JSON.stringify({ SignedEntryTimestamp: 'AAAA' }) })),
      'malformed-bundle',
      /SignedEntryTimestamp and Payload/
    ],
    [
      'a certificate annotation that is not PEM',
      () => found(good, {}, (f) => ({ ...f, certificate: 'not a certificate' })),
      'malformed-bundle',
      /one PEM certificate/
    ],
    [
      'a payload of another type (signed and logged, but not a cosign signature)',
      () => found(Buffer.from(good.toString().replace('cosign container image signature', 'atomic container signature'))),
      'not-a-signature',
      /type/
    ]
  ])('%s fails', (_name, make, reason, detail) => {
    const r = checkSignature(make(), digest, signers);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });

  it('without a keyless identity in the policy it is not accepted: a key policy needs a key signature', () => {
    const r = checkSignature(found(good), digest, { ...signers, keyless: [] });
    expect(r).toMatchObject({ ok: false, reason: 'untrusted-key' });
  });

  it('without a trusted root it cannot be verified, and says so', () => {
    const r = checkSignature(found(good), digest, { ...signers, trustedRoot: undefined });
    expect(r).toMatchObject({ ok: false, reason: 'unsupported-format', detail: expect.stringMatching(/no trusted root/) });
  });

  it('a certificate without its Rekor bundle is not verified keylessly (no signing time, no log entry)', () => {
    const r = checkSignature(
      found(good, {}, (f) => ({ ...f, bundle: undefined })),
      digest,
      signers
    );
    expect(r).toMatchObject({ ok: false, reason: 'untrusted-key', detail: expect.stringMatching(/no Rekor bundle/) });
  });
});
