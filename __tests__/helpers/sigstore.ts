/**
 * A private Sigstore instance in memory, for tests: no network, no external tool.
 *
 * - "Fulcio": a root CA and an intermediate (EC P-256), issuing short-lived leaf certificates with a SAN
 *   URI identity, the issuer extension (OID 1.3.6.1.4.1.57264.1.8 as UTF8String, and the deprecated .1.1
 *   raw) and GitHub Actions claims (.1.9, .1.12–.1.14, .1.20 and the deprecated .1.2/.1.3/.1.5/.1.6).
 *   Certificates are DER-encoded here (a few lines of ASN.1) and signed with node:crypto.
 * - "Rekor": an ECDSA P-256 log key. Each bundle gets a tlog entry (`dsse` 0.0.1 for DSSE bundles,
 *   `hashedrekord` 0.0.1 for message signatures) with a signed entry timestamp over the canonical JSON
 *   {body, integratedTime, logID, logIndex} and an inclusion proof in a 1-leaf tree (root = leaf hash =
 *   sha256(0x00 || body)) with a signed checkpoint, as v0.3 bundles require.
 * - A trusted root JSON naming both (no CT logs, so no SCTs are needed).
 *
 * `imageBundleCases()` is the table of image bundles with the reason each must get; the registry tests
 * push the same bundles as referrers.
 */
import crypto from 'node:crypto';
import { json } from '@sigstore/core';
import { parseTrustedRoot, type TrustedRoot } from '../../src/core/verify/trusted-root.js';
import type { GithubClaims, KeylessIdentity } from '../../src/core/verify/types.js';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO = 'application/vnd.in-toto+json';
export const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';
export const SPDX = 'https://spdx.dev/Document';
/** Signing time of every bundle unless told otherwise (the tlog integratedTime). */
export const SIGNED_AT = new Date('2025-01-15T12:00:00Z');

export const TEST_ISSUER = 'https://token.actions.githubusercontent.com';
export const TEST_GITHUB: Required<GithubClaims> = {
  repository: 'acme/api',
  ref: 'refs/heads/main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  trigger: 'push',
  workflow: '.github/workflows/release.yml'
};
export const TEST_IDENTITY = `https://github.com/${TEST_GITHUB.repository}/${TEST_GITHUB.workflow}@${TEST_GITHUB.ref}`;
/** The identity a policy names to accept bundles signed with the defaults. */
export const TEST_POLICY_IDENTITY: KeylessIdentity = { issuer: TEST_ISSUER, identity: TEST_IDENTITY, github: { ...TEST_GITHUB } };

// ---------------------------------------------------------------------------------------------------
// DER

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  let len: Buffer;
  if (body.length < 0x80) len = Buffer.from([body.length]);
  else {
    const hex = body.length.toString(16);
    const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
    len = Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const set = (...p: Buffer[]) => tlv(0x31, ...p);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octet = (b: Buffer) => tlv(0x04, b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const bits = (b: Buffer, unused: number) => tlv(0x03, Buffer.from([unused]), b);
const explicit = (n: number, ...p: Buffer[]) => tlv(0xa0 | n, ...p);
const implicit = (n: number, b: Buffer) => tlv(0x80 | n, b);

function int(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const b = Buffer.from(hex, 'hex');
  return tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (all test dates are before 2050). */
const time = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/^\d\d|[-:T]|\.\d+/g, ''), 'ascii'));

const name = (org: string, cn: string) => seq(set(seq(oid('2.5.4.10'), utf8(org))), set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, value: Buffer, critical = false) => seq(oid(id), ...(critical ? [bool(true)] : []), octet(value));

const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' });
const keyId = (k: crypto.KeyObject) => crypto.createHash('sha1').update(spki(k)).digest();
const ecKeys = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

