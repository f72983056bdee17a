// `npm run bench:verify`: 500 image references in 50 repositories of a real registry (Debian's
// docker-registry on 127.0.0.1, Bearer token auth with anonymous pull, as Docker Hub and GHCR do), each
// signed (half with cosign's legacy `.sig` tag, half as cosign 3 writes it: a referrer listed in the
// `sha256-<hex>` tag-scheme index with artifactType application/vnd.oci.empty.v1+json). Side by side, one run:
//   - container-guard verify, digest only (require: [digest]);
//   - container-guard verify, digest + signature discovery + ECDSA verification (require: [digest, signature]);
//   - `skopeo inspect --format {{.Digest}}` run sequentially on the same list (one process per reference,
//     as a shell loop over skopeo does it).
// Each container-guard run is a fresh Node process with a fresh client (tokens and connections included),
// so its peak RSS is its own. Prints wall time, the ratio to skopeo, token requests and peak RSS, and checks
// the goals: digest only >= 20x, digest + signature >= 8x, one token request per scope, peak RSS < 200 MB.
// Also prints the CPU each side spent per request: the registry shares the machine's cores with the
// client, which a remote registry never does (its GC target is REGISTRY_GOGC of the test helper, 400;
// CG_REGISTRY_GOGC=100 runs it as Debian does). BENCH_VERIFY_REFS / BENCH_VERIFY_REPOS change the size.
import { Buffer } from 'node:buffer';
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleTs } from './bundle-ts.mjs';

const COUNT = Number(process.env.BENCH_VERIFY_REFS ?? 500);
const REPOS = Number(process.env.BENCH_VERIFY_REPOS ?? 50);
const GOALS = { digest: 20, signature: 8, rssMb: 200 };

/** The measured side: run in a child process, prints one JSON line. */
const CHILD = `
import fs from 'node:fs';
import path from 'node:path';
const [bundle, dir, require] = process.argv.slice(2);
const m = await import(bundle);
const refs = JSON.parse(fs.readFileSync(path.join(dir, 'refs.json'), 'utf8'));
const yaml = 'verify:\\n  default:\\n    require: [' + require + ']\\n' + (require.includes('signature') ? '    keys: [cosign.pub]\\n' : '');
const config = { ...m.parseConfig(yaml, path.join(dir, '.container-guard.yml'), []), baseDir: '' };
const client = m.createPinClient([]);
const t = performance.now();
const cpu0 = process.cpuUsage();
const r = await m.runVerify({ cwd: dir, config, client, images: refs, ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}) });
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
await client.close();
const failed = r.results.filter((x) => !x.passed);
process.stdout.write(JSON.stringify({
  ms, failed: failed.length, firstFailure: failed[0]?.reason, results: r.results.length,
  digests: r.digests, stats: client.stats, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000
}) + '\\n');
`;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)
    );
  });
}

