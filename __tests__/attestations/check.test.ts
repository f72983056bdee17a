/**
 * One found attestation against one policy entry, without a registry: cosign's legacy .att layout turned
 * into a bundle for @sigstore/verify, BuildKit statements, bad input; facts; conditions under a seeded
 * property test; the YAML examples of the docs load.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseConfig } from '../../src/core/config/load.js';
import {
  attestationFacts,
  checkAttestation,
  evaluateCondition,
  parseStatement,
  runnerEnvironmentProblem,
  splitConditionPath,
  type AttestationPolicy,
  type AttestationSigners,
  type FoundAttestation
} from '../../src/core/verify/attestations.js';
import { legacyAttestationBundle } from '../../src/io/registry/attestations.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { createTestSigstore, TEST_POLICY_IDENTITY, type TestSigstore } from '../helpers/sigstore.js';
import { provenance, SLSA_V1, spdx } from './statements.js';

const D = `sha256:${'ab'.repeat(32)}`;
let s: TestSigstore;
let signers: AttestationSigners;
const spec = (type = SLSA_V1, conditions: AttestationPolicy['conditions'] = []): AttestationPolicy => ({
  type,
  predicateTypes: [type],
  keys: [],
  keyless: [],
  conditions
});

/** The test signer's bundle as cosign 2 stores it under .att: envelope layer + certificate/Rekor annotations. */
function asLegacy(bundle: Buffer, o: { rekor?: boolean } = {}) {
  const b = JSON.parse(bundle.toString('utf8')) as {
    verificationMaterial: { certificate?: { rawBytes: string }; tlogEntries: Record<string, never>[] };
    dsseEnvelope: object;
  };
  const e = b.verificationMaterial.tlogEntries[0] as unknown as {
    logIndex: string;
    logId: { keyId: string };
    integratedTime: string;
    inclusionPromise: { signedEntryTimestamp: string };
    canonicalizedBody: string;
  };
  const annotations: Record<string, string> = {};
  if (b.verificationMaterial.certificate)
    annotations['dev.sigstore.cosign/certificate'] = `-----BEGIN CERTIFICATE-----\n${b.verificationMaterial.certificate.rawBytes}\n-----END CERTIFICATE-----\n`;
  if (o.rekor !== false)
    annotations['dev.sigstore.cosign/bundle'] = JSON.stringify({
      SignedEntryTimestamp: e.inclusionPromise.signedEntryTimestamp,
      Payload: {
        body: e.canonicalizedBody,
        integratedTime: Number(e.integratedTime),
        logIndex: Number(e.logIndex),
        logID: Buffer.from(e.logId.keyId, 'base64').toString('hex')
      }
    });
  return legacyAttestationBundle(Buffer.from(JSON.stringify(b.dsseEnvelope)), annotations);
}

const found = (payload: Uint8Array, o: Partial<FoundAttestation> = {}): FoundAttestation => ({
  format: 'cosign-legacy-tag',
  kind: 'sigstore-bundle',
  payload,
  origin: 'test',
  ...o
});

beforeAll(() => {
  s = createTestSigstore();
  signers = { keys: [{ name: 'cosign.pub', key: s.publicKey }], keyless: [TEST_POLICY_IDENTITY], trustedRoot: () => s.trustedRoot };
});

describe("cosign's legacy .att layout", () => {
  test('keyless and key-signed envelopes with their Rekor entry verify', () => {
    for (const o of [{}, { withKey: true }]) {
      const b = asLegacy(s.bundle({ dsse: provenance(D) }, o));
      expect(b.ok).toBe(true);
      const c = checkAttestation(found((b as { bundle: Uint8Array }).bundle), spec(), 0, D, signers);
      expect([c.ok, c.reason]).toEqual([true, 'verified']);
    }
  });

  test('without a Rekor entry there is no trusted signing time: rejected', () => {
    const b = asLegacy(s.bundle({ dsse: provenance(D) }, { withKey: true }), { rekor: false });
    const c = checkAttestation(found((b as { bundle: Uint8Array }).bundle), spec(), 0, D, signers);
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/tlog|transparency|signing time|timestamp/i);
  });

  test.each<[string, string, Record<string, string>, RegExp]>([
    ['not JSON', '{"payload', {}, /not UTF-8 JSON/],
    ['not an envelope', '{"a":1}', {}, /not a DSSE envelope/],
    ['no signature', '{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[]}', {}, /not a DSSE envelope/],
    [
      'two signatures',
      '{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AA=="},{"sig":"AQ=="}]}',
      {},
      /exactly one signature/
    ],
    ['a broken Rekor annotation', '{"payload":"e30=","payloadType":"x","signatures":[{"sig":"AA=="}]}', { 'dev.sigstore.cosign/bundle': '{' }, /not JSON/],
    [
      'a certificate annotation that is not PEM',
      '{"payload":"e30=","payloadType":"x","signatures":[{"sig":"AA=="}]}',
      { 'dev.sigstore.cosign/certificate': 'hello' },
      /not a PEM/
    ]
  ])('a malformed layer (%s) is a problem, never a bundle', (_n, text, ann, re) => {
    const b = legacyAttestationBundle(Buffer.from(text), ann);
    expect(b.ok).toBe(false);
    expect(!b.ok && b.problem).toMatch(re);
  });
});