interface Issuer {
  name: Buffer;
  key: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

let serial = 1n;
function certificate(o: { issuer: Issuer; subject: Buffer; publicKey: crypto.KeyObject; notBefore: Date; notAfter: Date; extensions: Buffer[] }): Buffer {
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const exts = [extension('2.5.29.14', octet(keyId(o.publicKey))), extension('2.5.29.35', seq(implicit(0, keyId(o.issuer.publicKey)))), ...o.extensions];
  const tbs = seq(
    explicit(0, int(2n)),
    int(serial++),
    ecdsaSha256,
    o.issuer.name,
    seq(time(o.notBefore), time(o.notAfter)),
    o.subject,
    spki(o.publicKey),
    explicit(3, seq(...exts))
  );
  return seq(tbs, ecdsaSha256, bits(crypto.sign('sha256', tbs, o.issuer.key), 0));
}

const caExtensions = (pathLen?: bigint) => [
  extension('2.5.29.15', bits(Buffer.from([0x06]), 1), true), // keyCertSign, cRLSign
  extension('2.5.29.19', seq(bool(true), ...(pathLen === undefined ? [] : [int(pathLen)])), true)
];

interface CA {
  root: Buffer;
  intermediate: Buffer;
  issuer: Issuer;
}

function makeCA(org: string): CA {
  const rootKeys = ecKeys();
  const interKeys = ecKeys();
  const rootName = name(org, `${org} root`);
  const interName = name(org, `${org} intermediate`);
  const validity = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2034-01-01T00:00:00Z') };
  const rootIssuer = { name: rootName, key: rootKeys.privateKey, publicKey: rootKeys.publicKey };
  const root = certificate({ issuer: rootIssuer, subject: rootName, publicKey: rootKeys.publicKey, ...validity, extensions: caExtensions(1n) });
  const intermediate = certificate({ issuer: rootIssuer, subject: interName, publicKey: interKeys.publicKey, ...validity, extensions: caExtensions(0n) });
  return { root, intermediate, issuer: { name: interName, key: interKeys.privateKey, publicKey: interKeys.publicKey } };
}

// ---------------------------------------------------------------------------------------------------
// Fulcio leaf certificates

const FULCIO = '1.3.6.1.4.1.57264.1';

export interface SignerOptions {
  /** SAN URI (default TEST_IDENTITY); an address with `@` and no scheme becomes an email SAN. */
  identity?: string;
  issuer?: string;
  /** GitHub claims in the certificate; `null` for none. */
  github?: GithubClaims | null;
  /** Leaf validity (default: from one minute before SIGNED_AT, ten minutes long). */
  notBefore?: Date;
  notAfter?: Date;
}

function leafCertificate(ca: CA, publicKey: crypto.KeyObject, o: SignerOptions, signedAt: Date): Buffer {
  const identity = o.identity ?? TEST_IDENTITY;
  const issuer = o.issuer ?? TEST_ISSUER;
  const gh = o.github === null ? undefined : { ...TEST_GITHUB, ...o.github };
  const san = /^[^:/]+@/.test(identity) ? implicit(1, Buffer.from(identity)) : implicit(6, Buffer.from(identity));
  const extensions = [
    extension('2.5.29.15', bits(Buffer.from([0x80]), 7), true), // digitalSignature
    extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.3'))), // codeSigning
    extension('2.5.29.17', seq(san), true),
    extension(`${FULCIO}.1`, Buffer.from(issuer)),
    extension(`${FULCIO}.8`, utf8(issuer))
  ];
  if (gh) {
    const repoURI = `https://github.com/${gh.repository}`;
    extensions.push(
      extension(`${FULCIO}.2`, Buffer.from(gh.trigger)),
      extension(`${FULCIO}.3`, Buffer.from(gh.sha)),
      extension(`${FULCIO}.5`, Buffer.from(gh.repository)),
      extension(`${FULCIO}.6`, Buffer.from(gh.ref)),
      extension(`${FULCIO}.9`, utf8(`${repoURI}/${gh.workflow}@${gh.ref}`)),
      extension(`${FULCIO}.12`, utf8(repoURI)),
      extension(`${FULCIO}.13`, utf8(gh.sha)),
      extension(`${FULCIO}.14`, utf8(gh.ref)),
      extension(`${FULCIO}.20`, utf8(gh.trigger))
    );
  }
  const notBefore = o.notBefore ?? new Date(signedAt.getTime() - 60_000);
  const notAfter = o.notAfter ?? new Date(notBefore.getTime() + 10 * 60_000);
  return certificate({ issuer: ca.issuer, subject: seq(), publicKey, notBefore, notAfter, extensions });
}

// ---------------------------------------------------------------------------------------------------
// Timestamp authority (RFC 3161)

interface TSA {
  root: Buffer;
  leaf: Buffer;
  rootName: Buffer;
  key: crypto.KeyObject;
  serial: bigint;
}

function makeTSA(org: string): TSA {
  const rootKeys = ecKeys();
  const leafKeys = ecKeys();
  const rootName = name(org, `${org} TSA root`);
  const validity = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2034-01-01T00:00:00Z') };
  const rootIssuer = { name: rootName, key: rootKeys.privateKey, publicKey: rootKeys.publicKey };
  const root = certificate({ issuer: rootIssuer, subject: rootName, publicKey: rootKeys.publicKey, ...validity, extensions: caExtensions(0n) });
  const leaf = certificate({
    issuer: rootIssuer,
    subject: name(org, `${org} timestamping`),
    publicKey: leafKeys.publicKey,
    ...validity,
    extensions: [
      extension('2.5.29.15', bits(Buffer.from([0x80]), 7), true), // digitalSignature
      extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.8')), true) // timeStamping
    ]
  });
  const serialHex = new crypto.X509Certificate(leaf).serialNumber;
  return { root, leaf, rootName, key: leafKeys.privateKey, serial: BigInt(`0x${serialHex}`) };
}

const generalizedTime = (d: Date) => tlv(0x18, Buffer.from(d.toISOString().replace(/[-:T]|\.\d+/g, ''), 'ascii'));
const SHA256_ALG = seq(oid('2.16.840.1.101.3.4.2.1'));

/**
 * A TimeStampResp (RFC 3161) over `data` (the bundle's signature bytes) at `at`: status granted, a CMS
 * SignedData token with a TSTInfo, signed attributes (content type, message digest) signed by the TSA leaf.
 */
function timestampResponse(tsa: TSA, data: Buffer, at: Date, tamper = false): Buffer {
  const imprint = crypto.createHash('sha256').update(data).digest();
  if (tamper) imprint[0]! ^= 0x01;
  const tstInfo = seq(int(1n), oid('1.3.6.1.4.1.57264.2'), seq(SHA256_ALG, octet(imprint)), int(BigInt(at.getTime())), generalizedTime(at));
  const attrs = [
    seq(oid('1.2.840.113549.1.9.3'), set(oid('1.2.840.113549.1.9.16.1.4'))),
    seq(oid('1.2.840.113549.1.9.4'), set(octet(crypto.createHash('sha256').update(tstInfo).digest())))
  ];
  const signature = crypto.sign('sha256', set(...attrs), tsa.key);
  const signerInfo = seq(int(1n), seq(tsa.rootName, int(tsa.serial)), SHA256_ALG, tlv(0xa0, ...attrs), seq(oid('1.2.840.10045.4.3.2')), octet(signature));
  const signedData = seq(int(3n), set(SHA256_ALG), seq(oid('1.2.840.113549.1.9.16.1.4'), explicit(0, octet(tstInfo))), set(signerInfo));
  return seq(seq(int(0n)), seq(oid('1.2.840.113549.1.7.2'), explicit(0, signedData)));
}

// ---------------------------------------------------------------------------------------------------
// Rekor

interface Log {
  key: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  logId: Buffer;
  origin: string;
}

const LOG_URL = 'https://rekor.sigstore.test';

function makeLog(): Log {
  const { privateKey, publicKey } = ecKeys();
  return { key: privateKey, publicKey, logId: crypto.createHash('sha256').update(spki(publicKey)).digest(), origin: 'rekor.sigstore.test' };
}

/**
 * A Rekor v2 entry (hashedrekord 0.0.2): the v2 Entry JSON as body, an inclusion proof with a signed
 * checkpoint, and no signed entry timestamp or integrated time — Rekor v2 gives no time, so the signing
 * time comes from an RFC 3161 timestamp. `signedDigest` is what was signed: the artifact's sha256 for a
 * message signature, the sha256 of the DSSE pre-authentication encoding for an envelope.
 */
function tlogEntryV2(log: Log, signedDigest: Buffer, sig: Buffer, verifierDer: Buffer, withKey: boolean, dssePayloadDigest?: Buffer) {
  const signature = {
    content: sig.toString('base64'),
    verifier: {
      ...(withKey ? { publicKey: { rawBytes: verifierDer.toString('base64') } } : { x509Certificate: { rawBytes: verifierDer.toString('base64') } }),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256'
    }
  };
  // A `dsse` 0.0.2 entry records the payload's hash and the envelope's signatures; a `hashedrekord` 0.0.2
  // entry records the digest of what was signed.
  const kind = dssePayloadDigest ? 'dsse' : 'hashedrekord';
  const spec = dssePayloadDigest
    ? { dsseV002: { payloadHash: { algorithm: 'SHA2_256', digest: dssePayloadDigest.toString('base64') }, signatures: [signature] } }
    : { hashedRekordV002: { data: { algorithm: 'SHA2_256', digest: signedDigest.toString('base64') }, signature } };
  const { inclusionPromise: _none, ...entry } = tlogEntry(log, kind, { apiVersion: '0.0.2', kind, spec }, 0);
  return { ...entry, kindVersion: { kind, version: '0.0.2' }, integratedTime: '0' };
}

function tlogEntry(log: Log, kind: 'dsse' | 'hashedrekord', body: object, integratedTime: number) {
  const canonical = Buffer.from(json.canonicalize(body), 'utf8');
  const logIndex = 0;
  const bodyB64 = canonical.toString('base64');
  const promise = json.canonicalize({ body: bodyB64, integratedTime, logIndex, logID: log.logId.toString('hex') });
  const set = crypto.sign('sha256', Buffer.from(promise, 'utf8'), log.key);
  const leaf = crypto
    .createHash('sha256')
    .update(Buffer.from([0]))
    .update(canonical)
    .digest();
  const note = `${log.origin} - 1\n1\n${leaf.toString('base64')}\n`;
  const noteSig = Buffer.concat([log.logId.subarray(0, 4), crypto.sign('sha256', Buffer.from(note, 'utf8'), log.key)]);
  return {
    logIndex: String(logIndex),
    logId: { keyId: log.logId.toString('base64') },
    kindVersion: { kind, version: '0.0.1' },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
    inclusionProof: {
      logIndex: String(logIndex),
      rootHash: leaf.toString('base64'),
      treeSize: '1',
      hashes: [],
      checkpoint: { envelope: `${note}\n\u2014 ${log.origin} ${noteSig.toString('base64')}\n` }
    },
    canonicalizedBody: bodyB64
  };
}

// ---------------------------------------------------------------------------------------------------
// Bundles

const pae = (type: string, payload: Buffer) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);
const pem = (der: Buffer, label: string) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;

