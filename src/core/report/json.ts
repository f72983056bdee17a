/**
 * Machine output:
 *   {"findings": [...], "summary": {"files": n, "counts": {...}, "suppressed": n, "errors": [...]}}
 * Findings keep the given (sorted) order. Keys are written in one fixed order
 * whatever order the objects were built in, so the output diffs cleanly;
 * absent optional fields are left out, never written as null.
 */
import type { Finding, Fix } from '../finding.js';
import type { RunReport } from './types.js';

export interface JsonFinding {
  ruleId: string;
  aliases: string[];
  severity: Finding['severity'];
  file: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  help: string;
  fix?: Fix;
  tool?: string;
  snippet?: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  summary: {
    files: number;
    counts: { error: number; warning: number; note: number };
    suppressed: number;
    errors: { file: string; message: string }[];
  };
}

function fixJson(x: Fix): Fix {
  const out: Fix = { line: x.line, endLine: x.endLine, replacement: x.replacement };
  if (x.description !== undefined) out.description = x.description;
  return out;
}

/** One finding with its keys in the documented order (and nothing else). */
export function findingJson(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    aliases: [...f.aliases],
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    message: f.message,
    help: f.help
  };
  if (f.fix) out.fix = fixJson(f.fix);
  if (f.tool !== undefined) out.tool = f.tool;
  if (f.snippet !== undefined) out.snippet = f.snippet;
  return out;
}

export function toJsonReport(report: RunReport): JsonReport {
  return {
    findings: report.findings.map(findingJson),
    summary: {
      files: report.files.length,
      counts: { error: report.counts.error, warning: report.counts.warning, note: report.counts.note },
      suppressed: report.suppressed.length,
      errors: report.errors.map((e) => ({ file: e.file, message: e.message }))
    }
  };
}

/** The JSON document, 2-space indented, with a trailing newline. */
export function formatJson(report: RunReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
