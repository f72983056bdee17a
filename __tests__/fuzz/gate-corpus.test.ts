// Property tests for the streaming JSON reader and the report adapters (issue 15): malformed variants of every
// corpus report in ../shared/corpus/scanner-reports (truncations, invalid bytes in every region, nulls, type
// swaps, key case changes) are a ReportError naming the file (the CLI's exit 2); valid re-encodings (whitespace,
// key order, \u escapes) give the same result. Seeded and bounded; `npm run fuzz` runs more.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../../src/core/config/types.js';
import { ReportError } from '../../src/core/gate/types.js';
import { runGate } from '../../src/io/gate-run.js';
import { makeTree } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { fuzzParams, fuzzTimeout } from './params.js';

const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'scanner-reports');
const FORMATS = ['trivy-json', 'snyk-json', 'sarif', 'grype-json'];
const files = FORMATS.flatMap((f) =>
  fs.existsSync(path.join(CORPUS, f)) ? fs.readdirSync(path.join(CORPUS, f)).map((n) => ({ format: f, file: path.join(CORPUS, f, n) })) : []
);
const config = () => {
  const c = defaultConfig();
  c.gate.failOn = 'critical';
  return c;
};

async function gate(content: string | Buffer): Promise<{ error?: unknown; summary?: string }> {
  const dir = makeTree({ 'r.json': content });
  try {
    const { result } = await runGate({ cwd: dir, reports: ['r.json'], vex: [], config: config() });
    return { summary: JSON.stringify([result.counts.before, result.remaining.map((f) => `${f.id} ${f.package} ${f.severity}`).sort()]) };
  } catch (error) {
    return { error };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectReportError(r: { error?: unknown }): void {
  expect(r.error).toBeInstanceOf(ReportError);
  expect((r.error as ReportError).file).toBe('r.json');
}

/** Every string value and key, non-ASCII escaped as \u (still the same document). */
const escapeUnicode = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reorder(x)])
    );
  return v;
}

/** The container the adapter walks at the top, and where findings sit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary parsed report documents
const FINDINGS_PATH: Record<string, (doc: any) => [any, string] | undefined> = {
  'trivy-json': (d) => (Array.isArray(d?.Results) ? [d, 'Results'] : undefined),
  'snyk-json': (d) => (Array.isArray(d) ? [d[0], 'vulnerabilities'] : [d, 'vulnerabilities']),
  sarif: (d) => (Array.isArray(d?.runs) && d.runs[0] ? [d.runs[0], 'results'] : undefined)
};

describe.each(files)('$format $file', ({ format, file }) => {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const valid = doc !== undefined;

  it(
    'valid re-encodings give the same result',
    async () => {
      if (!valid) return;
      const base = await gate(bytes);
      for (const variant of [JSON.stringify(doc), JSON.stringify(doc, null, 2), escapeUnicode(JSON.stringify(doc)), JSON.stringify(reorder(doc), null, '\t')]) {
        const r = await gate(variant);
        if (base.error) expect(r.error).toBeInstanceOf(ReportError);
        else expect(r.summary).toBe(base.summary);
      }
    },
    fuzzTimeout(60_000)
  );

  it(
    'a truncation, or a NUL / 0xFF / lone backslash inserted at any byte, is a ReportError naming the file',
    async () => {
      const end = bytes.length - (bytes.length - Buffer.from(text.trimEnd()).length);
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: end - 1 }), fc.constantFrom('cut', 0x00, 0xff, 0xc3), async (at, how) => {
          const variant = how === 'cut' ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), Buffer.from([how as number]), bytes.subarray(at)]);
          expectReportError(await gate(variant));
        }),
        fuzzParams(1500 + files.findIndex((f) => f.file === file), 12)
      );
    },
    fuzzTimeout(120_000)
  );

  it(
    'nulls, type swaps and key case changes of the findings container are a ReportError',
    async () => {
      const where = valid ? FINDINGS_PATH[format]?.(doc) : undefined;
      if (!where) return;
      const [holder, key] = where;
      if (holder === undefined || holder === null) return;
      const original = holder[key];
      const variants: [string, unknown][] = [
        [key, {}],
        [key, [null]],
        [key, 'x'],
        [key.toUpperCase(), original ?? []],
        [key[0] === key[0].toUpperCase() ? key.toLowerCase() : key[0].toUpperCase() + key.slice(1), original ?? []]
      ];
      if (Array.isArray(original) && original.length > 0) variants.push([key, [original]]);
      for (const [k, v] of variants) {
        const copy = JSON.parse(JSON.stringify(doc));
        const [h] = FINDINGS_PATH[format](copy)!;
        if (k !== key) {
          if (original === undefined) continue;
          delete h[key];
        }
        h[k] = v;
        expectReportError(await gate(JSON.stringify(copy)));
      }
    },
    fuzzTimeout(60_000)
  );
});
