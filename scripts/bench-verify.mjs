// `npm run bench` (verify part): 200 image references in a real registry (Debian's docker-registry on
// 127.0.0.1), each with a cosign signature, measured side by side in one run:
//   - container-guard verify, resolution only (require: [digest]), bounded concurrency over one client;
//   - container-guard verify, digest + signature discovery + ECDSA verification (require: [digest, signature]);
//   - the same resolution done sequentially with `skopeo inspect --format {{.Digest}}` (one process per
//     reference, as a shell loop over skopeo does it).
// Prints references/s and the ratio; the goal is >= 10x faster than sequential skopeo.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTs } from './bundle-ts.mjs';

const COUNT = Number(process.env.BENCH_VERIFY_REFS ?? 200);
const REPOS = 20;

export async function benchVerify() {
  if (spawnSync('docker-registry', ['--version']).status !== 0 || spawnSync('skopeo', ['--version']).status !== 0) {
    console.log('verify: skipped (docker-registry or skopeo missing: run scripts/install-test-deps.sh)');
    return;
  }
  const m = await importTs(
    'bench-verify',
    [
      "export { startRegistry, pushCosignSignature, cosignPayload } from './__tests__/helpers/registry.ts';",
      "export { runVerify } from './src/io/verify-run.ts';",
      "export { createPinClient } from './src/io/pin-run.ts';",
      "export { parseConfig } from './src/core/config/load.ts';"
    ].join('\n')
  );
  const reg = await m.startRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-verify-'));
  try {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(path.join(dir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const refs = [];
    for (let i = 0; i < COUNT; i++) {
      const repo = `bench/app${i % REPOS}`;
      const tag = `v${i}`;
      const pushed = await reg.pushImage(repo, tag, { seed: `bench ${i}` });
      const payload = m.cosignPayload(`${reg.host}/${repo}`, pushed.digest);
      const signature = crypto.sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      await m.pushCosignSignature(reg, repo, pushed.digest, [{ payload, signature }]);
      refs.push(`${reg.host}/${repo}:${tag}`);
    }
    const config = (require) =>
      m.parseConfig(
        `verify:\n  default:\n    require: [${require}]\n${require.includes('signature') ? '    keys: [cosign.pub]\n' : ''}`,
        path.join(dir, '.container-guard.yml'),
        []
      );
    const ours = async (require) => {
      const cfg = { ...config(require), baseDir: '' };
      const t = performance.now();
      const r = await m.runVerify({ cwd: dir, config: cfg, client: m.createPinClient([]), images: refs });
      const ms = performance.now() - t;
      const failed = r.results.filter((x) => !x.passed);
      if (r.results.length !== COUNT || failed.length > 0) throw new Error(`bench: verify failed: ${failed[0]?.reason ?? r.results.length}`);
      return { ms, digests: r.digests };
    };
    await ours('digest'); // warm-up: JIT and the registry's caches, for both sides alike
    const resolveOnly = await ours('digest');
    const signed = await ours('digest, signature');

    const t = performance.now();
    let mismatched = 0;
    for (const ref of refs) {
      const r = spawnSync('skopeo', ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`bench: skopeo inspect ${ref}: ${r.stderr}`);
      const key = Object.keys(resolveOnly.digests).find((k) => k.endsWith(ref.slice(ref.indexOf('/'))));
      if (key && resolveOnly.digests[key] !== r.stdout.trim()) mismatched++;
    }
    const skopeoMs = performance.now() - t;
    if (mismatched > 0) throw new Error(`bench: ${mismatched} digests differ between container-guard and skopeo`);
    const rate = (ms) => `${((COUNT / ms) * 1000).toFixed(0)} refs/s`;
    console.log(
      `\nverify: ${COUNT} references in ${REPOS} repositories of a local docker-registry (distribution 2.8), each signed with cosign's legacy format`
    );
    console.log(
      `  container-guard, digest only:                ${resolveOnly.ms.toFixed(0).padStart(6)} ms  ${rate(resolveOnly.ms)}  (${(skopeoMs / resolveOnly.ms).toFixed(1)}x faster than skopeo)`
    );
    console.log(
      `  container-guard, digest + signature verify:  ${signed.ms.toFixed(0).padStart(6)} ms  ${rate(signed.ms)}  (${(skopeoMs / signed.ms).toFixed(1)}x faster than skopeo's resolution alone)`
    );
    console.log(`  skopeo inspect, sequential (digest only):    ${skopeoMs.toFixed(0).padStart(6)} ms  ${rate(skopeoMs)}`);
    console.log(`  goal >= 10x: ${skopeoMs / resolveOnly.ms >= 10 ? 'met' : 'NOT met'}; digests identical for all ${COUNT} references`);
  } finally {
    await reg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchVerify();
