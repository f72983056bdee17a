/**
 * Attestations against the real docker-registry on 127.0.0.1, in each storage layout, written by the
 * independent test signer (helpers/sigstore.ts): Sigstore bundle referrers (tag scheme), cosign's legacy
 * `.att` tag (DSSE envelopes with certificate and Rekor annotations), BuildKit attestation manifests in
 * an image index (vouched for by a signature of the index), and offline bundle files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { main } from '../../src/cli.js';
import { parseConfig } from '../../src/core/config/load.js';
import { formatVerifyMarkdown, formatVerifyText, toVerifyJson } from '../../src/core/verify/results.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { readAttestationFiles } from '../../src/io/registry/attestations.js';
import { runVerify } from '../../src/io/verify-run.js';
import { runAction } from '../helpers/actions.js';
import { makeTree } from '../helpers/fixtures.js';
import { blobOf, freePort, MEDIA, pushReferrersFallback, requireRegistry, startRegistry, type PushedManifest, type TestRegistry } from '../helpers/registry.js';
import { BUNDLE_MEDIA_TYPE, createTestSigstore, type TestSigstore } from '../helpers/sigstore.js';
import { attest, provenance, SELF_HOSTED, spdx } from './statements.js';

const available = requireRegistry();
const withRegistry = available ? describe : describe.skip;

const bundleReferrer = (bundle: Buffer) => ({ artifactType: BUNDLE_MEDIA_TYPE, layerMediaType: BUNDLE_MEDIA_TYPE, layers: [{ payload: bundle }] });

const POLICY = (host: string) => `verify:
  trusted-root: trusted_root.json
  policies:
    - images: ["${host}/keyed/**"]
      require: [digest, attestation]
      attestations:
        - type: slsaprovenance1
          keys: [other.pub]
    - images: ["${host}/**"]
      require: [digest, attestation]
      attestations:
        - github: { repo: acme/api, source-ref: refs/heads/main, deny-self-hosted-runners: true }
          conditions:
            predicate.buildDefinition.externalParameters.workflow.repository: https://github.com/acme/api
        - type: spdx
          github: { repo: acme/api }
`;

/** A bundle of the test signer re-shaped as `cosign attest` (v2) stores it under the .att tag. */
function legacyLayer(bundleJson: Buffer): { data: Buffer; annotations: Record<string, string> } {
  const b = JSON.parse(bundleJson.toString('utf8')) as {
    verificationMaterial: {
      certificate: { rawBytes: string };
      tlogEntries: {
        logIndex: string;
        logId: { keyId: string };
        integratedTime: string;
        inclusionPromise: { signedEntryTimestamp: string };
        canonicalizedBody: string;
      }[];
    };
    dsseEnvelope: object;
  };
  const e = b.verificationMaterial.tlogEntries[0]!;
  const cert = `-----BEGIN CERTIFICATE-----\n${b.verificationMaterial.certificate.rawBytes.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  return {
    data: Buffer.from(JSON.stringify(b.dsseEnvelope)),
    annotations: {
      'dev.cosignproject.cosign/signature': '',
      'dev.sigstore.cosign/certificate': cert,
      'dev.sigstore.cosign/bundle': JSON.stringify({
        SignedEntryTimestamp: e.inclusionPromise.signedEntryTimestamp,
        Payload: {
          body: e.canonicalizedBody,
          integratedTime: Number(e.integratedTime),
          logIndex: Number(e.logIndex),
          logID: Buffer.from(e.logId.keyId, 'base64').toString('hex')
        }
      }),
      predicateType: 'https://slsa.dev/provenance/v1'
    }
  };
}

async function pushLegacyAtt(reg: TestRegistry, repo: string, digest: string, layers: { data: Buffer; annotations: Record<string, string> }[]) {
  const blobs = layers.map((l) => blobOf(l.data));
  const config = blobOf(JSON.stringify({ architecture: '', os: '', rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.digest) }, config: {} }));
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l, i) => ({
      mediaType: 'application/vnd.dsse.envelope.v1+json',
      digest: blobs[i]!.digest,
      size: blobs[i]!.size,
      annotations: l.annotations
    }))
  };
  await reg.push(repo, `${digest.replace(':', '-')}.att`, JSON.stringify(manifest), [config, ...blobs]);
}

/** An index as `docker buildx build --attest type=provenance --attest type=sbom` pushes it. */
async function pushBuildkitIndex(reg: TestRegistry, repo: string, statementsFor: (platformDigest: string) => Buffer[]) {
  const idx = await reg.pushIndex(repo, '1.0', ['linux/amd64', 'linux/arm64'], { seed: repo });
  const index = JSON.parse(idx.bytes.toString('utf8')) as { manifests: object[] };
  for (const p of idx.platforms) {
    const blobs = statementsFor(p.digest).map((st) => blobOf(st));
    const config = blobOf(
      JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.digest) } })
    );
    const m = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: config.digest, size: config.size },
      layers: blobs.map((b) => ({
        mediaType: 'application/vnd.in-toto+json',
        digest: b.digest,
        size: b.size,
        annotations: { 'in-toto.io/predicate-type': (JSON.parse(b.data.toString('utf8')) as { predicateType: string }).predicateType }
      }))
    });
    const pushed = await reg.push(repo, `sha256:${crypto.createHash('sha256').update(m).digest('hex')}`, m, [config, ...blobs]);
    index.manifests.push({
      mediaType: MEDIA.ociManifest,
      digest: pushed.digest,
      size: pushed.bytes.length,
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: { 'vnd.docker.reference.digest': p.digest, 'vnd.docker.reference.type': 'attestation-manifest' }
    });
  }
  return reg.push(repo, '1.0', JSON.stringify(index));
}

withRegistry('attestations in a real registry', () => {
  let reg: TestRegistry;
  let s: TestSigstore;
  let ws: string;
  const pushed: Record<string, PushedManifest> = {};

  beforeAll(async () => {
    reg = await startRegistry();
    s = createTestSigstore();
    ws = makeTree({
      'trusted_root.json': s.trustedRootJSON,
      'other.pub': s.otherPublicKey.export({ type: 'spki', format: 'pem' }) as string,
      '.container-guard.yml': POLICY(reg.host)
    });
    const names = [
      'good',
      'legacy',
      'wrongrepo',
      'wrongsource',
      'selfhosted',
      'missing',
      'sbomonly',
      'otherdigest',
      'malformed',
      'notstatement',
      'offline',
      'keyed/app'
    ];
    for (const n of names) pushed[n] = await reg.pushImage(`acme/${n}`, '1.0', { seed: n });
    const refer = (name: string, bundles: Buffer[]) => pushReferrersFallback(reg, `acme/${name}`, pushed[name]!, bundles.map(bundleReferrer));
    const d = (name: string) => pushed[name]!.digest;
    await refer('good', [attest(s, provenance(d('good'))), attest(s, spdx(d('good'), 42))]);
    await pushLegacyAtt(reg, 'acme/legacy', d('legacy'), [legacyLayer(attest(s, provenance(d('legacy')))), legacyLayer(attest(s, spdx(d('legacy'))))]);
    const evil = { identity: 'https://github.com/evil/api/.github/workflows/release.yml@refs/heads/main', github: { repository: 'evil/api' } };
    await refer('wrongrepo', [attest(s, provenance(d('wrongrepo')), evil), attest(s, spdx(d('wrongrepo')))]);
    await refer('wrongsource', [attest(s, provenance(d('wrongsource'), { repository: 'acme/web' })), attest(s, spdx(d('wrongsource')))]);
    await refer('selfhosted', [attest(s, provenance(d('selfhosted'), { builder: SELF_HOSTED })), attest(s, spdx(d('selfhosted')))]);
    await refer('sbomonly', [attest(s, spdx(d('sbomonly')))]);
    await refer('otherdigest', [attest(s, provenance(d('good'))), attest(s, spdx(d('otherdigest')))]);
    await pushLegacyAtt(reg, 'acme/malformed', d('malformed'), [
      { data: Buffer.from('{"payloadType": "application/vnd.in-toto+json", "payl'), annotations: {} }
    ]);
    await refer('notstatement', [
      s.bundle({ dsse: Buffer.from('{"critical":{"type":"cosign container image signature"}}') }),
      attest(s, spdx(d('notstatement')))
    ]);
    await pushReferrersFallback(reg, 'keyed/app', (pushed['keyed/app'] = await reg.pushImage('keyed/app', '1.0', { seed: 'k' })), [
      bundleReferrer(attest(s, provenance((pushed['keyed/app'] as PushedManifest).digest), { withKey: true }))
    ]);
    // BuildKit: statements per platform in the index; the index itself signed (cosign sign on the index).
    pushed.kit = await pushBuildkitIndex(reg, 'acme/kit', (p) => [provenance(p), spdx(p, 7)]);
    await pushReferrersFallback(reg, 'acme/kit', pushed.kit, [bundleReferrer(s.signImage(pushed.kit.digest))]);
    pushed.kitunsigned = await pushBuildkitIndex(reg, 'acme/kitunsigned', (p) => [provenance(p), spdx(p, 7)]);
    fs.writeFileSync(path.join(ws, 'offline.jsonl'), `${attest(s, spdx(d('offline'))).toString()}\n${attest(s, provenance(d('offline'))).toString()}\n`);
  });
  afterAll(async () => {
    await reg?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  const verify = (refs: string[], host = reg.host, extra: { attestationBundles?: ReturnType<typeof readAttestationFiles> } = {}) =>
    runVerify({
      cwd: ws,
      config: parseConfig(POLICY(host), '.container-guard.yml', []),
      client: createPinClient([]),
      images: refs.map((r) => `${host}/${r}:1.0`),
      ...extra
    });

  test.each<[string, string, string[]]>([
    ['bundle referrers (tag scheme)', 'acme/good', ['referrers-tag-fallback', 'referrers-tag-fallback']],
    ["cosign's legacy .att tag", 'acme/legacy', ['cosign-legacy-tag', 'cosign-legacy-tag']],
    ['BuildKit attestation manifests, index signed', 'acme/kit', ['buildkit', 'buildkit', 'buildkit', 'buildkit']]
  ])('right provenance and SBOM pass: %s', async (_n, repo, formats) => {
    const r = await verify([repo]);
    const res = r.results[0]!;
    expect(res.reason).toMatch(/2 attestations verified/);
    expect(res.passed).toBe(true);
    const good = res.attestations!.filter((a) => a.ok);
    expect(good.map((a) => a.format)).toEqual(formats);
    const prov = good.find((a) => a.predicateType === 'https://slsa.dev/provenance/v1')!;
    expect(prov.facts).toEqual({
      builder: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      sourceRepository: 'https://github.com/acme/api',
      sourceRef: 'refs/heads/main',
      sourceCommit: '0123456789abcdef0123456789abcdef01234567',
      trigger: 'push',
      runnerEnvironment: 'github-hosted'
    });
    expect(prov.signer).toMatch(
      repo === 'acme/kit' ? /^index-signature:keyless:https:\/\/token\.actions\.githubusercontent\.com https:\/\/github\.com\/acme\/api\// : /^keyless:/
    );
    const sbom = good.find((a) => a.predicateType === 'https://spdx.dev/Document')!;
    expect(sbom.facts).toEqual({ sbomFormat: 'SPDX-2.3', packages: repo === 'acme/kit' ? 7 : repo === 'acme/good' ? 42 : 3 });
  });

  test.each<[string, string, RegExp]>([
    [
      'wrong repository (signer)',
      'acme/wrongrepo',
      /slsa\.dev\/provenance\/v1 attestation rejected: .*the certificate's identity "https:\/\/github\.com\/evil\/api\/.*" does not match/
    ],
    [
      'wrong source repository in the provenance',
      'acme/wrongsource',
      /condition predicate\.buildDefinition\.externalParameters\.workflow\.repository: "https:\/\/github\.com\/acme\/web" does not match "https:\/\/github\.com\/acme\/api"/
    ],
    [
      'self-hosted runner when denied',
      'acme/selfhosted',
      /condition predicate\.runDetails\.builder\.id: "https:\/\/github\.com\/actions\/runner\/self-hosted" does not match "https:\/\/github\.com\/actions\/runner\/github-hosted"/
    ],
    ['missing attestation', 'acme/missing', /no https:\/\/slsa\.dev\/provenance\/v1 attestation found for sha256:[0-9a-f]{64} \(no attestations found\)/],
    ['SBOM only', 'acme/sbomonly', /no https:\/\/slsa\.dev\/provenance\/v1 attestation found for sha256:[0-9a-f]{64} \(found: https:\/\/spdx\.dev\/Document\)/],
    ['wrong key', 'keyed/app', /slsaprovenance1 attestation rejected: .*verifies with none of the policy's 1 key/],
    ['subject digest of another image', 'acme/otherdigest', /attestation rejected: the attestation is about sha256:[0-9a-f]{64}, not sha256:/],
    ['malformed envelope in .att', 'acme/malformed', /attestation rejected: sha256-[0-9a-f]{64}\.att layer .*the DSSE envelope is not UTF-8 JSON/],
    ['payload not an in-toto statement', 'acme/notstatement', /attestation rejected: .*not an in-toto Statement/],
    [
      'BuildKit attestations of an unsigned index',
      'acme/kitunsigned',
      /a BuildKit attestation is not signed itself and the index sha256:[0-9a-f]{64} that lists it has no verified signature/
    ]
  ])('%s fails naming the cause', async (_n, repo, reason) => {
    const r = await verify([repo]);
    const res = r.results[0]!;
    expect(res.passed).toBe(false);
    expect(res.reason).toMatch(reason);
    expect(r.findings.some((f) => f.ruleId === 'verify/attestation' && reason.test(f.message))).toBe(true);
  });

  test('registry down: fails naming the host', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const r = await verify(['acme/good'], host);
    expect(r.results[0]!.passed).toBe(false);
    expect(r.results[0]!.reason).toMatch(
      new RegExp(`cannot be resolved.*${host.replace('.', '\\.')}|${host.replace('.', '\\.')}.*(refused|ECONNREFUSED)`, 'i')
    );
  });

  test('offline bundle file (gh attestation download JSON lines) supplies what the registry lacks', async () => {
    expect((await verify(['acme/offline'])).results[0]!.passed).toBe(false);
    const bundles = readAttestationFiles(ws, ['offline.jsonl'], (m) => new Error(m));
    const r = await verify(['acme/offline', 'acme/missing'], reg.host, { attestationBundles: bundles });
    expect(r.results.map((x) => x.passed)).toEqual([true, false]);
    expect(r.results[0]!.attestations!.filter((a) => a.ok).map((a) => a.format)).toEqual(['offline-file', 'offline-file']);
    // The same file does not vouch for another image: subject binding.
    expect(r.results[1]!.reason).toMatch(/the attestation is about sha256:[0-9a-f]{64}, not sha256:/);
  });

  test('results: JSON, text and job summary show the attestations, signers and facts', async () => {
    const r = await verify(['acme/good', 'acme/selfhosted']);
    const json = toVerifyJson(r.results, r.findings);
    expect(json.passed).toBe(false);
    const att = json.results[0]!.attestations!;
    expect(att.filter((a) => a.ok).map((a) => [a.predicateType, a.signer?.startsWith('keyless:')])).toEqual([
      ['https://slsa.dev/provenance/v1', true],
      ['https://spdx.dev/Document', true]
    ]);
    const text = formatVerifyText(r.results, []);
    expect(text).toMatch(
      /attestation verified: https:\/\/slsa\.dev\/provenance\/v1 via referrers-tag-fallback keyless:.*: builder https:\/\/github\.com\/actions\/runner\/github-hosted, source https:\/\/github\.com\/acme\/api refs\/heads\/main @ 0123456789ab, trigger push/
    );
    expect(text).toMatch(/attestation verified: https:\/\/spdx\.dev\/Document .*: SPDX-2\.3, 42 packages/);
    expect(text).toMatch(/attestation rejected \(condition-failed\): .*self-hosted/);
    const md = formatVerifyMarkdown(r.results, []);
    expect(md).toMatch(/\| Attestations \|/);
    expect(md).toMatch(/slsa\.dev\/provenance\/v1 by keyless:.*builder https:\/\/github\.com\/actions\/runner\/github-hosted/);
  });

  test('the bundled verify action: attestation-bundles passes with the files, fails without them, and an unusable file fails the step', () => {
    const image = `${reg.host}/acme/offline:1.0`;
    const withFiles = runAction('verify', ws, { images: image, 'attestation-bundles': 'offline.jsonl' });
    expect(withFiles.stdout).toMatch(/1 image\(s\), 1 verified, 0 failed/);
    expect(withFiles.code).toBe(0);
    expect(withFiles.outputs.verified).toBe('1');
    const without = runAction('verify', ws, { images: image });
    expect(without.code).toBe(1);
    expect(without.outputs.failed).toBe('1');
    fs.writeFileSync(path.join(ws, 'half.jsonl'), '{"mediaType": 1}\nnot json\n');
    const broken = runAction('verify', ws, { images: image, 'attestation-bundles': 'offline.jsonl, half.jsonl' });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/::error::input attestation-bundles: half\.jsonl: line 2 is not JSON/);
    expect(broken.stdout).not.toMatch(/verified, 0 failed|internal error/);
    const missing = runAction('verify', ws, { images: image, 'attestation-bundles': 'nope.jsonl' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/::error::input attestation-bundles: nope\.jsonl: cannot read the bundle file: ENOENT/);
  });

  test('CLI: verify --bundle FILE --format json; exit 1 on a failed attestation, 2 on an unusable bundle file', async () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const cwd = process.cwd();
    try {
      process.chdir(ws);
      expect(await main(['verify', '--image', `${reg.host}/acme/offline:1.0`, '--bundle', 'offline.jsonl', '--format', 'json'])).toBe(0);
      const json = JSON.parse(out.mock.calls.map((c) => String(c[0])).join('')) as {
        passed: boolean;
        results: { attestations: { ok: boolean; format: string }[] }[];
      };
      expect(json.passed).toBe(true);
      expect(json.results[0]!.attestations.filter((a) => a.ok).map((a) => a.format)).toEqual(['offline-file', 'offline-file']);
      out.mockClear();
      expect(await main(['verify', '--image', `${reg.host}/acme/sbomonly:1.0`])).toBe(1);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/attestation: no https:\/\/slsa\.dev\/provenance\/v1 attestation found/);
      fs.writeFileSync('broken.jsonl', '{"mediaType": 1}\nnot json\n');
      err.mockClear();
      expect(await main(['verify', '--image', `${reg.host}/acme/offline:1.0`, '--bundle', 'broken.jsonl'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--bundle broken\.jsonl: line 2 is not JSON/);
      err.mockClear();
      expect(await main(['verify', '--image', `${reg.host}/acme/offline:1.0`, '--bundle', 'nope.json'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--bundle nope\.json: cannot read the bundle file: ENOENT/);
    } finally {
      process.chdir(cwd);
      out.mockRestore();
      err.mockRestore();
    }
  });
});