describe('checkAttestation', () => {
  test('a cosign signature bundle is not an attestation', () => {
    const c = checkAttestation(found(s.signImage(D), { format: 'referrers' }), spec(), 0, D, signers);
    expect([c.ok, c.reason]).toEqual([false, 'wrong-type']);
  });

  test('a problem found during discovery is a rejection naming it', () => {
    const c = checkAttestation(found(new Uint8Array(), { problem: 'the DSSE envelope is not UTF-8 JSON' }), spec(), 0, D, signers);
    expect([c.ok, c.reason, c.detail]).toEqual([false, 'malformed-attestation', 'test: the DSSE envelope is not UTF-8 JSON']);
  });

  test('BuildKit statements need a verified index signature', () => {
    const st = found(provenance(D), { format: 'buildkit', kind: 'in-toto', index: `sha256:${'9'.repeat(64)}` });
    expect(checkAttestation(st, spec(), 0, D, signers)).toMatchObject({ ok: false, reason: 'unsigned' });
    const no = () => ({ ok: false as const, detail: 'no signature found' });
    expect(checkAttestation(st, spec(), 0, D, { ...signers, indexSignature: no })).toMatchObject({ ok: false, reason: 'unsigned' });
    const yes = () => ({ ok: true as const, signer: 'key:cosign.pub' });
    expect(checkAttestation(st, spec(), 0, D, { ...signers, indexSignature: yes })).toMatchObject({ ok: true, signer: 'index-signature:key:cosign.pub' });
    // Signed index, but the statement is about another manifest.
    expect(checkAttestation(st, spec(), 0, `sha256:${'1'.repeat(64)}`, { ...signers, indexSignature: yes })).toMatchObject({
      ok: false,
      reason: 'digest-mismatch'
    });
    // Signed index, a statement that is not one.
    const bad = found(Buffer.from('{"hello":1}'), { format: 'buildkit', kind: 'in-toto', index: D });
    expect(checkAttestation(bad, spec(), 0, D, { ...signers, indexSignature: yes })).toMatchObject({ ok: false, reason: 'malformed-statement' });
  });

  test('no trusted root or no signer: rejected, not skipped', () => {
    const b = found(s.bundle({ dsse: provenance(D) }));
    expect(checkAttestation(b, spec(), 0, D, { ...signers, trustedRoot: undefined }).ok).toBe(false);
    expect(checkAttestation(b, spec(), 0, D, { keys: [], keyless: [], trustedRoot: () => s.trustedRoot })).toMatchObject({
      ok: false,
      reason: 'identity-mismatch'
    });
  });
});

describe('facts', () => {
  test('SLSA v0.2 (BuildKit), CycloneDX, SPDX', () => {
    const v02 = parseStatement(
      Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v0.1',
          subject: [{ digest: { sha256: 'ab' } }],
          predicateType: 'https://slsa.dev/provenance/v0.2',
          predicate: {
            builder: { id: 'https://github.com/acme/api/actions/runs/1' },
            buildType: 'https://mobyproject.org/buildkit@v1',
            invocation: {
              configSource: { uri: 'https://github.com/acme/api.git@refs/heads/main', digest: { sha1: 'f'.repeat(40) } },
              environment: { github_event_name: 'push' }
            }
          }
        })
      )
    );
    expect(v02.ok && attestationFacts(v02.statement)).toEqual({
      builder: 'https://github.com/acme/api/actions/runs/1',
      buildType: 'https://mobyproject.org/buildkit@v1',
      sourceRepository: 'https://github.com/acme/api.git',
      sourceRef: 'refs/heads/main',
      sourceCommit: 'f'.repeat(40),
      trigger: 'push'
    });
    const cdx = parseStatement(
      Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ digest: { sha256: 'ab' } }],
          predicateType: 'https://cyclonedx.org/bom',
          predicate: { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{}, {}] }
        })
      )
    );
    expect(cdx.ok && attestationFacts(cdx.statement)).toEqual({ sbomFormat: 'CycloneDX 1.5', packages: 2 });
    const sp = parseStatement(spdx(D, 5));
    expect(sp.ok && attestationFacts(sp.statement)).toEqual({ sbomFormat: 'SPDX-2.3', packages: 5 });
  });
});

