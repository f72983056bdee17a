// Builds a big Trivy JSON report (SchemaVersion 2) for the gate bench out of the real Trivy reports in
// ../shared/corpus/scanner-reports/trivy-json/: their Results are repeated, round after round, with the package
// names suffixed by the number of the written Result (`openssl~r1234`), so copies never share an ID+package pair
// and de-duplication cannot collapse them. Written with a streaming writer (one Result at a time), pretty-printed the
// way Trivy prints (two-space indent).
//
//   node scripts/gen-big-trivy.mjs [OUT] [--mb N]      (defaults: .tmp/big-trivy.json, 300 MB = 300,000,000 bytes)
//
// Exported as genBigTrivy() for scripts/bench-gate.mjs.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TRIVY_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'scanner-reports', 'trivy-json');

/** Pretty JSON of `value`, every line after the first indented by `pad` (it sits at that depth in the output). */
function pretty(value, pad) {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n' + pad);
}

function renamed(name, n) {
  return typeof name === 'string' ? `${name}~r${n}` : name;
}

/** A copy of a Trivy Result whose package names (and the ids/purls built from them) carry the number `n`. */
function variant(result, n) {
  const r = { ...result };
  if (Array.isArray(result.Vulnerabilities))
    r.Vulnerabilities = result.Vulnerabilities.map((v) => {
      const o = { ...v, PkgName: renamed(v.PkgName, n) };
      if (typeof v.PkgID === 'string') o.PkgID = v.PkgID.replace(v.PkgName, o.PkgName);
      if (v.PkgIdentifier && typeof v.PkgIdentifier.PURL === 'string')
        o.PkgIdentifier = { ...v.PkgIdentifier, PURL: v.PkgIdentifier.PURL.replace(`/${v.PkgName}@`, `/${o.PkgName}@`) };
      return o;
    });
  if (Array.isArray(result.Packages))
    r.Packages = result.Packages.map((p) => {
      const o = { ...p, Name: renamed(p.Name, n) };
      if (typeof p.ID === 'string') o.ID = p.ID.replace(p.Name, o.Name);
      return o;
    });
  return r;
}

/**
 * Writes the report to `out` and returns { bytes, vulnerabilities, results }.
 * Memory: the source reports (a few MB) plus one Result at a time.
 */
export function genBigTrivy(out = path.join(REPO_ROOT, '.tmp', 'big-trivy.json'), targetBytes = 300_000_000) {
  const sources = fs
    .readdirSync(TRIVY_DIR)
    .filter((f) => f.endsWith('.json') || f.endsWith('.json.golden'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(TRIVY_DIR, f), 'utf8')));
  const results = sources.flatMap((s) => s.Results ?? []).filter((r) => (r.Vulnerabilities?.length ?? 0) > 0 || (r.Packages?.length ?? 0) > 0);
  if (results.length === 0) throw new Error(`no Trivy Results found in ${TRIVY_DIR}`);
  const base = sources.find((s) => s.Metadata && s.Metadata.OS) ?? sources[0];

  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.partial`;
  const fd = fs.openSync(tmp, 'w');
  let pending = [];
  let pendingBytes = 0;
  let bytes = 0;
  const write = (s) => {
    pending.push(s);
    pendingBytes += s.length;
    bytes += Buffer.byteLength(s);
    if (pendingBytes >= 1 << 20) flush();
  };
  const flush = () => {
    if (pending.length) fs.writeSync(fd, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };

  const header = {
    SchemaVersion: 2,
    CreatedAt: '2026-01-01T00:00:00Z',
    ArtifactName: 'container-guard/bench-big:latest',
    ArtifactType: 'container_image',
    Metadata: base.Metadata ?? {}
  };
  write('{\n');
  for (const [k, v] of Object.entries(header)) write(`  ${JSON.stringify(k)}: ${pretty(v, '  ')},\n`);
  write('  "Results": [');
  let vulnerabilities = 0;
  let count = 0;
  const tail = '\n  ]\n}\n';
  while (bytes + tail.length < targetBytes) {
    for (const r of results) {
      const v = variant(r, count);
      write((count === 0 ? '\n    ' : ',\n    ') + pretty(v, '    '));
      vulnerabilities += v.Vulnerabilities?.length ?? 0;
      count++;
      if (bytes + tail.length >= targetBytes) break;
    }
  }
  write(tail);
  flush();
  fs.closeSync(fd);
  fs.renameSync(tmp, out);
  return { file: out, bytes, vulnerabilities, results: count };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const mbAt = args.indexOf('--mb');
  const mb = mbAt >= 0 ? Number(args.splice(mbAt, 2)[1]) : 300;
  if (!(mb > 0)) {
    console.error('usage: node scripts/gen-big-trivy.mjs [OUT] [--mb N]');
    process.exit(2);
  }
  const out = path.resolve(args[0] ?? path.join(REPO_ROOT, '.tmp', 'big-trivy.json'));
  const t = performance.now();
  const r = genBigTrivy(out, Math.round(mb * 1e6));
  console.log(
    `wrote ${path.relative(process.cwd(), r.file) || r.file}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.vulnerabilities.toLocaleString('en-US')} vulnerabilities in ${r.results.toLocaleString('en-US')} Results (${((performance.now() - t) / 1000).toFixed(1)} s)`
  );
}
