import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { parseTrustedRoot, publicGoodTrustedRoot, TrustedRootError } from '../../src/core/verify/trusted-root.js';
import { createTestSigstore, type TestSigstore } from '../helpers/sigstore.js';

// Any use of the TUF client is recorded (and would fail loudly): it must only run on explicit refresh.
const getTrustedRoot = jest.fn<(opts: { cachePath?: string }) => Promise<TrustedRoot>>();
jest.unstable_mockModule('@sigstore/tuf', () => ({ getTrustedRoot, initTUF: jest.fn(), DEFAULT_MIRROR_URL: 'https://tuf.invalid', TUFError: Error }));
const { loadTrustedRoot } = await import('../../src/io/trusted-root.js');
const { refreshTrustedRoot } = await import('../../src/io/trusted-root-refresh.js');
const { runVerifyBundle } = await import('../../src/io/verify-bundle.js');

let dir: string;
let s: TestSigstore;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-trusted-root-'));
  s = createTestSigstore();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('publicGoodTrustedRoot', () => {
  test('has the Fulcio CA chains and the Rekor keys', () => {
    const root = publicGoodTrustedRoot();
    expect(root.mediaType).toMatch(/^application\/vnd\.dev\.sigstore\.trustedroot/);
    const rekor = root.tlogs.find((t) => t.baseUrl === 'https://rekor.sigstore.dev');
    // Rekor's log ID is the sha256 of its public key, well known from every public-good bundle.
    expect(Buffer.from(rekor!.logId!.keyId).toString('base64')).toBe('wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=');
    const fulcio = root.certificateAuthorities.filter((ca) => ca.uri === 'https://fulcio.sigstore.dev');
    expect(fulcio.length).toBeGreaterThanOrEqual(1);
    for (const ca of fulcio) {
      const chain = ca.certChain!.certificates.map((c) => X509Certificate.parse(Buffer.from(c.rawBytes)));
      expect(chain.at(-1)!.subject.toString('latin1')).toContain('sigstore');
      expect(chain.every((c) => c.isCA)).toBe(true);
    }
    expect(root.ctlogs.length).toBeGreaterThanOrEqual(1);
  });

  test('is decoded once', () => {
    expect(publicGoodTrustedRoot()).toBe(publicGoodTrustedRoot());
  });
});

