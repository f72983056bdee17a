/** What every formatter receives: the whole run, already filtered and sorted. */
import type { Finding, SeverityCounts } from '../finding.js';
import type { RuleMeta } from '../rules/types.js';

export interface RunReport {
  /** Tool name and version, for SARIF `tool.driver`. */
  tool: { name: string; version: string; informationUri: string };
  /** Findings that count, sorted by file, line, column, rule. */
  findings: Finding[];
  /** Findings hidden by suppressions or ignores. */
  suppressed: Finding[];
  /** Files linted (or inputs read). */
  files: string[];
  /** Files that could not be read or parsed. */
  errors: { file: string; message: string }[];
  counts: SeverityCounts;
  /** Metadata of every rule that may appear in `findings`, for SARIF rules and docs links. */
  rules: RuleMeta[];
}
