/**
 * Bundles with an RFC 3161 timestamp and no transparency log entry (what GitHub writes for private
 * repositories) — issue 12. The timestamp comes from the independent test TSA of helpers/sigstore.ts
 * (a CMS SignedData TimeStampResp over the bundle's signature). Such a bundle passes only when the
 * timestamp verifies against a timestamp authority of the trusted root and everything else does; a bundle
 * with neither a log entry nor a timestamp never passes.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { verifyArtifactBundle, verifyImageBundle } from '../../src/core/verify/sigstore.js';
import { createTestSigstore, SIGNED_AT, TEST_IDENTITY, TEST_ISSUER, TEST_POLICY_IDENTITY, type BundleOptions } from '../helpers/sigstore.js';

const s = createTestSigstore();
const digest = `sha256:${crypto.createHash('sha256').update('timestamped image').digest('hex')}`;
const now = new Date(SIGNED_AT.getTime() + 86_400_000);
const image = (o: BundleOptions) =>
  verifyImageBundle(s.signImage(digest, o), { digest, trustedRoot: s.trustedRoot, identities: [TEST_POLICY_IDENTITY], keys: [s.publicKey], now });

describe('timestamp-only bundles', () => {
  it.each<[string, BundleOptions]>([
    ['a keyless DSSE image signature', { timestampOnly: true }],
    ['a key-signed DSSE image signature', { timestampOnly: true, withKey: true }]
  ])('%s with only a trusted RFC 3161 timestamp verifies', (_n, o) => {
    expect(image(o)).toMatchObject({ ok: true, reason: 'verified' });
  });

  it('a message signature over a blob with only a timestamp verifies', () => {
    const blob = Buffer.from('release.tar.gz contents');
    const r = verifyArtifactBundle(s.signBlob(blob, { timestampOnly: true }), {
      artifact: blob,
      trustedRoot: s.trustedRoot,
      identity: { identity: TEST_IDENTITY, issuer: TEST_ISSUER },
      now
    });
    expect(r).toMatchObject({ ok: true, reason: 'verified' });
  });

  it.each<[string, BundleOptions, string, RegExp]>([
    ['a timestamp from a TSA the trusted root does not know', { timestampOnly: true, untrustedTSA: true }, 'timestamp-invalid', /no transparency log entry/],
    ['a timestamp over another signature', { timestampOnly: true, tamperTimestamp: true }, 'timestamp-invalid', /RFC 3161 timestamp does not verify/],
    [
      'a certificate that had expired at the timestamp',
      { timestampOnly: true, notBefore: new Date(SIGNED_AT.getTime() - 30 * 60_000), notAfter: new Date(SIGNED_AT.getTime() - 20 * 60_000) },
      'certificate-invalid',
      /certificate/
    ],
    [
      'another identity',
      { timestampOnly: true, identity: 'https://github.com/evil/api/.github/workflows/release.yml@refs/heads/main' },
      'identity-mismatch',
      /identity/
    ],
    ['a tampered payload', { timestampOnly: true, tamper: true }, 'bad-signature', /signature/]
  ])('%s fails', (_n, o, reason, detail) => {
    const r = image(o);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });

  it('a bundle with neither a log entry nor a timestamp never passes', () => {
    const bundle = JSON.parse(s.signImage(digest).toString()) as { verificationMaterial: { tlogEntries: unknown[] } };
    bundle.verificationMaterial.tlogEntries = [];
    const r = verifyImageBundle(Buffer.from(JSON.stringify(bundle)), { digest, trustedRoot: s.trustedRoot, identities: [TEST_POLICY_IDENTITY], now });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('tlog-invalid');
  });

  it('a root without timestamp authorities does not accept a timestamp-only bundle', () => {
    const root = { ...s.trustedRoot, timestampAuthorities: [] };
    const r = verifyImageBundle(s.signImage(digest, { timestampOnly: true }), { digest, trustedRoot: root, identities: [TEST_POLICY_IDENTITY], now });
    expect(r).toMatchObject({ ok: false, reason: 'timestamp-invalid' });
  });
});
