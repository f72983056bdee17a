/**
 * The gate's data model: every scanner format is normalised into ScanFinding
 * records; VEX documents and legacy ignore files into VexStatement / IgnoreRule.
 * The policy (policy.ts) judges these and emits the shared `Finding` shape.
 */

export type VulnSeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export const VULN_SEVERITIES: readonly VulnSeverity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

export type ReportFormat = 'trivy' | 'grype' | 'snyk' | 'sarif';
export type ScanKind = 'vulnerability' | 'misconfiguration' | 'secret';

export interface ScanFinding {
  kind: ScanKind;
  /** CVE-…, GHSA-…, AVD-DS-0001, a secret rule id, a SARIF ruleId. */
  id: string;
  /** Equivalent ids (GHSA ↔ CVE from Grype relatedVulnerabilities, Trivy VendorIDs, Snyk identifiers). */
  aliases: string[];
  severity: VulnSeverity;
  /** Highest CVSS base score the report gives (v3 preferred), or SARIF security-severity. */
  cvss?: number;
  package?: string;
  version?: string;
  /** Comma-separated as the scanner gives it. */
  fixedVersion?: string;
  fixable: boolean;
  purl?: string;
  /** Scanner status: Trivy `Status` (fixed, affected, will_not_fix…), Grype `fix.state`. */
  status?: string;
  /** The scanned image (ArtifactName / source.target.userInput), when the report is about an image. */
  image?: string;
  /** Trivy Result Target, Grype artifact location, SARIF artifact. */
  target?: string;
  title: string;
  /** Source position for misconfigurations, secrets and SARIF results. */
  location?: { file: string; line?: number };
  layer?: string;
  /** True when the scanner itself recorded the match as ignored (Grype `ignoredMatches`). */
  scannerIgnored?: boolean;
  source: { format: ReportFormat; file: string };
}

export interface ReportMeta {
  format: ReportFormat;
  file: string;
  image?: string;
  repoDigests?: string[];
  tool?: { name: string; version?: string };
}

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  /** Product identifiers: purls (pkg:…) or image references (oci/docker purls or plain refs). Empty = every product. */
  products: string[];
  /** Subcomponents (package purls) the statement is limited to; empty = the whole product. */
  subcomponents: string[];
  status: VexStatus;
  justification?: string;
  statement?: string;
  source: { format: 'openvex' | 'cyclonedx'; file: string };
}

export interface IgnoreRule {
  id: string;
  package?: string;
  /** minimatch glob over the image name. */
  image?: string;
  /** YYYY-MM-DD, valid through that day (UTC). */
  until?: string;
  reason: string;
  source: { file: string; line: number };
}

/** A report that cannot be trusted: truncated, empty, unknown format, wrong types. Exit code 2. */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ReportError';
  }
}
