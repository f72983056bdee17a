/**
 * cosign key-based signatures: the pure verifier (src/core/verify/cosign.ts) and discovery
 * (src/io/registry/signatures.ts) against a real registry — Debian's docker-registry (distribution 2.8)
 * on 127.0.0.1. Signatures are made here exactly as `cosign sign --key` makes them: an EC P-256 key,
 * the simple-signing payload as a blob, ECDSA-SHA256 (DER, base64) in the layer annotation, and an OCI
 * image manifest with go-containerregistry's image config under `sha256-<hex>.sig` (see
 * cosignSignatureManifest in helpers/registry.ts). Distribution 2.8 has no referrers API, so OCI 1.1
 * referrers are pushed through the tag schema (`sha256-<hex>` → OCI index); the native API is exercised
 * through the referrers proxy in registry-real.test.ts.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseImageRef, type ImageRef } from '../src/core/image-ref.js';
import {
  COSIGN_SIG_ARTIFACT_TYPE,
  knownCosignPayload,
  loadPublicKey,
  parseSimpleSigning,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  verifyCosignSignature,
  verifyImageSignatures,
  type FoundSignature
} from '../src/core/verify/cosign.js';
import { createRegistryClient, RegistryError } from '../src/io/registry/client.js';
import { cosignSignatureTag, discoverSignatures, referrersFallbackTag, type ReferrersAnswer, type SignatureSource } from '../src/io/registry/signatures.js';
import {
  cosignPayload,
  cosignSignatureManifest,
  pushCosignSignature,
  pushReferrersFallback,
  requireRegistry,
  startRegistry,
  type PushedManifest,
  type TestRegistry
} from './helpers/registry.js';

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

function keyPair(type: 'ec' | 'rsa' | 'ed25519' = 'ec', namedCurve = 'prime256v1') {
  const pair =
    type === 'ec'
      ? crypto.generateKeyPairSync('ec', { namedCurve })
      : type === 'rsa'
        ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
        : crypto.generateKeyPairSync('ed25519');
  return {
    privateKey: pair.privateKey,
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  };
}

/** What cosign does: ECDSA P-256 over SHA-256 of the payload bytes, ASN.1 DER, base64. */
const sign = (payload: Buffer, key: crypto.KeyObject) => crypto.sign('sha256', payload, key).toString('base64');

function ref(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r) throw new Error(`bad test reference ${text}`);
  return r;
}

const simple = (payload: Buffer, signature?: string): Pick<FoundSignature, 'kind' | 'payload' | 'signature'> => ({
  kind: 'simple-signing',
  payload,
  signature
});

/** Table rows are [name, input, reason, detail]; titles show the name and the reason. */
const titled = <T>(rows: [string, T, string, RegExp][]) =>
  rows.map(([name, input, reason, detail]): [string, string, T, RegExp] => [name, reason, input, detail]);

const KEY = keyPair();
const OTHER = keyPair();

