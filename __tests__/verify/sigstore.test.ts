import crypto from 'node:crypto';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { parseTrustedRoot } from '../../src/core/verify/trusted-root.js';
import { verifyArtifactBundle, verifyEcdsaPrehashed, verifyImageBundle, type ImageBundleOptions } from '../../src/core/verify/sigstore.js';
import type { KeylessIdentity } from '../../src/core/verify/types.js';
import {
  createTestSigstore,
  imageBundleCases,
  SIGNED_AT,
  statement,
  TEST_IDENTITY,
  TEST_ISSUER,
  TEST_POLICY_IDENTITY,
  type BundleCase,
  type TestSigstore
} from '../helpers/sigstore.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const NOW = new Date(SIGNED_AT.getTime() + 3600_000);

let s: TestSigstore;
let cases: BundleCase[];
beforeAll(() => {
  s = createTestSigstore();
  cases = imageBundleCases(s, DIGEST);
});

const verify = (bundle: Uint8Array, o: Partial<ImageBundleOptions> = {}) =>
  verifyImageBundle(bundle, { digest: DIGEST, trustedRoot: s.trustedRoot, identities: [TEST_POLICY_IDENTITY], keys: [s.publicKey], now: NOW, ...o });

/** Edits a bundle's JSON (free-form on purpose: tests break it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const edit = (bundle: Buffer, fn: (doc: any) => void) => {
  const doc = JSON.parse(bundle.toString('utf8'));
  fn(doc);
  return Buffer.from(JSON.stringify(doc));
};

describe('verifyImageBundle: the fixture table', () => {
  test.each([
    'a keyless cosign signature',
    'a key-signed cosign signature',
    'an SBOM attestation only',
    'a signature for another digest',
    'a tampered payload',
    'another identity',
    'another issuer',
    'another branch',
    'a certificate expired before the tlog entry',
    'a certificate from an unknown CA',
    'an entry in an unknown log',
    'a message signature'
  ])('%s', (name) => {
    const c = cases.find((x) => x.name === name)!;
    const r = verify(c.bundle);
    expect(r.reason).toBe(c.reason);
    expect(r.ok).toBe(c.reason === 'verified');
    expect(r.detail).not.toMatch(/BEGIN|PRIVATE|MFkw/);
  });

  test('a verified keyless bundle names its signer and predicate', () => {
    const r = verify(s.signImage(DIGEST));
    expect(r).toEqual({
      ok: true,
      reason: 'verified',
      detail: `${DIGEST} signed by keyless:${TEST_ISSUER} ${TEST_IDENTITY}`,
      signer: `keyless:${TEST_ISSUER} ${TEST_IDENTITY}`,
      predicateType: 'https://sigstore.dev/cosign/sign/v1'
    });
  });

  test('a verified key-signed bundle names the key by its SPKI fingerprint', () => {
    const fp = crypto
      .createHash('sha256')
      .update(s.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    expect(verify(s.signImage(DIGEST, { withKey: true })).signer).toBe(`key:sha256:${fp}`);
  });

  test('details say what differed', () => {
    const byName = (n: string) => verify(cases.find((c) => c.name === n)!.bundle).detail;
    expect(byName('an SBOM attestation only')).toMatch(/attestation \("https:\/\/spdx\.dev\/Document"\), not a cosign signature/);
    expect(byName('a signature for another digest')).toContain(`not ${DIGEST}`);
    expect(byName('another issuer')).toBe(`the certificate's issuer is "https://accounts.google.com", expected "${TEST_ISSUER}"`);
    expect(byName('another identity')).toMatch(/^the certificate's identity is "https:\/\/github\.com\/evil\/.*", expected "https:\/\/github\.com\/acme\//);
    expect(byName('another branch')).toBe('the certificate\'s GitHub ref is "refs/heads/dev", expected "refs/heads/main"');
    expect(byName('a certificate expired before the tlog entry')).toMatch(/expired|certificate chain/);
  });
});

describe('verifyImageBundle: identities', () => {
  const gh = TEST_POLICY_IDENTITY.github!;
  const base: KeylessIdentity = { issuer: TEST_ISSUER, identity: TEST_IDENTITY };
  test.each<[string, KeylessIdentity[], string, RegExp]>([
    ['exact identity, no claims', [base], 'verified', /signed by keyless:/],
    ['anchored regexp', [{ issuer: TEST_ISSUER, identityRegexp: 'https://github\\.com/acme/.*' }], 'verified', /signed by keyless:/],
    [
      'alternation is anchored as a whole',
      [{ issuer: TEST_ISSUER, identityRegexp: 'nope|https://github\\.com/acme/api/.*' }],
      'verified',
      /signed by keyless:/
    ],
    [
      'a regexp matching only a part',
      [{ issuer: TEST_ISSUER, identityRegexp: 'https://github\\.com/acme/api' }],
      'identity-mismatch',
      /does not match "\^\(\?:/
    ],
    ['an invalid regexp', [{ issuer: TEST_ISSUER, identityRegexp: '(' }], 'identity-mismatch', /not a valid regular expression/],
    ['a regexp escaping its anchors', [{ issuer: TEST_ISSUER, identityRegexp: 'x)|(.*' }], 'identity-mismatch', /not a valid regular expression/],
    ['issuer differs by a slash', [{ ...base, issuer: `${TEST_ISSUER}/` }], 'identity-mismatch', /issuer is/],
    ['all GitHub claims', [{ ...base, github: gh }], 'verified', /signed by keyless:/],
    ['another repository', [{ ...base, github: { repository: 'acme/web' } }], 'identity-mismatch', /GitHub repository is "acme\/api", expected "acme\/web"/],
    ['another ref', [{ ...base, github: { ref: 'refs/tags/v1' } }], 'identity-mismatch', /GitHub ref is "refs\/heads\/main"/],
    ['another sha', [{ ...base, github: { sha: 'f'.repeat(40) } }], 'identity-mismatch', /GitHub sha/],
    ['another trigger', [{ ...base, github: { trigger: 'pull_request' } }], 'identity-mismatch', /GitHub trigger is "push", expected "pull_request"/],
    [
      'another workflow',
      [{ ...base, github: { workflow: '.github/workflows/ci.yml' } }],
      'identity-mismatch',
      /GitHub workflow is "\.github\/workflows\/release\.yml"/
    ],
    ['one of two identities matches', [{ ...base, issuer: 'https://accounts.google.com' }, base], 'verified', /signed by keyless:/],
    [
      'the closest mismatch is reported',
      [
        { ...base, issuer: 'https://accounts.google.com' },
        { ...base, github: { repository: 'acme/web' } }
      ],
      'identity-mismatch',
      /GitHub repository .* \(closest of 2 identities\)$/
    ],
    ['no identities and no keys', [], 'identity-mismatch', /policy names no signer/]
  ])('%s', (_name, identities, reason, detail) => {
    const r = verify(s.signImage(DIGEST), { identities, keys: [] });
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });

  test('a keyless bundle against a policy of keys only', () => {
    const r = verify(s.signImage(DIGEST), { identities: [] });
    expect(r).toMatchObject({ ok: false, reason: 'identity-mismatch', detail: expect.stringMatching(/names only keys/) });
  });

  test('an email identity', () => {
    const bundle = s.signImage(DIGEST, { identity: 'dev@acme.test', issuer: 'https://accounts.google.com', github: null });
    expect(verify(bundle, { identities: [{ issuer: 'https://accounts.google.com', identity: 'dev@acme.test' }] }).reason).toBe('verified');
  });

  test('GitHub claims the certificate lacks are a mismatch', () => {
    const r = verify(s.signImage(DIGEST, { github: null }), { identities: [{ ...base, github: { repository: 'acme/api' } }] });
    expect(r).toMatchObject({ reason: 'identity-mismatch', detail: 'the certificate\'s GitHub repository is absent, expected "acme/api"' });
  });
});

describe('verifyImageBundle: keys', () => {
  test.each<[string, () => crypto.KeyObject[], string, RegExp]>([
    ['no keys in the policy', () => [], 'untrusted-key', /policy names no key/],
    ['another key', () => [s.otherPublicKey], 'untrusted-key', /none of the policy's 1 key/],
    ['the right key among others', () => [s.otherPublicKey, s.publicKey], 'verified', /signed by key:sha256:/]
  ])('%s', (_name, keys, reason, detail) => {
    const r = verify(s.signImage(DIGEST, { withKey: true }), { keys: keys() });
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });

  test('a tampered key-signed payload verifies with no key', () => {
    expect(verify(s.signImage(DIGEST, { withKey: true, tamper: true })).reason).toBe('untrusted-key');
  });
});

describe('verifyImageBundle: bundle and log problems', () => {
  test.each<[string, () => Uint8Array, string, RegExp]>([
    ['not JSON', () => Buffer.from('{'), 'malformed-bundle', /not UTF-8 JSON/],
    ['a JSON array', () => Buffer.from('[]'), 'malformed-bundle', /not a JSON object/],
    ['no media type', () => edit(s.signImage(DIGEST), (d) => delete d.mediaType), 'malformed-bundle', /mediaType/],
    [
      'a v0.3 bundle without inclusion proof',
      () => edit(s.signImage(DIGEST), (d) => delete d.verificationMaterial.tlogEntries[0].inclusionProof),
      'malformed-bundle',
      /inclusionProof/
    ],
    [
      'another DSSE payload type',
      () => s.bundle({ dsse: statement(DIGEST) }, { payloadType: 'text/plain' }),
      'unsupported-format',
      /payload type is "text\/plain"/
    ],
    ['a payload that is not a statement', () => s.bundle({ dsse: Buffer.from('{"hello":1}') }), 'malformed-bundle', /not an in-toto Statement/],
    [
      'a forged signed entry timestamp',
      () =>
        edit(
          s.signImage(DIGEST),
          (d) => (d.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = Buffer.alloc(70, 1).toString('base64'))
        ),
      'tlog-invalid',
      /inclusion promise/
    ],
    [
      'a forged checkpoint',
      () =>
        edit(
          s.signImage(DIGEST),
          (d) =>
            (d.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope =
              d.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope.replace('\n1\n', '\n2\n'))
        ),
      'tlog-invalid',
      /checkpoint/
    ],
    [
      'an entry for another signature',
      () =>
        edit(
          s.signImage(DIGEST),
          (d) => (d.verificationMaterial.tlogEntries[0] = JSON.parse(s.signImage(DIGEST).toString()).verificationMaterial.tlogEntries[0])
        ),
      'tlog-invalid',
      /transparency log entry does not verify/
    ],
    ['no tlog entries', () => edit(s.signImage(DIGEST), (d) => (d.verificationMaterial.tlogEntries = [])), 'tlog-invalid', /timestamp|tlog/]
  ])('%s', (_name, bundle, reason, detail) => {
    const r = verify(bundle());
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });

  test('an entry dated in the future is refused', () => {
    const r = verify(s.signImage(DIGEST), { now: new Date(SIGNED_AT.getTime() - 24 * 3600_000) });
    expect(r).toMatchObject({ reason: 'tlog-invalid', detail: expect.stringMatching(/in the future/) });
  });

  test('a root with CT logs requires an SCT', () => {
    const doc = JSON.parse(s.trustedRootJSON);
    doc.ctlogs = [{ ...doc.tlogs[0], baseUrl: 'https://ctfe.sigstore.test' }];
    const root = parseTrustedRoot(JSON.stringify(doc), 'with-ct.json');
    expect(verify(s.signImage(DIGEST), { trustedRoot: root })).toMatchObject({ reason: 'certificate-invalid', detail: expect.stringMatching(/SCT/) });
  });

  test('a root without the test CA', () => {
    const doc = JSON.parse(s.trustedRootJSON);
    doc.certificateAuthorities = [];
    expect(verify(s.signImage(DIGEST), { trustedRoot: parseTrustedRoot(JSON.stringify(doc), 'no-ca.json') }).reason).toBe('certificate-invalid');
  });
});

describe('verifyArtifactBundle', () => {
  const blob = Buffer.from('hello, sigstore\n');
  const hex = crypto.createHash('sha256').update(blob).digest('hex');
  const identity = { identity: TEST_IDENTITY, issuer: TEST_ISSUER };

  test.each<[string, () => Uint8Array, () => object, string]>([
    ['a message signature with the artifact', () => s.signBlob(blob), () => ({ artifact: blob, identity }), 'verified'],
    ['a message signature with its digest', () => s.signBlob(blob), () => ({ digest: `sha256:${hex}`, identity }), 'verified'],
    ['a message signature over another artifact', () => s.signBlob(blob), () => ({ artifact: Buffer.from('other'), identity }), 'digest-mismatch'],
    ['a message signature and another digest', () => s.signBlob(blob), () => ({ digest: `sha256:${'0'.repeat(64)}`, identity }), 'digest-mismatch'],
    [
      'a forged digest signature',
      () => edit(s.signBlob(blob), (d) => (d.messageSignature.signature = JSON.parse(s.signBlob(blob).toString()).messageSignature.signature)),
      () => ({ digest: `sha256:${hex}`, identity }),
      'bad-signature'
    ],
    [
      'a DSSE statement naming the artifact',
      () => s.bundle({ dsse: statement(`sha256:${hex}`, 'https://slsa.dev/provenance/v1') }),
      () => ({ artifact: blob, identity }),
      'verified'
    ],
    ['a DSSE statement naming another artifact', () => s.bundle({ dsse: statement(DIGEST) }), () => ({ artifact: blob, identity }), 'digest-mismatch'],
    ['a key-signed blob and the key PEM', () => s.signBlob(blob, { withKey: true }), () => ({ artifact: blob, key: s.publicKeyPem }), 'verified'],
    ['a key-signed blob digest and the key', () => s.signBlob(blob, { withKey: true }), () => ({ digest: `sha256:${hex}`, key: s.publicKey }), 'verified'],
    ['a key-signed blob and another key', () => s.signBlob(blob, { withKey: true }), () => ({ artifact: blob, key: s.otherPublicKey }), 'untrusted-key'],
    ['a keyless blob and another identity', () => s.signBlob(blob), () => ({ artifact: blob, identity: { ...identity, identity: 'x' } }), 'identity-mismatch'],
    ['an unreadable key', () => s.signBlob(blob, { withKey: true }), () => ({ artifact: blob, key: 'not a pem' }), 'untrusted-key']
  ])('%s', (_name, bundle, opts, reason) => {
    const r = verifyArtifactBundle(bundle(), { trustedRoot: s.trustedRoot, now: NOW, ...opts() });
    expect(r.reason).toBe(reason);
    expect(r.ok).toBe(reason === 'verified');
  });
});

describe('verifyEcdsaPrehashed', () => {
  test.each(['P-256', 'P-384'])('agrees with node:crypto on %s', (namedCurve) => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 5; i++) {
      const data = crypto.randomBytes(40);
      const sig = crypto.sign('sha256', data, privateKey);
      const hash = crypto.createHash('sha256').update(data).digest();
      expect(verifyEcdsaPrehashed(publicKey, hash, sig)).toBe(true);
      expect(verifyEcdsaPrehashed(publicKey, crypto.createHash('sha256').update('other').digest(), sig)).toBe(false);
      const bad = Buffer.from(sig);
      bad[bad.length - 1]! ^= 1;
      expect(verifyEcdsaPrehashed(publicKey, hash, bad)).toBe(false);
    }
  });

  test('other key types are not verified', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const sig = crypto.sign(null, Buffer.from('x'), privateKey);
    expect(verifyEcdsaPrehashed(publicKey, crypto.createHash('sha256').update('x').digest(), sig)).toBe(false);
  });
});
