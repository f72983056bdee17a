// `npm run bench` (inspect row): a generated ~1 GB image (4 gzip layers of many files, some setuid,
// world-writable, cache and credential-looking ones) in an OCI image layout, inspected by the bundled
// CLI in its own process, side by side with GNU `tar -tzf` over the same layer blobs.
// Throughput is the uncompressed image size over wall time; peak RSS from GNU time.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pack } from 'tar-stream';

const LAYERS = 4;
const LAYER_BYTES = 256 * 1024 * 1024;
const dir = path.resolve('.tmp', 'bench-image-layout');

function sha256File(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  for (let n; (n = fs.readSync(fd, buf)) > 0;) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

async function writeLayer(k, file) {
  const p = pack();
  const gz = zlib.createGzip({ level: 1 });
  const out = fs.createWriteStream(file);
  const done = new Promise((resolve, reject) => out.on('finish', resolve).on('error', reject));
  p.pipe(gz).pipe(out);
  // Compressible content: words of a small vocabulary with numbers.
  const chunk = Buffer.from(Array.from({ length: 4096 }, (_, i) => `line ${i} of layer ${k}: lorem ipsum dolor sit amet ${(i * 7919) % 10007}\n`).join(''));
  let written = 0;
  let n = 0;
  while (written < LAYER_BYTES) {
    const size = 4096 + ((n * 2654435761) % 65536);
    const body = Buffer.alloc(size);
    for (let o = 0; o < size; o += chunk.length) chunk.copy(body, o, 0, Math.min(chunk.length, size - o));
    const name =
      n % 997 === 0 ? `usr/local/bin/tool-${k}-${n}` : n % 499 === 0 ? `var/lib/apt/lists/mirror_${k}_${n}_Packages` : `opt/data/${k}/${n % 97}/file-${n}.txt`;
    const mode = n % 997 === 0 ? 0o4755 : n % 1499 === 0 ? 0o777 : 0o644;
    await new Promise((resolve, reject) => p.entry({ name, size, mode }, body, (e) => (e ? reject(e) : resolve())));
    written += size;
    n++;
  }
  p.entry({ name: 'app/.env', size: 17 }, 'LOG_LEVEL=debug\n\n');
  p.finalize();
  await done;
  return written;
}

async function generate() {
  const marker = path.join(dir, 'bench-done.json');
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  let total = 0;
  for (let k = 0; k < LAYERS; k++) {
    const tmp = path.join(dir, `layer-${k}.tmp`);
    total += await writeLayer(k, tmp);
    const hex = sha256File(tmp);
    fs.renameSync(tmp, path.join(dir, 'blobs', 'sha256', hex));
    layers.push({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:${hex}`,
      size: fs.statSync(path.join(dir, 'blobs', 'sha256', hex)).size
    });
  }
  const blob = (obj) => {
    const body = Buffer.from(JSON.stringify(obj));
    const hex = crypto.createHash('sha256').update(body).digest('hex');
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', hex), body);
    return { digest: `sha256:${hex}`, size: body.length };
  };
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    config: { User: '10001', Env: ['PATH=/usr/bin:/bin'] },
    rootfs: { type: 'layers', diff_ids: [] },
    history: []
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers
  });
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }]
    })
  );
  const info = { bytes: total, layers: layers.map((l) => l.digest) };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

function timed(cmd, args) {
  const time = fs.existsSync('/usr/bin/time') ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(time[0], time[1], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { ms: performance.now() - t, status: r.status, rssMb: Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) / 1024, stdout: r.stdout, stderr: r.stderr };
}

export async function benchInspect(node = process.execPath) {
  const cli = path.resolve('dist/cli/index.js');
  if (!fs.existsSync(cli)) return console.log('\n(dist/ not built: run npm run bundle for the inspect row)');
  const info = await generate();
  const mb = info.bytes / 1048576;
  const ours = [0, 1, 2].map(() => timed(node, [cli, 'inspect', '--image', `oci:${dir}:bench`, '--format', 'json', '--fail-on', 'none']));
  const tarRuns = [0, 1, 2].map(() => {
    const t = performance.now();
    let rss = 0;
    for (const d of info.layers) {
      const r = timed('tar', ['-tzf', path.join(dir, 'blobs', 'sha256', d.slice(7))]);
      rss = Math.max(rss, r.rssMb);
    }
    return { ms: performance.now() - t, rssMb: rss };
  });
  const med = (xs) => [...xs].sort((a, b) => a - b)[1];
  const oursMs = med(ours.map((r) => r.ms));
  const tarMs = med(tarRuns.map((r) => r.ms));
  const oursRss = Math.max(...ours.map((r) => r.rssMb));
  const findings = JSON.parse(ours[0].stdout || '{"findings":[]}').findings?.length ?? 0;
  console.log(
    `\ninspect bench — a generated ${mb.toFixed(0)} MiB image (${info.layers.length} gzip layers) in an OCI layout, node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()} (median of 3)`
  );
  console.log('| run | wall | MiB/s (uncompressed) | peak RSS |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| container-guard inspect (digest check + gunzip + tar walk + rules) | ${oursMs.toFixed(0)} ms | ${(mb / (oursMs / 1000)).toFixed(0)} | ${oursRss.toFixed(0)} MB |`
  );
  console.log(
    `| tar -tzf over the same layers | ${tarMs.toFixed(0)} ms | ${(mb / (tarMs / 1000)).toFixed(0)} | ${Math.max(...tarRuns.map((r) => r.rssMb)).toFixed(0)} MB |`
  );
  console.log(
    `ratio container-guard / tar -t: ${(oursMs / tarMs).toFixed(2)}×; goals: ≥ 200 MiB/s ${mb / (oursMs / 1000) >= 200 ? 'met' : 'NOT met'}, peak RSS < 200 MB ${oursRss < 200 ? 'met' : 'NOT met'}; exit ${ours[0].status}, ${findings} findings`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchInspect(process.argv[2]);