describe('parseSimpleSigning (pure)', () => {
  const good = {
    critical: { identity: { 'docker-reference': 'ghcr.io/acme/api' }, image: { 'docker-manifest-digest': DIGEST_A }, type: 'cosign container image signature' }
  };
  const withCritical = (critical: object) => Buffer.from(JSON.stringify({ critical: { ...good.critical, ...critical }, optional: null }));

  test('cosign payload: reference, digest, optional', () => {
    expect(parseSimpleSigning(cosignPayload('ghcr.io/acme/api', DIGEST_A))).toEqual({
      ok: true,
      value: { dockerReference: 'ghcr.io/acme/api', digest: DIGEST_A, type: 'cosign container image signature', optional: null }
    });
    const withOptional = parseSimpleSigning(cosignPayload('ghcr.io/acme/api', DIGEST_A, { sig: 'ci', run: 7 }));
    expect(withOptional).toMatchObject({ ok: true, value: { optional: { sig: 'ci', run: 7 } } });
    // `optional` may be left out entirely
    expect(parseSimpleSigning(Buffer.from(JSON.stringify(good)))).toMatchObject({ ok: true, value: { optional: null } });
  });

  test.each(
    titled<Buffer>([
      ['not JSON', Buffer.from('{"critical":'), 'malformed-payload', /not UTF-8 JSON/],
      ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'malformed-payload', /not UTF-8 JSON/],
      ['an array', Buffer.from('[]'), 'malformed-payload', /not a JSON object/],
      ['no critical', Buffer.from('{"optional":null}'), 'malformed-payload', /no 'critical' object/],
      ['no type', Buffer.from(JSON.stringify({ critical: { identity: {}, image: {} } })), 'malformed-payload', /no 'critical.type'/],
      [
        'another type',
        withCritical({ type: 'atomic container signature' }),
        'wrong-type',
        /"atomic container signature", not "cosign container image signature"/
      ],
      ['type in another case', withCritical({ type: 'Cosign Container Image Signature' }), 'wrong-type', /not "cosign/],
      ['no identity', withCritical({ identity: null }), 'malformed-payload', /docker-reference/],
      ['reference not a string', withCritical({ identity: { 'docker-reference': 5 } }), 'malformed-payload', /docker-reference/],
      ['no image', withCritical({ image: {} }), 'malformed-payload', /docker-manifest-digest' string/],
      ['digest not a digest', withCritical({ image: { 'docker-manifest-digest': 'sha256:xyz' } }), 'malformed-payload', /is not a digest: "sha256:xyz"/],
      ['digest in upper case', withCritical({ image: { 'docker-manifest-digest': DIGEST_A.toUpperCase() } }), 'malformed-payload', /is not a digest/],
      ['optional a string', Buffer.from(JSON.stringify({ ...good, optional: 'x' })), 'malformed-payload', /'optional' is not an object/]
    ])
  )('%s → %s', (_name, reason, bytes, detail) => {
    const r = parseSimpleSigning(bytes);
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.detail).toMatch(detail);
  });
});

describe('knownCosignPayload (pure): a default cosign payload recognised by its digest, not fetched', () => {
  // What `cosign sign --key` writes with no annotations, as the bytes of a real signature show it.
  const literal = (repo: string, digest: string) =>
    Buffer.from(
      `{"critical":{"identity":{"docker-reference":"${repo}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`
    );
  const layerOf = (b: Buffer) => ({ digest: `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`, size: b.length });

  test.each([
    ['the image repository', ['ghcr.io/acme/api'], literal('ghcr.io/acme/api', DIGEST_A), true],
    ['Docker Hub as cosign names it', ['index.docker.io/library/nginx', 'docker.io/library/nginx'], literal('index.docker.io/library/nginx', DIGEST_A), true],
    ['another repository', ['ghcr.io/acme/api'], literal('ghcr.io/acme/other', DIGEST_A), false],
    ['signed for another digest', ['ghcr.io/acme/api'], literal('ghcr.io/acme/api', DIGEST_B), false],
    ['annotations in optional', ['ghcr.io/acme/api'], cosignPayload('ghcr.io/acme/api', DIGEST_A, { sig: 'ci' }), false],
    ['spaces (another writer)', ['ghcr.io/acme/api'], Buffer.from(JSON.stringify(JSON.parse(literal('ghcr.io/acme/api', DIGEST_A).toString()), null, 1)), false]
  ] as const)('%s → known: %s', (_name, refs, blob, known) => {
    const got = knownCosignPayload(refs, DIGEST_A, layerOf(blob));
    if (known) expect(got && Buffer.from(got).equals(blob)).toBe(true);
    else expect(got).toBeUndefined();
  });

  test('the size and the algorithm must agree too; without a size the digest alone decides', () => {
    const blob = literal('ghcr.io/acme/api', DIGEST_A);
    const layer = layerOf(blob);
    expect(knownCosignPayload(['ghcr.io/acme/api'], DIGEST_A, { ...layer, size: layer.size + 1 })).toBeUndefined();
    expect(knownCosignPayload(['ghcr.io/acme/api'], DIGEST_A, { digest: layer.digest })).toBeDefined();
    const sha512 = `sha512:${crypto.createHash('sha512').update(blob).digest('hex')}`;
    expect(knownCosignPayload(['ghcr.io/acme/api'], DIGEST_A, { digest: sha512, size: blob.length })).toBeUndefined();
  });
});

