/**
 * A conformance-style suite of Sigstore bundles (issue 12 item 4), planned from the behaviours the public
 * sigstore-conformance `bundle-verify` cases describe (happy paths per signature kind and bundle version,
 * Rekor v1 and v2 entries, timestamps, checkpoints, expired or untrusted chains, wrong identities, tampered
 * fields), built by our own test signer (helpers/sigstore.ts: Fulcio-style CA, Rekor v1/v2 log, RFC 3161
 * TSA), never by the code under test. Every case runs twice, as the conformance harness does: with the
 * artifact, and with only its `sha256:` digest. Nothing passes unless a signature was verified against a
 * trusted identity or key, with a trusted signing time, over exactly this artifact.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { verifyArtifactBundle } from '../../src/core/verify/sigstore.js';
import { createTestSigstore, SIGNED_AT, statement, TEST_IDENTITY, TEST_ISSUER, type BundleOptions } from '../helpers/sigstore.js';

const s = createTestSigstore();
const artifact = Buffer.from('a release artifact\n'.repeat(64));
const hex = crypto.createHash('sha256').update(artifact).digest('hex');
const now = new Date(SIGNED_AT.getTime() + 86_400_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const edit = (bundle: Buffer, fn: (b: Json) => void): Buffer => {
  const b = JSON.parse(bundle.toString()) as Json;
  fn(b);
  return Buffer.from(JSON.stringify(b));
};
const flipB64 = (v: string, at = 8) => {
  const raw = Buffer.from(v, 'base64');
  raw[Math.min(at, raw.length - 1)]! ^= 0x01;
  return raw.toString('base64');
};
const message = (o: BundleOptions = {}) => s.signBlob(artifact, o);
const dsse = (o: BundleOptions = {}) => s.bundle({ dsse: statement(`sha256:${hex}`, 'https://slsa.dev/provenance/v1') }, o);
const entry = (b: Json) => b.verificationMaterial.tlogEntries[0] as Json;

interface Case {
  name: string;
  bundle: () => Buffer;
  /** 'verified', or the reason it must fail with. */
  want: string;
  /** The policy also trusts the test signer's managed key. */
  key?: boolean;
}

