/**
 * The shared scanner report corpus (read-only): every file listed in its SOURCES.md, with the finding count the
 * listing states. Tests iterate over this listing (not over the directory) and assert how many files they
 * covered, so a file that disappears or is added without a listing entry fails them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';
import { eventsFromValue } from '../../src/core/gate/json-events.js';
import { collectFindings, createAdapter } from '../../src/core/gate/formats/index.js';
import type { ReportFormat, ReportMeta, ScanFinding } from '../../src/core/gate/types.js';

export const REPORTS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'scanner-reports');

export type CorpusFolder = 'trivy-json' | 'grype-json' | 'snyk-json' | 'sarif' | 'vex';

export interface CorpusReport {
  folder: CorpusFolder;
  /** `folder/name`, as listed. */
  rel: string;
  name: string;
  path: string;
  tool: string;
  /** The number SOURCES.md gives in its findings column (vulns, matches, results, statements). */
  listedFindings: number;
}

export function corpusReports(folder?: CorpusFolder): CorpusReport[] {
  const text = fs.readFileSync(path.join(REPORTS_DIR, 'SOURCES.md'), 'utf8');
  const out: CorpusReport[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const rel = cells[1];
    const m = /^(trivy-json|grype-json|snyk-json|sarif|vex)\/(.+)$/.exec(rel ?? '');
    if (!m) continue;
    const found = /^([\d,]+) (?:vulns|matches|results|statements)/.exec(cells[7] ?? '');
    if (!found) throw new Error(`SOURCES.md: no findings count for ${rel}`);
    out.push({
      folder: m[1] as CorpusFolder,
      rel,
      name: m[2],
      path: path.join(REPORTS_DIR, rel),
      tool: cells[2],
      listedFindings: Number(found[1].replace(/,/g, ''))
    });
  }
  return folder ? out.filter((r) => r.folder === folder) : out;
}

/** "Counts per folder: grype-json: 6, sarif: 8, …" from SOURCES.md. */
export function listedFolderCounts(): Record<string, number> {
  const text = fs.readFileSync(path.join(REPORTS_DIR, 'SOURCES.md'), 'utf8');
  const line = /^Counts per folder: (.*)$/m.exec(text)?.[1] ?? '';
  return Object.fromEntries(
    line
      .split(',')
      .map((p) => p.trim().split(': '))
      .map(([k, v]) => [k, Number(v)])
  );
}

export function readReport(r: CorpusReport): string {
  return fs.readFileSync(r.path, 'utf8');
}

/** The adapter fed from the reference event producer (the streaming reader is tested on its own). */
export function adapt(format: ReportFormat, text: string, file = 'report.json'): { findings: ScanFinding[]; meta: ReportMeta } {
  const adapter = createAdapter(format, file);
  return collectFindings(adapter, eventsFromValue(JSON.parse(text), adapter.captures));
}

export type Counts = Record<string, number>;

export function countBy<T>(items: readonly T[], key: (t: T) => string): Counts {
  const out: Counts = {};
  for (const t of items) {
    const k = key(t);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
