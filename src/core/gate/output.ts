/**
 * Gate results in every output: the CLI's JSON contract, text, the job summary,
 * and SARIF that code scanning accepts (GitHub's 25,000 results per run and
 * 10 MB gzipped upload limits: lowest severity dropped first, and said so).
 */
import { gzipSync } from 'node:zlib';
import type { Finding } from '../finding.js';
import { escapeCell } from '../report/markdown.js';
import { toSarif, type SarifLog } from '../report/sarif.js';
import type { RunReport } from '../report/types.js';
import type { RuleMeta } from '../rules/types.js';
import { TOOL } from '../tool.js';
import { describe, toFinding, type GateResult, type SeverityCounts } from './policy.js';
import { VULN_SEVERITIES, type ScanFinding, type VulnSeverity } from './types.js';

export interface SuppressedFinding extends Finding {
  suppressedBy: 'inline' | 'config';
  /** Why: VEX, ignore (with its source), scanner, not fixable, baseline. */
  reason: string;
}

export interface GateJson {
  passed: boolean;
  reason: string;
  counts: { before: SeverityCounts; after: SeverityCounts };
  findings: Finding[];
  suppressed: SuppressedFinding[];
  unusedIgnores: { id: string; source: string }[];
}

export function toGateJson(result: GateResult): GateJson {
  return {
    passed: result.passed,
    reason: result.reason,
    counts: result.counts,
    findings: result.remaining.map(toFinding),
    suppressed: result.suppressed.map((s) => ({
      ...toFinding(s.finding),
      // Config ignores and baseline are the user's own decisions; VEX and scanner ignores come with the data.
      suppressedBy: s.reason.by === 'vex' || s.reason.by === 'scanner' ? 'inline' : 'config',
      reason: `${s.reason.by}: ${s.reason.detail}`
    })),
    unusedIgnores: result.unusedIgnores.map((r) => ({ id: r.id, source: `${r.source.file}:${r.source.line}` }))
  };
}

export function formatGateJson(result: GateResult): string {
  return JSON.stringify(toGateJson(result), null, 2) + '\n';
}

function countsRow(c: SeverityCounts): string {
  return VULN_SEVERITIES.map((s) => `${c[s]} ${s}`).join(', ');
}

export function formatGateText(result: GateResult, top = 20): string {
  const lines = [
    `${result.passed ? 'PASSED' : 'FAILED'}: ${result.reason}`,
    '',
    `before policy: ${countsRow(result.counts.before)}`,
    `after policy:  ${countsRow(result.counts.after)}`
  ];
  if (result.remaining.length > 0) {
    lines.push('', `top findings (${Math.min(top, result.remaining.length)} of ${result.remaining.length}, fixable first):`);
    for (const f of result.remaining.slice(0, top)) lines.push(`  ${f.severity.padEnd(8)} ${describe(f)}${f.fixable ? ` → ${f.fixedVersion}` : ''}`);
  }
  const by = new Map<string, number>();
  for (const s of result.suppressed) by.set(s.reason.by, (by.get(s.reason.by) ?? 0) + 1);
  if (by.size > 0) lines.push('', `suppressed: ${[...by].map(([k, n]) => `${n} by ${k}`).join(', ')}`);
  for (const r of result.unusedIgnores) lines.push(`note: ignore of ${r.id} (${r.source.file}:${r.source.line}) matched nothing; remove it`);
  return lines.join('\n') + '\n';
}