const CASES: Case[] = [
  // Happy paths
  { name: 'message signature, Rekor v1 entry with SET and inclusion proof (v0.3)', bundle: () => message(), want: 'verified' },
  { name: 'DSSE in-toto statement naming the artifact, Rekor v1 dsse entry', bundle: () => dsse(), want: 'verified' },
  { name: 'message signature with a managed key (public key hint)', bundle: () => message({ withKey: true }), want: 'verified', key: true },
  { name: 'message signature, Rekor v2 hashedrekord 0.0.2 entry + RFC 3161 timestamp', bundle: () => message({ rekorV2: true }), want: 'verified' },
  {
    name: 'DSSE statement, Rekor v2 hashedrekord over the pre-authentication encoding + timestamp',
    bundle: () => dsse({ rekorV2: true }),
    want: 'verified'
  },
  { name: 'DSSE statement, Rekor v2 dsse 0.0.2 entry + timestamp', bundle: () => dsse({ rekorV2: true, v2Dsse: true }), want: 'verified' },
  { name: 'message signature with a timestamp and no log entry', bundle: () => message({ timestampOnly: true }), want: 'verified' },
  {
    name: 'v0.1 bundle: inclusion promise only, no proof',
    bundle: () =>
      edit(message(), (b) => {
        b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
        delete entry(b).inclusionProof;
      }),
    want: 'verified'
  },

  // Signature and content
  {
    name: 'signature bytes altered',
    bundle: () => edit(message(), (b) => (b.messageSignature.signature = flipB64(b.messageSignature.signature, 40))),
    want: 'bad-signature'
  },
  {
    name: 'message digest of another artifact',
    bundle: () => s.signBlob(Buffer.from('another artifact')),
    want: 'digest-mismatch'
  },
  { name: 'DSSE statement about another artifact', bundle: () => s.bundle({ dsse: statement(`sha256:${'ab'.repeat(32)}`) }), want: 'digest-mismatch' },
  { name: 'DSSE payload altered after signing', bundle: () => dsse({ tamper: true }), want: 'bad-signature' },
  { name: 'no signature in the bundle', bundle: () => edit(message(), (b) => (b.messageSignature.signature = '')), want: 'malformed-bundle' },

  // Identity
  {
    name: 'another identity',
    bundle: () => message({ identity: 'https://github.com/evil/x/.github/workflows/r.yml@refs/heads/main' }),
    want: 'identity-mismatch'
  },
  { name: 'another issuer', bundle: () => message({ issuer: 'https://accounts.google.com' }), want: 'identity-mismatch' },
  { name: 'a managed-key bundle checked against a keyless identity only', bundle: () => message({ withKey: true }), want: 'untrusted-key' },

  // Certificate chain and time
  {
    name: 'certificate expired before the log entry',
    bundle: () => message({ notBefore: new Date(SIGNED_AT.getTime() - 30 * 60_000), notAfter: new Date(SIGNED_AT.getTime() - 20 * 60_000) }),
    want: 'certificate-invalid'
  },
  {
    name: 'certificate not yet valid at the log entry',
    bundle: () => message({ notBefore: new Date(SIGNED_AT.getTime() + 20 * 60_000), notAfter: new Date(SIGNED_AT.getTime() + 30 * 60_000) }),
    want: 'certificate-invalid'
  },
  { name: 'certificate from a CA the trusted root does not know', bundle: () => message({ untrustedCA: true }), want: 'certificate-invalid' },
  {
    name: 'Rekor v2: certificate expired at the timestamp',
    bundle: () => message({ rekorV2: true, notBefore: new Date(SIGNED_AT.getTime() - 30 * 60_000), notAfter: new Date(SIGNED_AT.getTime() - 20 * 60_000) }),
    want: 'certificate-invalid'
  },

  // Transparency log (v1)
  { name: 'entry in a log the trusted root does not know', bundle: () => message({ unknownLog: true }), want: 'tlog-invalid' },
  {
    name: 'signed entry timestamp altered',
    bundle: () => edit(message(), (b) => (entry(b).inclusionPromise.signedEntryTimestamp = flipB64(entry(b).inclusionPromise.signedEntryTimestamp, 20))),
    want: 'tlog-invalid'
  },
  {
    name: 'integrated time altered (the SET no longer covers it)',
    bundle: () => edit(message(), (b) => (entry(b).integratedTime = String(Number(entry(b).integratedTime) + 60))),
    want: 'tlog-invalid'
  },
  {
    name: "inclusion proof root hash altered (disagrees with the signed checkpoint's)",
    bundle: () => edit(message(), (b) => (entry(b).inclusionProof.rootHash = flipB64(entry(b).inclusionProof.rootHash))),
    want: 'tlog-invalid'
  },
  {
    name: 'checkpoint signature altered',
    bundle: () =>
      edit(message(), (b) => {
        const env = entry(b).inclusionProof.checkpoint.envelope as string;
        entry(b).inclusionProof.checkpoint.envelope = env.replace(/ (\S+)\n$/, (_m, sig: string) => ` ${flipB64(sig, 20)}\n`);
      }),
    want: 'tlog-invalid'
  },
  {
    name: 'log entry body for another signature',
    bundle: () => edit(message(), (b) => (entry(b).canonicalizedBody = entry(dsseOf()).canonicalizedBody)),
    want: 'tlog-invalid'
  },
  {
    name: 'no log entry and no timestamp',
    bundle: () => edit(message(), (b) => (b.verificationMaterial.tlogEntries = [])),
    want: 'tlog-invalid'
  },

  // Rekor v2 and timestamps
  {
    name: 'Rekor v2 entry without a timestamp (v2 gives no signing time)',
    bundle: () => edit(message({ rekorV2: true }), (b) => delete b.verificationMaterial.timestampVerificationData),
    want: 'tlog-invalid'
  },
  {
    name: 'Rekor v2 dsse entry recording the hash of another payload',
    bundle: () => dsse({ rekorV2: true, v2Dsse: true, v2DsseOtherPayload: true }),
    want: 'tlog-invalid'
  },
  {
    name: 'Rekor v2 entry for a DSSE envelope recording the payload digest, not the PAE',
    bundle: () => dsse({ rekorV2: true, v2PayloadDigest: true }),
    want: 'tlog-invalid'
  },
  {
    name: 'Rekor v2 checkpoint signature altered',
    bundle: () =>
      edit(message({ rekorV2: true }), (b) => {
        const env = entry(b).inclusionProof.checkpoint.envelope as string;
        entry(b).inclusionProof.checkpoint.envelope = env.replace(/ (\S+)\n$/, (_m, sig: string) => ` ${flipB64(sig, 20)}\n`);
      }),
    want: 'tlog-invalid'
  },
  { name: 'Rekor v2 entry in an unknown log', bundle: () => message({ rekorV2: true, unknownLog: true }), want: 'tlog-invalid' },
  { name: 'timestamp from a TSA the trusted root does not know', bundle: () => message({ rekorV2: true, untrustedTSA: true }), want: 'tlog-invalid' },
  { name: 'timestamp over another signature', bundle: () => message({ timestampOnly: true, tamperTimestamp: true }), want: 'timestamp-invalid' },

  // Malformed
  { name: 'not a bundle', bundle: () => Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}'), want: 'malformed-bundle' },
  { name: 'unknown media type', bundle: () => edit(message(), (b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle.v9+json')), want: 'malformed-bundle' },
  { name: 'not JSON', bundle: () => Buffer.from('\u0000\u0001'), want: 'malformed-bundle' }
];
let dsseCache: Json | undefined;
function dsseOf(): Json {
  return (dsseCache ??= JSON.parse(dsse().toString()) as Json);
}

describe('conformance-style bundle verification', () => {
  for (const form of ['artifact', 'digest'] as const) {
    describe(`given the ${form}`, () => {
      it.each(CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
        const r = verifyArtifactBundle(c.bundle(), {
          ...(form === 'artifact' ? { artifact } : { digest: `sha256:${hex}` }),
          trustedRoot: s.trustedRoot,
          identity: { identity: TEST_IDENTITY, issuer: TEST_ISSUER },
          ...(c.key ? { key: s.publicKey } : {}),
          now
        });
        expect([r.reason, r.ok]).toEqual([c.want, c.want === 'verified']);
        expect(r.detail.length).toBeGreaterThan(10);
      });
    });
  }
});