/** An in-toto Statement over `sha256:<hex>` digests, as cosign v3 writes it. */
export function statement(digests: string | string[], predicateType = COSIGN_SIGN, name = 'registry.test/acme/api'): Buffer {
  const subject = [digests].flat().map((d) => {
    const [alg, hex] = d.split(':');
    return { name, digest: { [alg!]: hex } };
  });
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject, predicateType, predicate: {} }));
}

export interface BundleOptions extends SignerOptions {
  /** Sign with the instance's long-lived key (a publicKey hint) instead of a Fulcio certificate. */
  withKey?: boolean;
  /** The tlog integratedTime (default SIGNED_AT). */
  signedAt?: Date;
  /** Replace the DSSE payload after signing (a different digest in the statement). */
  tamper?: boolean;
  /** Issue the certificate from a CA the trusted root does not know. */
  untrustedCA?: boolean;
  /** Put the entry in a log the trusted root does not know. */
  unknownLog?: boolean;
  /** DSSE payload type (default in-toto). */
  payloadType?: string;
  /** No transparency log entry: an RFC 3161 timestamp only (GitHub's attestations for private repositories). */
  timestampOnly?: boolean;
  /** The timestamp comes from a TSA the trusted root does not know. */
  untrustedTSA?: boolean;
  /** The timestamp's message imprint is not the signature's digest. */
  tamperTimestamp?: boolean;
  /**
   * A Rekor v2 entry (hashedrekord 0.0.2, also for DSSE envelopes: the digest of the pre-authentication
   * encoding) with a checkpoint and an RFC 3161 timestamp for the signing time.
   */
  rekorV2?: boolean;
  /** With rekorV2: record the digest of the payload instead of the PAE (a DSSE entry built wrongly). */
  v2PayloadDigest?: boolean;
  /** With rekorV2 and DSSE content: a `dsse` 0.0.2 entry instead of `hashedrekord` 0.0.2. */
  v2Dsse?: boolean;
  /** With v2Dsse: record the hash of another payload. */
  v2DsseOtherPayload?: boolean;
}