describe('parseTrustedRoot', () => {
  const valid = () => JSON.parse(s.trustedRootJSON);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON edits
  const mutate = (fn: (d: any) => void) => {
    const d = valid();
    fn(d);
    return JSON.stringify(d);
  };

  test.each<[string, () => string, RegExp]>([
    ['not JSON', () => '{"tlogs": [', /not JSON/],
    ['an array', () => '[]', /not a JSON object/],
    ['no mediaType', () => mutate((d) => delete d.mediaType), /no 'mediaType'/],
    [
      'a bundle instead',
      () => mutate((d) => (d.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json')),
      /mediaType "application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json" is not a Sigstore trusted root/
    ],
    ['no tlogs', () => mutate((d) => delete d.tlogs), /no 'tlogs'/],
    ['empty tlogs', () => mutate((d) => (d.tlogs = [])), /no 'tlogs'/],
    ['ctlogs not an array', () => mutate((d) => (d.ctlogs = {})), /'ctlogs' is not an array/],
    ['a tlog without key', () => mutate((d) => delete d.tlogs[0].publicKey), /tlogs\[0\]\.publicKey has no rawBytes/],
    ['a tlog key that is not a key', () => mutate((d) => (d.tlogs[0].publicKey.rawBytes = 'AAAA')), /tlogs\[0\]\.publicKey is rejected by @sigstore\/verify/],
    [
      'a tlog key whose validFor has no start',
      () => mutate((d) => delete d.tlogs[0].publicKey.validFor.start),
      /tlogs\[0\]\.publicKey\.validFor\.start is missing/
    ],
    ['a tlog key without validFor', () => mutate((d) => delete d.tlogs[0].publicKey.validFor), /tlogs\[0\]\.publicKey\.validFor\.start is missing/],
    [
      'a CT log key whose validFor has no start',
      () =>
        mutate((d) => {
          d.ctlogs = [structuredClone(d.tlogs[0])];
          delete d.ctlogs[0].publicKey.validFor.start;
        }),
      /ctlogs\[0\]\.publicKey\.validFor\.start is missing/
    ],
    ['a tlog without logId', () => mutate((d) => delete d.tlogs[0].logId), /tlogs\[0\] has no logId/],
    [
      'a CA without certificates',
      () => mutate((d) => (d.certificateAuthorities[0].certChain.certificates = [])),
      /certificateAuthorities\[0\]\.certChain has no certificates/
    ],
    [
      'a CA certificate that is not one',
      () => mutate((d) => (d.certificateAuthorities[0].certChain.certificates[1].rawBytes = 'AAAA')),
      /certificateAuthorities\[0\]\.certChain is rejected by @sigstore\/verify/
    ]
  ])('%s', (_name, text, what) => {
    let error: unknown;
    try {
      parseTrustedRoot(text(), 'conf/root.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrustedRootError);
    expect((error as Error).message).toMatch(/^trusted root conf\/root\.json: /);
    expect((error as Error).message).toMatch(what);
  });

  test('a CT log with a PKCS#1 RSA key (keyDetails PKCS1_RSA_PKCS1V5, an enum in the parsed root) is accepted', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const der = rsa.export({ type: 'pkcs1', format: 'der' });
    const root = parseTrustedRoot(
      mutate((d) => {
        d.ctlogs = [structuredClone(d.tlogs[0])];
        d.ctlogs[0].publicKey.rawBytes = der.toString('base64');
        d.ctlogs[0].publicKey.keyDetails = 'PKCS1_RSA_PKCS1V5';
      }),
      'root.json'
    );
    expect(Buffer.from(root.ctlogs[0]!.publicKey!.rawBytes!).equals(der)).toBe(true);
  });

  test('a PKCS#1 RSA key mislabelled as an EC key is rejected, naming the field', () => {
    const der = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'der' });
    expect(() =>
      parseTrustedRoot(
        mutate((d) => {
          d.ctlogs = [structuredClone(d.tlogs[0])];
          d.ctlogs[0].publicKey.rawBytes = der.toString('base64');
          d.ctlogs[0].publicKey.keyDetails = 'PKIX_ECDSA_P256_SHA_256';
        }),
        'root.json'
      )
    ).toThrow(/ctlogs\[0\]\.publicKey is rejected by @sigstore\/verify/);
  });

  test.each([
    'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    'application/vnd.dev.sigstore.trustedroot.v0.1+json',
    'application/vnd.dev.sigstore.trustedroot.v0.2+json'
  ])('accepts %s', (mediaType) => {
    const root = parseTrustedRoot(
      mutate((d) => (d.mediaType = mediaType)),
      'root.json'
    );
    expect(root.tlogs).toHaveLength(1);
    expect(root.certificateAuthorities[0]!.certChain!.certificates).toHaveLength(2);
  });
});

describe('loadTrustedRoot and the TUF refresh', () => {
  test('the default is the public-good root, and loading never touches TUF', async () => {
    expect(loadTrustedRoot()).toBe(publicGoodTrustedRoot());
    const file = path.join(dir, 'root.json');
    fs.writeFileSync(file, s.trustedRootJSON);
    expect(loadTrustedRoot(file).tlogs[0]!.baseUrl).toBe('https://rekor.sigstore.test');
    fs.writeFileSync(path.join(dir, 'bundle.json'), s.signBlob(Buffer.from('x')));
    fs.writeFileSync(path.join(dir, 'x.txt'), 'x');
    const code = await runVerifyBundle(['--bundle', 'bundle.json', '--certificate-identity', 'a', '--certificate-oidc-issuer', 'b', 'x.txt'], {
      readFile: (f) => fs.readFileSync(path.join(dir, f)),
      stdout: () => undefined,
      stderr: () => undefined
    });
    expect(code).toBe(1);
    expect(getTrustedRoot).not.toHaveBeenCalled();
  });

  test('a missing file is an error naming it', () => {
    const file = path.join(dir, 'nope.json');
    expect(() => loadTrustedRoot(file)).toThrow(new TrustedRootError(`trusted root ${file}: cannot be read (ENOENT)`));
  });

  test('refresh (explicit) goes through TUF and writes a root that --trusted-root accepts', async () => {
    getTrustedRoot.mockResolvedValueOnce(s.trustedRoot);
    const cache = path.join(dir, 'tuf-cache');
    const { trustedRoot, file } = await refreshTrustedRoot(cache);
    expect(getTrustedRoot).toHaveBeenCalledTimes(1);
    expect(getTrustedRoot.mock.calls[0]![0]).toMatchObject({ cachePath: cache });
    expect(file).toBe(path.join(cache, 'trusted_root.json'));
    expect(loadTrustedRoot(file)).toEqual(trustedRoot);
    expect(trustedRoot.tlogs[0]!.baseUrl).toBe('https://rekor.sigstore.test');
  });
});

test('no module imports the TUF client statically (it would load network code on every run)', () => {
  const files = fs.readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const offenders = files.filter((f) => /^import[^;]*from '@sigstore\/tuf'/m.test(fs.readFileSync(path.join('src', f), 'utf8')));
  expect(offenders).toEqual([]);
});
