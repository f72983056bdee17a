/**
 * `verify-bundle --predicate-type --condition`: an attestation bundle verified offline (signature,
 * certificate, log entry through @sigstore/verify; subject digest), then its statement checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runVerifyBundle } from '../../src/io/verify-bundle.js';
import { createTestSigstore, TEST_IDENTITY, TEST_ISSUER, type TestSigstore } from '../helpers/sigstore.js';
import { attest, provenance, SELF_HOSTED, spdx } from './statements.js';

const D = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;
let dir: string;
let s: TestSigstore;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVerifyBundle(argv, { readFile: (f) => fs.readFileSync(path.resolve(dir, f)), stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const keyless = ['--certificate-identity', TEST_IDENTITY, '--certificate-oidc-issuer', TEST_ISSUER, '--trusted-root', 'root.json'];
const slsa = ['--predicate-type', 'https://slsa.dev/provenance/v1'];
const repoIs = (r: string) => ['--condition', `predicate.buildDefinition.externalParameters.workflow.repository=https://github.com/${r}`];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-attest-bundle-'));
  s = createTestSigstore();
  const files: Record<string, string | Buffer> = {
    'root.json': s.trustedRootJSON,
    'cosign.pub': s.publicKeyPem,
    'prov.json': attest(s, provenance(D)),
    'keyed.json': attest(s, provenance(D), { withKey: true }),
    'selfhosted.json': attest(s, provenance(D, { builder: SELF_HOSTED })),
    'sbom.json': attest(s, spdx(D, 42)),
    'tampered.json': attest(s, provenance(D), { tamper: true }),
    'notstatement.json': s.bundle({ dsse: Buffer.from('{"critical":{"type":"cosign container image signature"}}') }),
    'message.json': s.signBlob(Buffer.from('blob'))
  };
  // What gh attestation download writes: one bundle per line (here an SBOM first, then the provenance).
  files['gh.jsonl'] = `${files['sbom.json']!.toString()}\n${files['prov.json']!.toString()}\n`;
  files['garbage.jsonl'] = `${files['sbom.json']!.toString()}\nnot json\n`;
  for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), c);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('accepted', () => {
  test.each<[string, string[], RegExp]>([
    [
      'keyless provenance with a repository condition',
      ['--bundle', 'prov.json', ...keyless, ...slsa, ...repoIs('acme/*'), D],
      /builder https:\/\/github.com\/actions\/runner\/github-hosted, source https:\/\/github.com\/acme\/api refs\/heads\/main @ 0123456789ab, trigger push/
    ],
    ['key-signed provenance', ['--bundle', 'keyed.json', '--key', 'cosign.pub', '--trusted-root', 'root.json', ...slsa, D], /attested/],
    ['an SBOM by short name', ['--bundle', 'sbom.json', ...keyless, '--predicate-type', 'spdx', D], /SPDX-2.3, 42 packages/],
    [
      'gh attestation download JSON lines: the matching line',
      ['--bundle', 'gh.jsonl', ...keyless, ...slsa, ...repoIs('acme/api'), D],
      /slsa.dev\/provenance\/v1/
    ]
  ])('%s', async (_n, argv, out) => {
    const r = await cli(...argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(out);
  });
});

describe('rejected (exit 1) with the cause named', () => {
  test.each<[string, string[], RegExp]>([
    [
      'wrong repository',
      ['--bundle', 'prov.json', ...keyless, ...slsa, ...repoIs('acme/web'), D],
      /condition-failed: condition predicate\.buildDefinition\.externalParameters\.workflow\.repository: "https:\/\/github.com\/acme\/api" does not match "https:\/\/github.com\/acme\/web"/
    ],
    [
      'self-hosted builder',
      ['--bundle', 'selfhosted.json', ...keyless, ...slsa, '--condition', 'predicate.runDetails.builder.id=https://github.com/actions/runner/github-hosted', D],
      /builder\.id: "https:\/\/github.com\/actions\/runner\/self-hosted" does not match/
    ],
    [
      'a condition path into nothing',
      ['--bundle', 'prov.json', ...keyless, ...slsa, '--condition', 'predicate.nothing.here=*', D],
      /condition predicate\.nothing\.here: the statement has nothing at predicate\.nothing/
    ],
    [
      'an SBOM when provenance is wanted',
      ['--bundle', 'sbom.json', ...keyless, ...slsa, D],
      /wrong-type: the attestation is "https:\/\/spdx.dev\/Document", not https:\/\/slsa.dev\/provenance\/v1/
    ],
    ['another image', ['--bundle', 'prov.json', ...keyless, ...slsa, OTHER], /digest-mismatch/],
    [
      'another identity',
      [
        '--bundle',
        'prov.json',
        '--certificate-identity',
        'https://github.com/evil/api/.github/workflows/release.yml@refs/heads/main',
        '--certificate-oidc-issuer',
        TEST_ISSUER,
        '--trusted-root',
        'root.json',
        ...slsa,
        D
      ],
      /identity-mismatch/
    ],
    ['another key', ['--bundle', 'prov.json', '--key', 'cosign.pub', '--trusted-root', 'root.json', ...slsa, D], /identity-mismatch|untrusted-key/],
    ['a tampered statement', ['--bundle', 'tampered.json', ...keyless, ...slsa, D], /bad-signature|tlog/],
    ['a payload that is not an in-toto statement', ['--bundle', 'notstatement.json', ...keyless, ...slsa, D], /in-toto Statement/],
    ['a message signature', ['--bundle', 'message.json', ...keyless, ...slsa, D], /verify-bundle: /],
    [
      'JSON lines, none matching',
      ['--bundle', 'gh.jsonl', ...keyless, ...slsa, ...repoIs('acme/web'), D],
      /bundle 1\): wrong-type.*bundle 2\): condition-failed/
    ]
  ])('%s', async (_n, argv, err) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(err);
  });
});

describe('unusable input (exit 2)', () => {
  test.each<[string, string[], RegExp]>([
    ['an unknown predicate type', ['--bundle', 'prov.json', ...keyless, '--predicate-type', 'provenance', D], /unknown predicate type "provenance"/],
    ['a condition without =', ['--bundle', 'prov.json', ...keyless, ...slsa, '--condition', 'predicate.x', D], /is not PATH=GLOB/],
    ['a condition without a predicate type', ['--bundle', 'prov.json', ...keyless, '--condition', 'a=b', D], /--condition needs --predicate-type/],
    ['a JSON-lines file with a broken line', ['--bundle', 'garbage.jsonl', ...keyless, ...slsa, D], /line 2 is not JSON/]
  ])('%s', async (_n, argv, err) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(err);
  });
});