export type BundleContent = { dsse: Buffer } | { message: Uint8Array };

export interface TestSigstore {
  /** The trusted root JSON text (for --trusted-root files). */
  trustedRootJSON: string;
  trustedRoot: TrustedRoot;
  /** The long-lived signing key of key-signed bundles. */
  publicKey: crypto.KeyObject;
  publicKeyPem: string;
  /** Any other key (untrusted). */
  otherPublicKey: crypto.KeyObject;
  /** A bundle (JSON bytes) over DSSE or message content. */
  bundle(content: BundleContent, o?: BundleOptions): Buffer;
  /** A cosign v3 image signature (DSSE, cosign sign predicate) for `digest`. */
  signImage(digest: string, o?: BundleOptions): Buffer;
  /** An attestation for `digest` with another predicate (an SBOM by default): not a signature. */
  attestImage(digest: string, predicateType?: string, o?: BundleOptions): Buffer;
  /** A message signature over a blob (hashedrekord). */
  signBlob(artifact: Uint8Array, o?: BundleOptions): Buffer;
  /** What cosign ≤ 2 keyless signing puts on a `.sig` layer over `payload` (see LegacySignature). */
  signLegacyKeyless(payload: Buffer, o?: LegacyOptions): LegacySignature;
}

/**
 * The layer annotations of a cosign ≤ 2 keyless signature, as cosign writes them: the base64 ECDSA
 * signature over the payload bytes, the Fulcio leaf and its chain as PEM, and the Rekor entry of the
 * hashedrekord it uploaded with its signed entry timestamp (`dev.sigstore.cosign/bundle`).
 */