describe('loadPublicKey (pure)', () => {
  test('an EC P-256 public key PEM (cosign.pub)', () => {
    const r = loadPublicKey(KEY.publicPem);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  test.each(
    titled<() => string>([
      ['P-384', () => keyPair('ec', 'secp384r1').publicPem, 'unsupported-key-type', /EC curve secp384r1 is not supported: use P-256/],
      ['RSA', () => keyPair('rsa').publicPem, 'unsupported-key-type', /rsa keys are not supported/],
      ['Ed25519', () => keyPair('ed25519').publicPem, 'unsupported-key-type', /ed25519 keys are not supported/],
      ['a private key', () => KEY.privatePem, 'invalid-key', /a private key was given: pass the public key/],
      ['not PEM', () => 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', 'invalid-key', /not a PEM block/],
      ['a broken PEM', () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'invalid-key', /public key PEM cannot be read/],
      ['a broken certificate', () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'invalid-key', /certificate PEM cannot be read/],
      [
        'another PEM block',
        () => '-----BEGIN PGP PUBLIC KEY BLOCK-----\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----',
        'invalid-key',
        /'PGP PUBLIC KEY BLOCK' block/
      ]
    ])
  )('%s → %s', (_name, reason, pem, detail) => {
    const r = loadPublicKey(pem());
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.detail).toMatch(detail);
  });

  test('the private key never appears in a reason', () => {
    const r = verifyCosignSignature(simple(Buffer.from('x'), 'AAAA'), { publicKeyPem: KEY.privatePem, digest: DIGEST_A });
    expect(r.reason).toBe('invalid-key');
    const body = KEY.privatePem.split('\n')[1]!;
    expect(JSON.stringify(r)).not.toContain(body);
  });

  describe('a certificate PEM (made with the openssl CLI)', () => {
    let dir: string;
    let certPem: string;
    let cert: crypto.X509Certificate;
    let certKey: crypto.KeyObject;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cosign-'));
      const keyFile = path.join(dir, 'k.pem');
      const certFile = path.join(dir, 'c.pem');
      const r = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          keyFile,
          '-out',
          certFile,
          '-days',
          '2',
          '-subj',
          '/CN=cg-cosign'
        ],
        { encoding: 'utf8' }
      );
      if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
      certPem = fs.readFileSync(certFile, 'utf8');
      cert = new crypto.X509Certificate(certPem);
      certKey = crypto.createPrivateKey(fs.readFileSync(keyFile));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('valid now: its key verifies', () => {
      const payload = cosignPayload('ghcr.io/acme/api', DIGEST_A);
      expect(verifyCosignSignature(simple(payload, sign(payload, certKey)), { publicKeyPem: certPem, digest: DIGEST_A })).toMatchObject({
        ok: true,
        reason: 'verified'
      });
    });

    test('expired, or not yet valid → expired-key', () => {
      const after = new Date(new Date(cert.validTo).getTime() + 1000);
      expect(loadPublicKey(certPem, after)).toEqual({
        ok: false,
        reason: 'expired-key',
        detail: `the certificate expired at ${new Date(cert.validTo).toISOString()}`
      });
      const before = new Date(new Date(cert.validFrom).getTime() - 1000);
      expect(loadPublicKey(certPem, before)).toMatchObject({ ok: false, reason: 'expired-key', detail: expect.stringContaining('not valid before') });
    });
  });
});

