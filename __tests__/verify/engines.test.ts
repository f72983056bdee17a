/**
 * package.json `engines` says what the code needs (issue 12 item 7): the lowest version of each range
 * it admits satisfies every runtime dependency's own `engines` (the current Sigstore majors — verify 4,
 * core 4, bundle 5 — need ^22.22.2 || ^24.15.0 || >=26.0.0), and the Node 24 the actions declare is
 * admitted. Node 20 (end of life since April 2026) is no longer admitted; the suite still runs on it where
 * it is the machine's runtime, which shows the code works there, but nothing is promised.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { REPO_ROOT } from '../helpers/corpus.js';
import { NODE24 } from '../helpers/node-runtimes.js';

/**
 * The range syntax package engines use here (`^a.b.c`, `>=a.b.c`, `>= a.b.c`, a bare major, `||`):
 * enough to check versions against them without a semver dependency. Unknown syntax throws.
 */
type V = [number, number, number];
const parse = (v: string): V => {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim());
  if (!m) throw new Error(`unsupported version ${v}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
};
const cmp = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const semver = {
  satisfies(version: string, range: string): boolean {
    const v = parse(version);
    return range.split('||').some((alt) => {
      const r = alt.trim();
      if (r === '*' || r === '') return true;
      if (r.startsWith('^')) {
        const f = parse(r.slice(1));
        return v[0] === f[0] && cmp(v, f) >= 0;
      }
      if (r.startsWith('>=')) return cmp(v, parse(r.slice(2))) >= 0;
      const f = parse(r);
      return /^\d+$/.test(r) ? v[0] === f[0] : cmp(v, f) === 0;
    });
  },
  minVersion(range: string): { version: string } {
    return { version: parse(range.replace(/^(\^|>=)\s*/, '')).join('.') };
  }
};

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; dependencies: Record<string, string> };
const range = pkg.engines.node;
// The lowest version of each `||` alternative of our range.
const floors = range.split('||').map((r) => semver.minVersion(r.trim())!.version);

describe('engines', () => {
  test.each(Object.keys(pkg.dependencies))('%s runs on every Node version engines admits', (dep) => {
    const file = path.join(REPO_ROOT, 'node_modules', dep, 'package.json');
    const needs = (JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string } }).engines?.node;
    if (needs === undefined) return;
    for (const v of floors) expect([v, semver.satisfies(v, needs)]).toEqual([v, true]);
  });

  test('the floors are the tightest the dependencies allow (22.22.2, 24.15.0, 26.0.0)', () => {
    expect(floors).toEqual(['22.22.2', '24.15.0', '26.0.0']);
  });

  test('the Node 24 runtime of action.yml (installed by the test scripts) is admitted', () => {
    expect(fs.existsSync(NODE24)).toBe(true);
    const v = spawnSync(NODE24, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    expect(v).toMatch(/^24\./);
    expect(semver.satisfies(v, range)).toBe(true);
  });

  test('the runtime running the tests is admitted, or the Node 20 that is exercised but no longer promised', () => {
    expect(semver.satisfies(process.versions.node, range) || process.versions.node.startsWith('20.')).toBe(true);
  });
});