export interface LegacySignature {
  signature: string;
  certificate: string;
  chain: string;
  bundle: string;
  /** The same, as the annotation map of the layer. */
  annotations: Record<string, string>;
}

export interface LegacyOptions extends BundleOptions {
  /** Flip a bit of the signed entry timestamp. */
  tamperSET?: boolean;
  /** Record another signature in the Rekor entry than the one on the layer. */
  entryForOtherSignature?: boolean;
}

export function createTestSigstore(): TestSigstore {
  const ca = makeCA('sigstore.test');
  const otherCA = makeCA('evil.test');
  const log = makeLog();
  const otherLog = makeLog();
  const signing = ecKeys();
  const tsa = makeTSA('tsa.test');
  const otherTSA = makeTSA('evil-tsa.test');
  const trustedRootJSON = JSON.stringify(
    {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: LOG_URL,
          hashAlgorithm: 'SHA2_256',
          publicKey: { rawBytes: spki(log.publicKey).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2024-01-01T00:00:00Z' } },
          logId: { keyId: log.logId.toString('base64') }
        }
      ],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.test', commonName: 'sigstore.test intermediate' },
          uri: 'https://fulcio.sigstore.test',
          certChain: { certificates: [{ rawBytes: ca.intermediate.toString('base64') }, { rawBytes: ca.root.toString('base64') }] },
          validFor: { start: '2024-01-01T00:00:00Z' }
        }
      ],
      ctlogs: [],
      timestampAuthorities: [
        {
          subject: { organization: 'tsa.test', commonName: 'tsa.test timestamping' },
          uri: 'https://tsa.sigstore.test',
          certChain: { certificates: [{ rawBytes: tsa.leaf.toString('base64') }, { rawBytes: tsa.root.toString('base64') }] },
          validFor: { start: '2024-01-01T00:00:00Z' }
        }
      ]
    },
    null,
    2
  );

  function bundle(content: BundleContent, o: BundleOptions = {}): Buffer {
    const signedAt = o.signedAt ?? SIGNED_AT;
    const leafKeys = o.withKey ? signing : ecKeys();
    const verifier = o.withKey
      ? pem(spki(signing.publicKey), 'PUBLIC KEY')
      : pem(leafCertificate(o.untrustedCA ? otherCA : ca, leafKeys.publicKey, o, signedAt), 'CERTIFICATE');
    // With timestampOnly, the entry is left out and an RFC 3161 timestamp over the signature stands for it.
    const verifierDer = o.withKey ? spki(signing.publicKey) : Buffer.from(verifier.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const verificationMaterial = (entry: object, sig: Buffer, signedDigest: Buffer, dssePayloadDigest?: Buffer) => {
      const stamp = () => ({
        rfc3161Timestamps: [{ signedTimestamp: timestampResponse(o.untrustedTSA ? otherTSA : tsa, sig, signedAt, o.tamperTimestamp).toString('base64') }]
      });
      const timing = o.timestampOnly
        ? { tlogEntries: [], timestampVerificationData: stamp() }
        : o.rekorV2
          ? {
              tlogEntries: [tlogEntryV2(o.unknownLog ? otherLog : log, signedDigest, sig, verifierDer, !!o.withKey, dssePayloadDigest)],
              timestampVerificationData: stamp()
            }
          : { tlogEntries: [entry] };
      return o.withKey
        ? { publicKey: { hint: crypto.createHash('sha256').update(spki(signing.publicKey)).digest('base64') }, ...timing }
        : { certificate: { rawBytes: verifier.replace(/-----[A-Z ]+-----|\s/g, '') }, ...timing };
    };
    const useLog = o.unknownLog ? otherLog : log;
    const time = Math.floor(signedAt.getTime() / 1000);

    if ('dsse' in content) {
      const payloadType = o.payloadType ?? IN_TOTO;
      const sig = crypto.sign('sha256', pae(payloadType, content.dsse), leafKeys.privateKey);
      const envelope = { payload: content.dsse.toString('base64'), payloadType, signatures: [{ sig: sig.toString('base64'), keyid: '' }] };
      const body = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: crypto.createHash('sha256').update(JSON.stringify(envelope)).digest('hex') },
          payloadHash: { algorithm: 'sha256', value: crypto.createHash('sha256').update(content.dsse).digest('hex') },
          signatures: [{ signature: sig.toString('base64'), verifier: Buffer.from(verifier).toString('base64') }]
        }
      };
      const entry = tlogEntry(useLog, 'dsse', body, time);
      if (o.tamper)
        envelope.payload = Buffer.from(
          content.dsse.toString('utf8').replace(/"sha256":"[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'))
        ).toString('base64');
      const signedDigest = crypto
        .createHash('sha256')
        .update(o.v2PayloadDigest ? content.dsse : pae(payloadType, content.dsse))
        .digest();
      return Buffer.from(
        JSON.stringify({
          mediaType: BUNDLE_MEDIA_TYPE,
          verificationMaterial: verificationMaterial(
            entry,
            sig,
            signedDigest,
            o.v2Dsse
              ? crypto
                  .createHash('sha256')
                  .update(o.v2DsseOtherPayload ? Buffer.concat([content.dsse, Buffer.from(' ')]) : content.dsse)
                  .digest()
              : undefined
          ),
          dsseEnvelope: envelope
        })
      );
    }

    const digest = crypto.createHash('sha256').update(content.message).digest();
    const sig = crypto.sign('sha256', content.message, leafKeys.privateKey);
    const body = {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
        signature: { content: sig.toString('base64'), publicKey: { content: Buffer.from(verifier).toString('base64') } }
      }
    };
    const entry = tlogEntry(useLog, 'hashedrekord', body, time);
    const messageSignature = { messageDigest: { algorithm: 'SHA2_256', digest: digest.toString('base64') }, signature: sig.toString('base64') };
    return Buffer.from(JSON.stringify({ mediaType: BUNDLE_MEDIA_TYPE, verificationMaterial: verificationMaterial(entry, sig, digest), messageSignature }));
  }

  function signLegacyKeyless(payload: Buffer, o: LegacyOptions = {}): LegacySignature {
    const signedAt = o.signedAt ?? SIGNED_AT;
    const leafKeys = ecKeys();
    const certPem = pem(leafCertificate(o.untrustedCA ? otherCA : ca, leafKeys.publicKey, o, signedAt), 'CERTIFICATE');
    const chainCA = o.untrustedCA ? otherCA : ca;
    const chainPem = pem(chainCA.intermediate, 'CERTIFICATE') + pem(chainCA.root, 'CERTIFICATE');
    const sig = crypto.sign('sha256', payload, leafKeys.privateKey);
    const recorded = o.entryForOtherSignature ? crypto.sign('sha256', Buffer.concat([payload, Buffer.from(' ')]), leafKeys.privateKey) : sig;
    const body = {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: crypto.createHash('sha256').update(payload).digest('hex') } },
        signature: { content: recorded.toString('base64'), publicKey: { content: Buffer.from(certPem).toString('base64') } }
      }
    };
    const entry = tlogEntry(o.unknownLog ? otherLog : log, 'hashedrekord', body, Math.floor(signedAt.getTime() / 1000));
    let set = entry.inclusionPromise.signedEntryTimestamp;
    if (o.tamperSET) {
      const raw = Buffer.from(set, 'base64');
      raw[raw.length - 5]! ^= 0x01;
      set = raw.toString('base64');
    }
    // cosign's rekor bundle: the SET and the entry's payload, logID in hex, numbers as JSON numbers.
    const bundleJSON = JSON.stringify({
      SignedEntryTimestamp: set,
      Payload: {
        body: entry.canonicalizedBody,
        integratedTime: Number(entry.integratedTime),
        logIndex: Number(entry.logIndex),
        logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex')
      }
    });
    const signature = sig.toString('base64');
    return {
      signature,
      certificate: certPem,
      chain: chainPem,
      bundle: bundleJSON,
      annotations: { 'dev.sigstore.cosign/certificate': certPem, 'dev.sigstore.cosign/chain': chainPem, 'dev.sigstore.cosign/bundle': bundleJSON }
    };
  }

  return {
    signLegacyKeyless,
    trustedRootJSON,
    trustedRoot: parseTrustedRoot(trustedRootJSON, 'test trusted root'),
    publicKey: signing.publicKey,
    publicKeyPem: pem(spki(signing.publicKey), 'PUBLIC KEY'),
    otherPublicKey: ecKeys().publicKey,
    bundle,
    signImage: (digest, o) => bundle({ dsse: statement(digest) }, o),
    attestImage: (digest, predicateType = SPDX, o) => bundle({ dsse: statement(digest, predicateType) }, o),
    signBlob: (artifact, o) => bundle({ message: artifact }, o)
  };
}