export function formatGateMarkdown(result: GateResult, top = 25): string {
  const out = [`## container-guard gate: ${result.passed ? '✅ passed' : '❌ failed'}`, '', escapeCell(result.reason), ''];
  out.push('| | ' + VULN_SEVERITIES.join(' | ') + ' |', '|---|' + VULN_SEVERITIES.map(() => '---:').join('|') + '|');
  out.push('| before policy | ' + VULN_SEVERITIES.map((s) => result.counts.before[s]).join(' | ') + ' |');
  out.push('| after policy | ' + VULN_SEVERITIES.map((s) => result.counts.after[s]).join(' | ') + ' |', '');
  if (result.remaining.length > 0) {
    out.push(`### Top findings (fixable first)`, '', '| severity | id | package | installed | fixed in | image / target |', '|---|---|---|---|---|---|');
    for (const f of result.remaining.slice(0, top)) {
      const id = f.id.startsWith('CVE-') || f.id.startsWith('GHSA-') ? `[${escapeCell(f.id)}](${toFinding(f).help})` : escapeCell(f.id);
      out.push(
        `| ${f.severity} | ${id} | ${escapeCell(f.package ?? '')} | ${escapeCell(f.version ?? '')} | ${escapeCell(f.fixedVersion ?? '—')} | ${escapeCell(f.image ?? f.target ?? '')} |`
      );
    }
    if (result.remaining.length > top) out.push('', `_${result.remaining.length - top} more findings in the findings file and SARIF._`);
  }
  if (result.suppressed.length > 0) {
    out.push('', `<details><summary>${result.suppressed.length} suppressed</summary>`, '', '| id | package | why |', '|---|---|---|');
    for (const s of result.suppressed.slice(0, 200))
      out.push(`| ${escapeCell(s.finding.id)} | ${escapeCell(s.finding.package ?? '')} | ${escapeCell(`${s.reason.by}: ${s.reason.detail}`)} |`);
    if (result.suppressed.length > 200) out.push('', `_${result.suppressed.length - 200} more not shown._`);
    out.push('', '</details>');
  }
  return out.join('\n') + '\n';
}

const CVSS_FOR: Record<VulnSeverity, number> = { critical: 9.5, high: 8, medium: 5.5, low: 2, unknown: 0 };

function ruleMeta(f: ScanFinding): RuleMeta {
  const score = f.cvss ?? CVSS_FOR[f.severity];
  return {
    id: f.id,
    aliases: f.aliases,
    severity: toFinding(f).severity,
    title: f.title,
    description: f.title,
    bad: '',
    good: '',
    tags: ['security', f.kind, `security-severity:${score}`]
  };
}

export const SARIF_MAX_RESULTS = 25_000;
export const SARIF_MAX_GZIP_BYTES = 10 * 1024 * 1024;

export interface GateSarif {
  log: SarifLog;
  /** Results left out to stay within GitHub's limits, per severity. */
  dropped: Partial<Record<VulnSeverity, number>>;
  note?: string;
}

/** SARIF of the findings that count after policy, within code scanning's limits. */
export function gateSarif(result: GateResult, limits = { maxResults: SARIF_MAX_RESULTS, maxGzipBytes: SARIF_MAX_GZIP_BYTES }): GateSarif {
  // `remaining` is sorted most severe first, so cutting from the end drops the lowest severities.
  let keep = Math.min(result.remaining.length, limits.maxResults);
  const build = (n: number) => {
    const kept = result.remaining.slice(0, n);
    const metas = new Map<string, RuleMeta>();
    for (const f of kept) if (!metas.has(f.id)) metas.set(f.id, ruleMeta(f));
    const report: RunReport = {
      tool: TOOL,
      findings: kept.map(toFinding),
      suppressed: [],
      files: [],
      errors: [],
      counts: { error: 0, warning: 0, note: 0 },
      rules: [...metas.values()]
    };
    return toSarif(report, { category: 'container-guard/gate' });
  };
  let log = build(keep);
  // Shrink geometrically until the gzipped upload fits.
  while (keep > 0 && gzipSync(JSON.stringify(log)).byteLength > limits.maxGzipBytes) {
    keep = Math.floor(keep * 0.8);
    log = build(keep);
  }
  const dropped: Partial<Record<VulnSeverity, number>> = {};
  for (const f of result.remaining.slice(keep)) dropped[f.severity] = (dropped[f.severity] ?? 0) + 1;
  const n = result.remaining.length - keep;
  const note =
    n > 0
      ? `${n} lowest-severity result(s) left out of the SARIF to stay within GitHub's code scanning limits (${VULN_SEVERITIES.filter((s) => dropped[s])
          .map((s) => `${dropped[s]} ${s}`)
          .join(', ')}); the findings file has them all`
      : undefined;
  return { log, dropped, note };
}
