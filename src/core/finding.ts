/**
 * The one result shape every container-guard action emits. `comment` merges
 * findings from lint, verify and gate, so nothing here is lint-specific.
 */
export type Severity = 'error' | 'warning' | 'note';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** A suggested replacement for whole source lines `line..endLine`. */
export interface Fix {
  line: number;
  endLine: number;
  replacement: string;
  description?: string;
}

export interface Finding {
  ruleId: string;
  /** Equivalent ids in other tools (hadolint DLxxxx, Trivy DS-xxxx, Checkov CKV_DOCKER_x, BuildKit checks). */
  aliases: string[];
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  /** Docs URL or anchor. */
  help: string;
  fix?: Fix;
  /** Which action produced it: lint | verify | gate | ... */
  tool?: string;
  /** The source line, with any secret masked. Never holds a raw secret. */
  snippet?: string;
  /** Set on suppressed findings: an inline comment or a config ignore hid it. */
  suppressedBy?: 'inline' | 'config';
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

/** Parses a user-supplied severity; throws on anything else so typos are never silent. */
export function parseSeverity(value: string): Severity {
  const v = value.trim().toLowerCase();
  if (v === 'error' || v === 'warning' || v === 'note') return v;
  if (v === 'info' || v === 'style') return 'note';
  throw new Error(`unknown severity "${value}" (expected error, warning or note)`);
}

export type Threshold = Severity | 'none';

export function parseThreshold(value: string): Threshold {
  const v = value.trim().toLowerCase();
  return v === 'none' || v === 'never' ? 'none' : parseSeverity(v);
}

export function atOrAbove(s: Severity, threshold: Threshold): boolean {
  return threshold !== 'none' && RANK[s] >= RANK[threshold];
}

/** Sort by file, line, column, rule: the stable order of every output. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