/** A digest that differs from `digest` in its last hex digit. */
export const otherDigest = (digest: string) => digest.slice(0, -1) + (digest.endsWith('0') ? '1' : '0');

export interface BundleCase {
  name: string;
  bundle: Buffer;
  /** The reason verifyImageBundle gives with TEST_POLICY_IDENTITY (and the instance's key) as policy. */
  reason: string;
}

/** Image bundles for `digest`, each with the reason it must get. */
export function imageBundleCases(s: TestSigstore, digest: string): BundleCase[] {
  return [
    { name: 'a keyless cosign signature', bundle: s.signImage(digest), reason: 'verified' },
    { name: 'a key-signed cosign signature', bundle: s.signImage(digest, { withKey: true }), reason: 'verified' },
    { name: 'an SBOM attestation only', bundle: s.attestImage(digest), reason: 'not-a-signature' },
    { name: 'a signature for another digest', bundle: s.signImage(otherDigest(digest)), reason: 'digest-mismatch' },
    { name: 'a tampered payload', bundle: s.signImage(digest, { tamper: true }), reason: 'bad-signature' },
    {
      name: 'another identity',
      bundle: s.signImage(digest, { identity: 'https://github.com/evil/api/.github/workflows/release.yml@refs/heads/main' }),
      reason: 'identity-mismatch'
    },
    { name: 'another issuer', bundle: s.signImage(digest, { issuer: 'https://accounts.google.com' }), reason: 'identity-mismatch' },
    { name: 'another branch', bundle: s.signImage(digest, { github: { ref: 'refs/heads/dev' } }), reason: 'identity-mismatch' },
    {
      name: 'a certificate expired before the tlog entry',
      bundle: s.signImage(digest, { notBefore: new Date(SIGNED_AT.getTime() - 30 * 60_000), notAfter: new Date(SIGNED_AT.getTime() - 20 * 60_000) }),
      reason: 'certificate-invalid'
    },
    { name: 'a certificate from an unknown CA', bundle: s.signImage(digest, { untrustedCA: true }), reason: 'certificate-invalid' },
    { name: 'an entry in an unknown log', bundle: s.signImage(digest, { unknownLog: true }), reason: 'tlog-invalid' },
    { name: 'a message signature', bundle: s.signBlob(Buffer.from('not an image')), reason: 'unsupported-format' }
  ];
}
