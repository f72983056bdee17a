/** Lints many files into one RunReport. Pure: contents are handed in. */
import type { Config } from './config/types.js';
import { compareFindings, countBySeverity, type Finding } from './finding.js';
import { expiredIgnoreFindings, lintFile, type LintOptions } from './lint.js';
import type { RunReport } from './report/types.js';
import type { Rule, RuleMeta } from './rules/types.js';
import { ENGINE_RULE_META } from './rules/engine-rules.js';
import { TOOL } from './tool.js';

/** Re-exported for library users who imported it from here. */
export { TOOL };

export interface FileInput {
  file: string;
  content: string | Uint8Array;
}

export function lintAll(inputs: Iterable<FileInput>, config: Config, rules: readonly Rule[], options: LintOptions = {}): RunReport {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const files: string[] = [];
  const errors: { file: string; message: string }[] = [];
  // One cache per run, so a repeated benchmark run starts cold like a real one.
  const perRun: LintOptions = { ...options, shellCache: options.shellCache ?? new Map(), settingsCache: options.settingsCache ?? new Map() };
  for (const input of inputs) {
    files.push(input.file);
    const r = lintFile(input.file, input.content, config, rules, perRun);
    // Loops, not push(...spread): one file may have 150,000 findings, beyond the call-argument limit.
    for (const f of r.findings) findings.push(f);
    for (const f of r.suppressed) suppressed.push(f);
    if (r.error) errors.push({ file: input.file, message: r.error });
  }
  for (const f of expiredIgnoreFindings(config, options.now)) findings.push(f);
  findings.sort(compareFindings);
  return buildReport(findings, suppressed, files, errors, rules);
}

export function buildReport(findings: Finding[], suppressed: Finding[], files: string[], errors: RunReport['errors'], rules: readonly Rule[]): RunReport {
  const seen = new Set<string>();
  for (const f of findings) seen.add(f.ruleId);
  for (const f of suppressed) seen.add(f.ruleId);
  const metas: RuleMeta[] = [...rules.map((r) => r.meta), ...ENGINE_RULE_META].filter((m) => seen.has(m.id));
  return { tool: TOOL, findings, suppressed, files, errors, counts: countBySeverity(findings), rules: metas };
}