describe('verifyCosignSignature (pure)', () => {
  const payload = cosignPayload('127.0.0.1:5000/team/app', DIGEST_A);
  const opts = { publicKeyPem: KEY.publicPem, digest: DIGEST_A };

  test('a good signature over the exact bytes', () => {
    expect(verifyCosignSignature(simple(payload, sign(payload, KEY.privateKey)), opts)).toEqual({
      ok: true,
      reason: 'verified',
      detail: `signed ${DIGEST_A} (127.0.0.1:5000/team/app)`,
      dockerReference: '127.0.0.1:5000/team/app',
      signedDigest: DIGEST_A,
      optional: null
    });
  });

  test.each(
    titled<() => Pick<FoundSignature, 'kind' | 'payload' | 'signature'>>([
      [
        'payload re-serialised (one space)',
        () => simple(Buffer.from(JSON.stringify(JSON.parse(payload.toString()), null, 1)), sign(payload, KEY.privateKey)),
        'bad-signature',
        /does not verify/
      ],
      ['another key', () => simple(payload, sign(payload, OTHER.privateKey)), 'bad-signature', /does not verify over the payload with this key/],
      ['no annotation', () => simple(payload), 'bad-signature', /no 'dev.cosignproject.cosign\/signature' annotation/],
      ['not base64', () => simple(payload, 'not*base64!'), 'bad-signature', /not base64/],
      ['garbage DER', () => simple(payload, Buffer.from('not a DER signature').toString('base64')), 'bad-signature', /does not verify/],
      [
        'IEEE P1363 (r||s) instead of DER',
        () => simple(payload, crypto.sign('sha256', payload, { key: KEY.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64')),
        'bad-signature',
        /does not verify/
      ],
      [
        'signed for another digest',
        () => simple(cosignPayload('x/y', DIGEST_B), sign(cosignPayload('x/y', DIGEST_B), KEY.privateKey)),
        'digest-mismatch',
        /is for sha256:b+, not sha256:a+/
      ],
      ['signed garbage', () => simple(Buffer.from('hello'), sign(Buffer.from('hello'), KEY.privateKey)), 'malformed-payload', /not UTF-8 JSON/],
      [
        'signed with another type',
        () => {
          const p = Buffer.from(payload.toString().replace('cosign container image signature', 'atomic container signature'));
          return simple(p, sign(p, KEY.privateKey));
        },
        'wrong-type',
        /atomic/
      ],
      ['a Sigstore bundle', () => ({ kind: 'sigstore-bundle', payload: Buffer.from('{}') }), 'unsupported-format', /checked by the bundle verifier/]
    ])
  )('%s → %s', (_name, reason, sig, detail) => {
    const r = verifyCosignSignature(sig(), opts);
    expect(r).toMatchObject({ ok: false, reason });
    expect(r.detail).toMatch(detail);
  });

  test('a signature with line breaks in its base64 still verifies', () => {
    const b64 = sign(payload, KEY.privateKey).replace(/(.{20})/g, '$1\n');
    expect(verifyCosignSignature(simple(payload, b64), opts).ok).toBe(true);
  });

  test('verifyImageSignatures: any good one wins; none; the first failure; a key problem', () => {
    const found = (p: Buffer, s?: string): FoundSignature => ({
      format: 'cosign-legacy-tag',
      kind: 'simple-signing',
      manifestDigest: DIGEST_B,
      layerDigest: DIGEST_B,
      payload: p,
      ...(s ? { signature: s } : {})
    });
    const bad = found(payload, sign(payload, OTHER.privateKey));
    const good = found(payload, sign(payload, KEY.privateKey));
    const both = verifyImageSignatures([bad, good], opts);
    expect(both).toMatchObject({ ok: true, reason: 'verified' });
    expect(both.results.map((r) => r.reason)).toEqual(['bad-signature', 'verified']);
    expect(verifyImageSignatures([], opts)).toEqual({ ok: false, reason: 'no-signatures', detail: `no cosign signatures found for ${DIGEST_A}`, results: [] });
    const twoBad = verifyImageSignatures([bad, found(payload)], opts);
    expect(twoBad).toMatchObject({ ok: false, reason: 'bad-signature', detail: expect.stringContaining('(and 1 more signature(s) failed)') });
    expect(verifyImageSignatures([good], { ...opts, publicKeyPem: keyPair('rsa').publicPem })).toMatchObject({
      ok: false,
      reason: 'unsupported-key-type',
      results: []
    });
  });
});

describe('discovery errors (a stub source)', () => {
  const image = ref('ghcr.io/acme/api:v1');
  test('a registry error other than 404 is thrown, not read as "no signatures"', async () => {
    const source: SignatureSource = {
      resolve: async (r) => {
        throw new RegistryError(r.raw, 'manifest: HTTP 500', 500);
      },
      fetchBlob: async () => new Uint8Array()
    };
    await expect(discoverSignatures(source, image, DIGEST_A)).rejects.toThrow(/^ghcr\.io\/acme\/api:sha256-a{64}(\.sig)?: manifest: HTTP 500$/);
  });
  test('a bad digest is refused before any request', async () => {
    const calls: string[] = [];
    const source: SignatureSource = {
      resolve: async (r) => {
        calls.push(r.raw);
        throw new Error('unexpected');
      },
      fetchBlob: async () => new Uint8Array()
    };
    await expect(discoverSignatures(source, image, 'sha256:XYZ')).rejects.toThrow('not an image digest: sha256:XYZ');
    expect(calls).toEqual([]);
  });
});

describe('signature tags (pure)', () => {
  test('sha256-<hex>.sig and sha256-<hex>', () => {
    expect(cosignSignatureTag(DIGEST_A)).toBe(`sha256-${'a'.repeat(64)}.sig`);
    expect(referrersFallbackTag(DIGEST_A)).toBe(`sha256-${'a'.repeat(64)}`);
    expect(() => referrersFallbackTag('latest')).toThrow('not an image digest: latest');
  });
});

withRegistry('discovery and verification against docker-registry', () => {
  let reg: TestRegistry;
  const client = () => createRegistryClient({ insecure: true });
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  /** Pushes an image; returns it, its reference and a cosign payload for it. */
  async function image(repo: string, seed: string) {
    const pushed = await reg.pushImage(repo, 'v1', { seed });
    const dockerReference = `${reg.host}/${repo}`;
    return { pushed, image: ref(`${dockerReference}:v1`), payload: cosignPayload(dockerReference, pushed.digest) };
  }

  /** A RegistryClient with another referrers API call. */
  const withReferrers = (referrers: NonNullable<SignatureSource['referrers']>): SignatureSource => {
    const c = client();
    return { resolve: (r) => c.resolve(r), fetchBlob: (r, d, max) => c.fetchBlob(r, d, max), referrers };
  };

  /** A RegistryClient (its own referrers call included) that records the status of each referrers GET. */
  const recordingClient = (seen: number[]) =>
    createRegistryClient({
      insecure: true,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (/\/referrers\/sha256:/.test(String(input))) seen.push(res.status);
        return res;
      }
    });

  test('a cosign signature under sha256-<hex>.sig verifies', async () => {
    const { pushed, image: img, payload } = await image('sig/ok', 'ok');
    const signature = sign(payload, KEY.privateKey);
    const sigManifest = await pushCosignSignature(reg, 'sig/ok', pushed.digest, [{ payload, signature }]);
    // resolve() by tag sees what cosign would see
    expect((await client().resolve(ref(`${reg.host}/sig/ok:${cosignSignatureTag(pushed.digest)}`))).digest).toBe(sigManifest.digest);

    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ format: 'cosign-legacy-tag', kind: 'simple-signing', manifestDigest: sigManifest.digest, signature });
    expect(Buffer.from(found[0]!.payload).equals(payload)).toBe(true);
    expect(found[0]!.artifactType).toBeUndefined();

    const result = verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest });
    expect(result).toMatchObject({ ok: true, reason: 'verified', dockerReference: `${reg.host}/sig/ok`, signedDigest: pushed.digest });
  });

  test("cosign's default payload is recognised by the layer digest and not fetched; any other payload is fetched", async () => {
    const blobGets: string[] = [];
    const counting = () =>
      createRegistryClient({
        insecure: true,
        fetch: async (input, init) => {
          if (/\/blobs\/sha256:/.test(String(input))) blobGets.push(String(input));
          return fetch(input, init);
        }
      });
    const plain = await image('sig/known', 'known');
    await pushCosignSignature(reg, 'sig/known', plain.pushed.digest, [{ payload: plain.payload, signature: sign(plain.payload, KEY.privateKey) }]);
    const found = await discoverSignatures(counting(), plain.image, plain.pushed.digest);
    expect(blobGets).toEqual([]);
    expect(Buffer.from(found[0]!.payload).equals(plain.payload)).toBe(true);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: plain.pushed.digest }).ok).toBe(true);

    const annotated = await image('sig/known', 'annotated');
    const payload = cosignPayload(`${reg.host}/sig/known`, annotated.pushed.digest, { run: '7' });
    await pushCosignSignature(reg, 'sig/known', annotated.pushed.digest, [{ payload, signature: sign(payload, KEY.privateKey) }]);
    const fetched = await discoverSignatures(counting(), annotated.image, annotated.pushed.digest);
    expect(blobGets).toHaveLength(1);
    expect(Buffer.from(fetched[0]!.payload).equals(payload)).toBe(true);
  });

  test('layers that are not simple-signing payloads are ignored', async () => {
    const { pushed, image: img, payload } = await image('sig/mixed', 'mixed');
    const good = { payload, signature: sign(payload, KEY.privateKey) };
    const { manifest, blobs } = cosignSignatureManifest([good, { payload: Buffer.from('tar bytes') }]);
    const m = manifest as { layers: { mediaType: string; digest: string }[] };
    m.layers[1]!.mediaType = 'application/vnd.oci.image.layer.v1.tar';
    await reg.push('sig/mixed', cosignSignatureTag(pushed.digest), JSON.stringify(manifest), blobs);
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(found.map((s) => s.layerDigest)).toEqual([m.layers[0]!.digest]);
  });

  test('certificate and bundle annotations are passed on', async () => {
    const { pushed, image: img, payload } = await image('sig/annotated', 'annotated');
    const annotations = { 'dev.sigstore.cosign/certificate': '-----BEGIN CERTIFICATE-----\n…', 'dev.sigstore.cosign/bundle': '{"SignedEntryTimestamp":"x"}' };
    await pushCosignSignature(reg, 'sig/annotated', pushed.digest, [{ payload, signature: sign(payload, KEY.privateKey), annotations }]);
    const [s] = await discoverSignatures(client(), img, pushed.digest);
    expect(s).toMatchObject({ certificate: annotations['dev.sigstore.cosign/certificate'], bundle: annotations['dev.sigstore.cosign/bundle'] });
  });

  test('a tampered payload → bad signature', async () => {
    const { pushed, image: img, payload } = await image('sig/tampered', 'tampered');
    const tampered = Buffer.from(payload.toString().replace('"optional":null', '"optional":{"approved":"yes"}'));
    expect(tampered.equals(payload)).toBe(false);
    await pushCosignSignature(reg, 'sig/tampered', pushed.digest, [{ payload: tampered, signature: sign(payload, KEY.privateKey) }]);
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest })).toMatchObject({
      ok: false,
      reason: 'bad-signature',
      detail: 'the signature does not verify over the payload with this key'
    });
  });

  test('a signature made for another digest, copied to this image → digest mismatch', async () => {
    const a = await image('sig/copied', 'first');
    const b = await reg.pushImage('sig/copied', 'v2', { seed: 'second' });
    // a valid signature of image A, pushed as image B's signature
    await pushCosignSignature(reg, 'sig/copied', b.digest, [{ payload: a.payload, signature: sign(a.payload, KEY.privateKey) }]);
    const found = await discoverSignatures(client(), ref(`${reg.host}/sig/copied:v2`), b.digest);
    expect(found).toHaveLength(1);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: b.digest })).toMatchObject({
      ok: false,
      reason: 'digest-mismatch',
      detail: `the signature is for ${a.pushed.digest}, not ${b.digest}`,
      signedDigest: a.pushed.digest
    });
  });

  test('signed with another key → bad signature', async () => {
    const { pushed, image: img, payload } = await image('sig/otherkey', 'otherkey');
    await pushCosignSignature(reg, 'sig/otherkey', pushed.digest, [{ payload, signature: sign(payload, OTHER.privateKey) }]);
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest })).toMatchObject({ ok: false, reason: 'bad-signature' });
    // …which is the key it verifies with
    expect(verifyImageSignatures(found, { publicKeyPem: OTHER.publicPem, digest: pushed.digest }).ok).toBe(true);
  });

  test('two signatures (a second `cosign sign` appends a layer): one good is enough', async () => {
    const { pushed, image: img, payload } = await image('sig/two', 'two');
    const second = cosignPayload(`${reg.host}/sig/two`, pushed.digest, { signer: 'release' });
    await pushCosignSignature(reg, 'sig/two', pushed.digest, [
      { payload, signature: sign(payload, OTHER.privateKey) },
      { payload: second, signature: sign(second, KEY.privateKey) }
    ]);
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(found.map((s) => s.format)).toEqual(['cosign-legacy-tag', 'cosign-legacy-tag']);
    const r = verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest });
    expect(r).toMatchObject({ ok: true, optional: { signer: 'release' } });
    expect(r.results.map((x) => x.reason)).toEqual(['bad-signature', 'verified']);
  });

  test('no signature → none found (the .sig tag and the referrers tag are both absent)', async () => {
    const { pushed, image: img } = await image('sig/none', 'none');
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(found).toEqual([]);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest })).toMatchObject({ ok: false, reason: 'no-signatures' });
    // a repository that does not exist at all
    expect(await discoverSignatures(client(), ref(`${reg.host}/sig/never:v1`), DIGEST_A)).toEqual([]);
  });

  test('OCI 1.1: the referrers API answers 404 on distribution 2.8, so the sha256-<hex> index is read', async () => {
    const { pushed, image: img, payload } = await image('sig/referrers', 'referrers');
    const other = await reg.pushImage('sig/referrers', 'other', { seed: 'other' });
    const fallback = await pushReferrersFallback(reg, 'sig/referrers', pushed, [
      { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload, KEY.privateKey) }] },
      {
        artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
        layers: [{ payload: Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}') }],
        layerMediaType: SIGSTORE_BUNDLE_MEDIA_TYPE
      },
      // not a signature: an SBOM
      { artifactType: 'application/spdx+json', layers: [{ payload: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }] },
      // listed in this image's index, but its manifest's subject is another image: not this image's signature
      { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload, KEY.privateKey) }], subjectDigest: other.digest }
    ]);

    const statuses: number[] = [];
    const source: SignatureSource = recordingClient(statuses);
    const found = await discoverSignatures(source, img, pushed.digest);
    expect(statuses).toEqual([404]);
    expect(found.map((s) => [s.format, s.kind, s.artifactType, s.manifestDigest])).toEqual([
      ['referrers-tag-fallback', 'simple-signing', COSIGN_SIG_ARTIFACT_TYPE, fallback.referrers[0]!.digest],
      ['referrers-tag-fallback', 'sigstore-bundle', SIGSTORE_BUNDLE_MEDIA_TYPE, fallback.referrers[1]!.digest]
    ]);
    const r = verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest });
    expect(r).toMatchObject({ ok: true, reason: 'verified' });
    expect(r.results.map((x) => x.reason)).toEqual(['verified', 'unsupported-format']);

    // a stand-in source without a referrers call reads the fallback tag straight away
    const c = client();
    const bare: SignatureSource = { resolve: (r) => c.resolve(r), fetchBlob: (r, d, max) => c.fetchBlob(r, d, max) };
    expect((await discoverSignatures(bare, img, pushed.digest)).map((s) => s.manifestDigest)).toEqual(found.map((s) => s.manifestDigest));
  });

  test('OCI 1.1: a registry with the referrers API — its answer is used, not the fallback tag', async () => {
    const { pushed, image: img, payload } = await image('sig/api', 'api');
    const fallback = await pushReferrersFallback(reg, 'sig/api', pushed, [
      { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload, KEY.privateKey) }] }
    ]);
    // what an OCI 1.1 registry would answer: the same index, served from the API
    const index = JSON.parse(fallback.bytes.toString()) as unknown;
    const asked: string[] = [];
    const source = withReferrers(async (repository: ImageRef, digest: string): Promise<ReferrersAnswer> => {
      asked.push(`${repository.repository}@${digest}`);
      return { supported: true, index };
    });
    const found = await discoverSignatures(source, img, pushed.digest);
    expect(asked).toEqual([`sig/api@${pushed.digest}`]);
    expect(found.map((s) => [s.format, s.manifestDigest])).toEqual([['referrers', fallback.referrers[0]!.digest]]);
    expect(verifyImageSignatures(found, { publicKeyPem: KEY.publicPem, digest: pushed.digest }).ok).toBe(true);
  });

  test('legacy tag and referrers together are all listed, referrers first', async () => {
    const { pushed, image: img, payload } = await image('sig/both', 'both');
    const legacy: PushedManifest = await pushCosignSignature(reg, 'sig/both', pushed.digest, [{ payload, signature: sign(payload, OTHER.privateKey) }]);
    const fallback = await pushReferrersFallback(reg, 'sig/both', pushed, [
      { artifactType: COSIGN_SIG_ARTIFACT_TYPE, layers: [{ payload, signature: sign(payload, KEY.privateKey) }] }
    ]);
    const found = await discoverSignatures(client(), img, pushed.digest);
    expect(found.map((s) => [s.format, s.manifestDigest])).toEqual([
      ['referrers-tag-fallback', fallback.referrers[0]!.digest],
      ['cosign-legacy-tag', legacy.digest]
    ]);
  });
});
