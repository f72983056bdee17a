import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runVerifyBundle } from '../../src/io/verify-bundle.js';
import { createTestSigstore, SIGNED_AT, statement, TEST_IDENTITY, TEST_ISSUER, type TestSigstore } from '../helpers/sigstore.js';

const BLOB = Buffer.from('a release artifact\n');
const HEX = crypto.createHash('sha256').update(BLOB).digest('hex');

let dir: string;
let s: TestSigstore;

/** Writes the files a case needs into the temp dir. */
function write(files: Record<string, string | Buffer>) {
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVerifyBundle(argv, {
    readFile: (f) => fs.readFileSync(path.resolve(dir, f)),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t)
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const keyless = ['--certificate-identity', TEST_IDENTITY, '--certificate-oidc-issuer', TEST_ISSUER];
const root = ['--trusted-root', 'root.json'];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-verify-bundle-'));
  s = createTestSigstore();
  write({
    'root.json': s.trustedRootJSON,
    'blob.txt': BLOB,
    'other.txt': 'another artifact\n',
    'cosign.pub': s.publicKeyPem,
    'other.pub': s.otherPublicKey.export({ type: 'spki', format: 'pem' }) as string,
    'private.pem': crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'good.json': s.signBlob(BLOB),
    'keyed.json': s.signBlob(BLOB, { withKey: true }),
    'dsse.json': s.bundle({ dsse: statement(`sha256:${HEX}`, 'https://slsa.dev/provenance/v1') }),
    'identity.json': s.signBlob(BLOB, { identity: 'https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main' }),
    'issuer.json': s.signBlob(BLOB, { issuer: 'https://accounts.google.com' }),
    'expired.json': s.signBlob(BLOB, { notBefore: new Date(SIGNED_AT.getTime() - 3600_000), notAfter: new Date(SIGNED_AT.getTime() - 1800_000) }),
    'log.json': s.signBlob(BLOB, { unknownLog: true }),
    'broken.json': '{"mediaType":',
    'bad-root.json': '{"mediaType":"application/json"}'
  });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('verify-bundle: accepted (exit 0)', () => {
  test.each<[string, string[]]>([
    ['a keyless message signature over the file', ['--bundle', 'good.json', ...keyless, ...root, 'blob.txt']],
    ['a keyless message signature over a digest', ['--bundle', 'good.json', ...keyless, ...root, `sha256:${HEX}`]],
    ['a key-signed message signature', ['--bundle', 'keyed.json', '--key', 'cosign.pub', ...root, 'blob.txt']],
    ['a DSSE statement naming the file', ['--bundle', 'dsse.json', ...keyless, ...root, 'blob.txt']]
  ])('%s', async (_name, argv) => {
    const r = await cli(...argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^verified: sha256:${HEX} (signed|attested .*) by (keyless|key):`));
  });
});

describe('verify-bundle: rejected (exit 1)', () => {
  test.each<[string, string[], string]>([
    ['another identity', ['--bundle', 'identity.json', ...keyless, ...root, 'blob.txt'], 'identity-mismatch'],
    ['another issuer', ['--bundle', 'issuer.json', ...keyless, ...root, 'blob.txt'], 'identity-mismatch'],
    ['another artifact', ['--bundle', 'good.json', ...keyless, ...root, 'other.txt'], 'digest-mismatch'],
    ['another digest', ['--bundle', 'good.json', ...keyless, ...root, `sha256:${'1'.repeat(64)}`], 'digest-mismatch'],
    ['an expired certificate', ['--bundle', 'expired.json', ...keyless, ...root, 'blob.txt'], 'certificate-invalid'],
    ['an unknown log', ['--bundle', 'log.json', ...keyless, ...root, 'blob.txt'], 'tlog-invalid'],
    ['another key', ['--bundle', 'keyed.json', '--key', 'other.pub', ...root, 'blob.txt'], 'untrusted-key'],
    ['a malformed bundle', ['--bundle', 'broken.json', ...keyless, ...root, 'blob.txt'], 'malformed-bundle'],
    ['the public-good root (default) does not know the test CA', ['--bundle', 'good.json', ...keyless, 'blob.txt'], 'certificate-invalid']
  ])('%s', async (_name, argv, reason) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^verify-bundle: [\\w.-]+: ${reason}: \\S.*\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

test('a digest-like argument naming a file is read as the file (the protocol)', async () => {
  const name = `sha256:${HEX}`;
  write({ [name]: 'a file whose name looks like a digest\n' });
  try {
    const r = await cli('--bundle', 'good.json', ...keyless, ...root, name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/digest-mismatch: the bundle signs another artifact/);
  } finally {
    fs.rmSync(path.join(dir, name));
  }
});

describe('verify-bundle: usage and input errors (exit 2)', () => {
  test.each<[string, string[], RegExp]>([
    ['a missing bundle', ['--bundle', 'nope.json', ...keyless, ...root, 'blob.txt'], /cannot read bundle nope\.json \(ENOENT\)/],
    ['a missing artifact', ['--bundle', 'good.json', ...keyless, ...root, 'missing.txt'], /cannot read artifact missing\.txt/],
    [
      'a missing trusted root',
      ['--bundle', 'good.json', ...keyless, '--trusted-root', 'nope-root.json', 'blob.txt'],
      /cannot read trusted root nope-root\.json/
    ],
    [
      'a malformed trusted root',
      ['--bundle', 'good.json', ...keyless, '--trusted-root', 'bad-root.json', 'blob.txt'],
      /trusted root bad-root\.json: mediaType/
    ],
    ['a missing key file', ['--bundle', 'keyed.json', '--key', 'nope.pub', ...root, 'blob.txt'], /cannot read key nope\.pub/],
    ['a private key', ['--bundle', 'keyed.json', '--key', 'private.pem', ...root, 'blob.txt'], /private\.pem is a private key/],
    ['a key that is not PEM', ['--bundle', 'keyed.json', '--key', 'blob.txt', ...root, 'blob.txt'], /blob\.txt is not a PEM public key/],
    ['no --bundle', [...keyless, 'blob.txt'], /--bundle is required/],
    ['no artifact', ['--bundle', 'good.json', ...keyless], /expected one FILE_OR_DIGEST, got 0/],
    ['identity without issuer', ['--bundle', 'good.json', '--certificate-identity', TEST_IDENTITY, 'blob.txt'], /go together/],
    ['both identity and key', ['--bundle', 'good.json', ...keyless, '--key', 'cosign.pub', 'blob.txt'], /either/],
    ['neither identity nor key', ['--bundle', 'good.json', 'blob.txt'], /either/],
    ['--staging without a root', ['--staging', '--bundle', 'good.json', ...keyless, 'blob.txt'], /--staging needs --trusted-root/],
    ['an unknown option', ['--bundle', 'good.json', '--offline', ...keyless, 'blob.txt'], /Unknown option '--offline'/]
  ])('%s', async (_name, argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('--staging with a trusted root is accepted', async () => {
    expect((await cli('--staging', '--bundle', 'good.json', ...keyless, ...root, 'blob.txt')).code).toBe(0);
  });
});