export async function benchVerify() {
  if (spawnSync('docker-registry', ['--version']).status !== 0 || spawnSync('skopeo', ['--version']).status !== 0) {
    console.log('verify: skipped (docker-registry or skopeo missing: run scripts/install-test-deps.sh)');
    return;
  }
  const helpers = await import(
    pathToFileURL(
      await bundleTs(
        'bench-verify-helpers',
        "export { startRegistry, pushCosignSignature, pushReferrersFallback, cosignPayload, REGISTRY_GOGC } from './__tests__/helpers/registry.ts';"
      )
    ).href
  );
  const measured = await bundleTs(
    'bench-verify-run',
    [
      "export { runVerify } from './src/io/verify-run.ts';",
      "export { createPinClient } from './src/io/pin-run.ts';",
      "export { parseConfig } from './src/core/config/load.ts';"
    ].join('\n')
  );
  const reg = await helpers.startRegistry({ auth: 'bearer' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-verify-'));
  try {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(path.join(dir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const childFile = path.join(dir, 'child.mjs');
    fs.writeFileSync(childFile, CHILD);
    const refs = [];
    const t0 = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const repo = `bench/app${i % REPOS}`;
      const tag = `v${i}`;
      const pushed = await reg.pushImage(repo, tag, { seed: `bench ${i}` });
      const payload = helpers.cosignPayload(`${reg.host}/${repo}`, pushed.digest);
      const signature = crypto.sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      if (i % 2 === 0) await helpers.pushCosignSignature(reg, repo, pushed.digest, [{ payload, signature }]);
      else
        await helpers.pushReferrersFallback(reg, repo, pushed, [
          {
            artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
            layers: [{ payload, signature }],
            entryArtifactType: 'application/vnd.oci.empty.v1+json'
          }
        ]);
      refs.push(`${reg.host}/${repo}:${tag}`);
    }
    fs.writeFileSync(path.join(dir, 'refs.json'), JSON.stringify(refs));
    console.log(`verify: pushed ${COUNT} signed images in ${REPOS} repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const ours = async (require) => {
      const tokensBefore = reg.tokenRequests.length;
      const regCpu0 = reg.cpuSeconds();
      const out = JSON.parse(
        await run(process.execPath, [
          ...(process.env.BENCH_PROF && require.includes('signature') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
          childFile,
          pathToFileURL(measured).href,
          dir,
          require
        ])
      );
      if (out.results !== COUNT || out.failed > 0) throw new Error(`bench: verify failed: ${out.firstFailure ?? out.results}`);
      return { ...out, tokenServer: reg.tokenRequests.length - tokensBefore, registryCpuMs: (reg.cpuSeconds() - regCpu0) * 1000 };
    };
    await ours('digest'); // warm-up: the registry's caches and the page cache, for both sides alike
    const resolveOnly = await ours('digest');
    const signed = await ours('digest, signature');

    const t = performance.now();
    let mismatched = 0;
    for (const ref of refs) {
      const digest = (await run('skopeo', ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`])).trim();
      if (resolveOnly.digests[ref] !== digest) mismatched++;
    }
    const skopeoMs = performance.now() - t;
    if (mismatched > 0) throw new Error(`bench: ${mismatched} digests differ between container-guard and skopeo`);

    const rate = (ms) => `${((COUNT / ms) * 1000).toFixed(0).padStart(5)} refs/s`;
    const ratio = (ms) => skopeoMs / ms;
    const row = (label, r) =>
      `  ${label.padEnd(44)}${r.ms.toFixed(0).padStart(7)} ms ${rate(r.ms)}  ${ratio(r.ms).toFixed(1).padStart(5)}x  ` +
      `${String(r.stats.requests).padStart(5)} requests  ${String(r.stats.tokenRequests).padStart(3)} token requests  peak RSS ${r.maxRssMb.toFixed(0)} MB`;
    console.log(
      `\nverify: ${COUNT} references in ${REPOS} repositories of a local docker-registry (distribution 2.8, Bearer tokens, GOGC=${helpers.REGISTRY_GOGC})`
    );
    console.log(row('container-guard, digest only', resolveOnly));
    console.log(row('container-guard, digest + signature verify', signed));
    for (const [label, r] of [
      ['digest only', resolveOnly],
      ['digest + signature', signed]
    ])
      console.log(
        `    CPU per request (${label}): registry ${(r.registryCpuMs / r.stats.requests).toFixed(2)} ms, container-guard ${(r.cpuMs / r.stats.requests).toFixed(2)} ms ` +
          `(${((r.registryCpuMs + r.cpuMs) / r.ms / os.availableParallelism()).toFixed(2)} of the machine's ${os.availableParallelism()} cores busy)`
      );
    console.log(`  ${'skopeo inspect, sequential (digest only)'.padEnd(44)}${skopeoMs.toFixed(0).padStart(7)} ms ${rate(skopeoMs)}`);
    const checks = [
      [`digest only >= ${GOALS.digest}x`, ratio(resolveOnly.ms) >= GOALS.digest, `${ratio(resolveOnly.ms).toFixed(1)}x`],
      [`digest + signature >= ${GOALS.signature}x`, ratio(signed.ms) >= GOALS.signature, `${ratio(signed.ms).toFixed(1)}x`],
      [
        `one token request per scope (${REPOS} scopes)`,
        [resolveOnly, signed].every((r) => r.stats.tokenRequests <= REPOS && r.tokenServer <= REPOS),
        `${resolveOnly.tokenServer} and ${signed.tokenServer} at the token service`
      ],
      [
        `peak RSS < ${GOALS.rssMb} MB`,
        Math.max(resolveOnly.maxRssMb, signed.maxRssMb) < GOALS.rssMb,
        `${Math.max(resolveOnly.maxRssMb, signed.maxRssMb).toFixed(0)} MB`
      ]
    ];
    for (const [goal, met, value] of checks) console.log(`  goal ${goal}: ${met ? 'met' : 'NOT met'} (${value})`);
    console.log(`  digests identical to skopeo's for all ${COUNT} references`);
    await benchAttestations({ reg, dir, refs, digests: resolveOnly.digests, measured, rowOf: row });
  } finally {
    await reg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Attestations (issue 13): every image gets a key-signed SLSA v1 provenance and an SPDX SBOM as Sigstore
// bundle referrers (tag scheme), signed by the test signer of __tests__/helpers/sigstore.ts; the policy
// requires both, with a condition on the builder. Same 500 references, a fresh child process.
async function benchAttestations({ reg, dir, refs, digests, measured, rowOf }) {
  const sig = await import(
    pathToFileURL(await bundleTs('bench-verify-sigstore', "export { createTestSigstore } from './__tests__/helpers/sigstore.ts';")).href
  );
  const helpers = await import(
    pathToFileURL(await bundleTs('bench-verify-helpers', "export { pushReferrersFallback } from './__tests__/helpers/registry.ts';")).href
  );
  const s = sig.createTestSigstore();
  fs.writeFileSync(path.join(dir, 'root.json'), s.trustedRootJSON);
  fs.writeFileSync(path.join(dir, 'attest.pub'), s.publicKeyPem);
  const statement = (digest, predicateType, predicate) =>
    Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'bench', digest: { sha256: digest.slice(7) } }], predicateType, predicate })
    );
  const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
  const t0 = performance.now();
  for (const ref of refs) {
    const [, repo] = /^[^/]+\/(.+):([^:]+)$/.exec(ref);
    const digest = digests[ref];
    const subject = { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: Buffer.alloc(0) };
    const prov = s.bundle(
      { dsse: statement(digest, 'https://slsa.dev/provenance/v1', { runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } } }) },
      { withKey: true }
    );
    const sbom = s.bundle(
      { dsse: statement(digest, 'https://spdx.dev/Document', { spdxVersion: 'SPDX-2.3', packages: [{ name: 'a' }, { name: 'b' }] }) },
      { withKey: true }
    );
    await helpers.pushReferrersFallback(
      reg,
      repo,
      subject,
      [prov, sbom].map((b) => ({ artifactType: BUNDLE, layerMediaType: BUNDLE, layers: [{ payload: b }] }))
    );
  }
  console.log(`\nverify: attested ${refs.length} images (SLSA v1 + SPDX bundles, key-signed) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const yaml = [
    'verify:',
    '  trusted-root: root.json',
    '  default:',
    '    require: [digest, attestation]',
    '    attestations:',
    '      - type: slsaprovenance1',
    '        keys: [attest.pub]',
    "        conditions: { predicate.runDetails.builder.id: 'https://github.com/actions/runner/github-hosted' }",
    '      - type: spdx',
    '        keys: [attest.pub]',
    ''
  ].join('\n');
  const child = `
import fs from 'node:fs';
import path from 'node:path';
const [bundle, dir] = process.argv.slice(2);
const m = await import(bundle);
const refs = JSON.parse(fs.readFileSync(path.join(dir, 'refs.json'), 'utf8'));
const config = m.parseConfig(${JSON.stringify(yaml)}, path.join(dir, '.container-guard.yml'), []);
const client = m.createPinClient([]);
const t = performance.now();
const r = await m.runVerify({ cwd: dir, config, client, images: refs });
const ms = performance.now() - t;
await client.close();
const failed = r.results.filter((x) => !x.passed);
process.stdout.write(JSON.stringify({ ms, failed: failed.length, firstFailure: failed[0]?.reason, results: r.results.length, stats: client.stats, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');
`;
  fs.writeFileSync(path.join(dir, 'child-att.mjs'), child);
  const out = JSON.parse(await run(process.execPath, [path.join(dir, 'child-att.mjs'), pathToFileURL(measured).href, dir]));
  if (out.results !== refs.length || out.failed > 0) throw new Error(`bench: attestation verify failed: ${out.firstFailure ?? out.results}`);
  console.log(rowOf('container-guard, digest + 2 attestations', out));
  console.log(`  goal peak RSS < ${GOALS.rssMb} MB with attestations: ${out.maxRssMb < GOALS.rssMb ? 'met' : 'NOT met'} (${out.maxRssMb.toFixed(0)} MB)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchVerify();