describe('conditions, property (seeded)', () => {
  test('never throws; ok only when a value at the path matches', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(fc.constantFrom('a', 'b', '0', '1', '*', 'predicate'), { minLength: 1, maxLength: 4 }),
        fc.string({ maxLength: 6 }),
        (doc, keys, glob) => {
          const path = keys.join('.');
          const r = evaluateCondition(doc, { path, glob });
          if (r.ok) {
            // Some concrete walk of the path reaches a scalar whose text matches the glob.
            const walk = (v: unknown, ks: string[]): unknown[] => {
              if (ks.length === 0) return [v];
              const [k, ...rest] = ks;
              if (k === '*')
                return Array.isArray(v) ? v.flatMap((x) => walk(x, rest)) : v && typeof v === 'object' ? Object.values(v).flatMap((x) => walk(x, rest)) : [];
              if (Array.isArray(v)) return /^\d+$/.test(k!) && Number(k) < v.length ? walk(v[Number(k)], rest) : [];
              return v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k!) ? walk((v as Record<string, unknown>)[k!], rest) : [];
            };
            expect(walk(doc, splitConditionPath(path)!).some((x) => ['string', 'number', 'boolean'].includes(typeof x))).toBe(true);
          } else expect(r.detail).toContain(path);
        }
      ),
      { seed: 13, numRuns: 500 }
    );
  });
});

describe('the documented examples load', () => {
  const blocks = (file: string) =>
    [...fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((y) => /^verify:/m.test(y) && /attestations:/.test(y));
  test.each(['README.md', 'docs/verify-attestations.md'])('%s', (file) => {
    const found = blocks(file);
    expect(found.length).toBeGreaterThan(0);
    for (const y of found) {
      const c = parseConfig(y, path.join(REPO_ROOT, '.container-guard.yml'), []);
      expect(c.verify.policies.some((p) => (p.attestations ?? []).length > 0)).toBe(true);
    }
  });
});

test('a key file of an attestation entry is read relative to the config', () => {
  const c = parseConfig(
    'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - type: spdx\n          keys: [k.pub]\n',
    'sub/dir/.container-guard.yml',
    []
  );
  expect(c.verify.policies[0]!.attestations![0]!.keys[0]!.path).toBe(path.join('sub/dir', 'k.pub'));
});

describe('--deny-self-hosted-runners on the certificate (Fulcio runner environment extension)', () => {
  /** A certificate made by openssl, with or without the extension (the in-memory signer does not write it). */
  const certDer = (value?: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-runner-'));
    try {
      execFileSync(
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
          path.join(dir, 'k.pem'),
          '-subj',
          '/CN=t',
          '-days',
          '1',
          ...(value ? ['-addext', `1.3.6.1.4.1.57264.1.11=ASN1:UTF8String:${value}`] : []),
          '-outform',
          'DER',
          '-out',
          path.join(dir, 'c.der')
        ],
        { stdio: 'ignore' }
      );
      return fs.readFileSync(path.join(dir, 'c.der')).toString('base64');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const bundleWith = (raw: string, chain = false) =>
    Buffer.from(
      JSON.stringify({ verificationMaterial: chain ? { x509CertificateChain: { certificates: [{ rawBytes: raw }] } } : { certificate: { rawBytes: raw } } })
    );

  test('self-hosted is denied, github-hosted passes, no extension is left to the provenance condition', () => {
    expect(runnerEnvironmentProblem(bundleWith(certDer('self-hosted')))).toBe(
      'the certificate\'s runner environment is "self-hosted", not "github-hosted" (self-hosted runners are denied)'
    );
    expect(runnerEnvironmentProblem(bundleWith(certDer('self-hosted'), true))).toMatch(/self-hosted runners are denied/);
    expect(runnerEnvironmentProblem(bundleWith(certDer('github-hosted')))).toBeUndefined();
    expect(runnerEnvironmentProblem(bundleWith(certDer()))).toBeUndefined();
    expect(runnerEnvironmentProblem(Buffer.from('{"verificationMaterial":{"publicKey":{"hint":""}}}'))).toBeUndefined();
    expect(runnerEnvironmentProblem(bundleWith('bm90IGEgY2VydA=='))).toMatch(/cannot be read/);
  });

  test('checkAttestation applies it only for entries that deny self-hosted runners', () => {
    const b = found(s.bundle({ dsse: provenance(D) }));
    const gh = { ...spec(), github: { repo: 'acme/api', denySelfHostedRunners: true } };
    // The in-memory signer's certificates have no runner extension: the check passes through.
    expect(checkAttestation(b, gh, 0, D, signers)).toMatchObject({ ok: true });
  });
});
