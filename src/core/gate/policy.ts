/**
 * The gate policy: one reviewed, versioned rule set over every scanner's output.
 * Findings are added one by one (reports stream in) and de-duplicated by
 * (vulnerability, package, version, image); `finish()` applies, in order:
 * scanner ignores, VEX, ignores (expiry checked), only-fixable, the baseline,
 * then the thresholds, and says exactly which rule failed the gate.
 */
import { minimatch } from 'minimatch';
import type { Finding, Severity } from '../finding.js';
import { legacyConstraintsMatch } from './ignore-files.js';
import type { IgnoreRule, ScanFinding, VexStatement, VulnSeverity } from './types.js';
import { VULN_SEVERITIES } from './types.js';

export type Threshold = Exclude<VulnSeverity, 'unknown'> | 'none';

export interface PolicySettings {
  /** Fail on any finding at or above this severity. */
  failOn: Threshold;
  /** Fail on any finding with a CVSS score above this. */
  maxCvss?: number;
  /** Fail when a severity has more findings than allowed. */
  max?: Partial<Record<VulnSeverity, number>>;
  /** Judge only findings that have a fixed version. */
  onlyFixable: boolean;
  /** Which kinds of findings count. */
  kinds: ScanFinding['kind'][];
}

export interface ImageOverride {
  images: string[];
  settings: Partial<PolicySettings>;
}

export interface GatePolicy {
  settings: PolicySettings;
  overrides: ImageOverride[];
  ignores: IgnoreRule[];
  vex: VexStatement[];
  /** Keys of findings in the baseline report: only what is new counts (new-only). */
  baseline?: Set<string>;
}

export const DEFAULT_SETTINGS: PolicySettings = { failOn: 'critical', onlyFixable: false, kinds: ['vulnerability', 'misconfiguration', 'secret'] };

export type SuppressionReason =
  | { by: 'scanner'; detail: string }
  | { by: 'vex'; detail: string; statement: VexStatement }
  | { by: 'ignore'; detail: string; rule: IgnoreRule }
  | { by: 'not-fixable'; detail: string }
  | { by: 'baseline'; detail: string }
  | { by: 'kind'; detail: string };

export interface Suppressed {
  finding: ScanFinding;
  reason: SuppressionReason;
}

export type SeverityCounts = Record<VulnSeverity, number>;

export interface GateResult {
  passed: boolean;
  /** The exact rule(s) that failed the gate, or why it passed. */
  reason: string;
  failures: string[];
  counts: { before: SeverityCounts; after: SeverityCounts };
  /** What counts after policy, most severe first, fixable first within a severity. */
  remaining: ScanFinding[];
  suppressed: Suppressed[];
  /** Ignores that matched nothing (reported, they do not fail the gate). */
  unusedIgnores: IgnoreRule[];
  /** Ignores past their date: they fail the gate until renewed or removed. */
  expiredIgnores: IgnoreRule[];
}

const RANK: Record<VulnSeverity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
}

/** The de-duplication key, also used for baseline comparison. */
export function findingKey(f: Pick<ScanFinding, 'id' | 'package' | 'version' | 'image'>): string {
  return `${f.id}\u0000${f.package ?? ''}\u0000${f.version ?? ''}\u0000${f.image ?? ''}`;
}

/** Baseline keys ignore the version: a PR that bumps a still-vulnerable package adds nothing new. */
export function baselineKey(f: Pick<ScanFinding, 'id' | 'package' | 'image'>): string {
  return `${f.id}\u0000${f.package ?? ''}\u0000${f.image ?? ''}`;
}

export function isExpired(until: string | undefined, now: Date): boolean {
  return until !== undefined && now.toISOString().slice(0, 10) > until;
}

function ids(f: ScanFinding): string[] {
  return [f.id, ...f.aliases].map((s) => s.toUpperCase());
}

function ignoreMatches(rule: IgnoreRule, f: ScanFinding): boolean {
  if (!ids(f).includes(rule.id.toUpperCase())) return false;
  if (rule.package && rule.package !== f.package && !(f.package && minimatch(f.package, rule.package))) return false;
  if (rule.image && !(f.image && minimatch(f.image, rule.image, { dot: true }))) return false;
  // Rules migrated from .trivyignore.yaml / .grype.yaml may narrow further (paths, purls, version, fix state).
  return legacyConstraintsMatch(rule, f);
}

export class Gate {
  private readonly unique = new Map<string, ScanFinding>();
  private readonly used = new Set<IgnoreRule>();

  constructor(
    private readonly policy: GatePolicy,
    private readonly vexFor: (f: ScanFinding, statements: VexStatement[]) => VexStatement | undefined,
    private readonly now: Date = new Date()
  ) {}

  /** Adds one finding; duplicates (same vulnerability, package, version, image) merge. */
  add(f: ScanFinding): void {
    const key = findingKey(f);
    const prev = this.unique.get(key);
    if (!prev) {
      this.unique.set(key, f);
      return;
    }
    // Keep the richest view across scanners: aliases, the higher CVSS and severity, a known fix.
    for (const a of f.aliases) if (!prev.aliases.includes(a)) prev.aliases.push(a);
    if (f.cvss !== undefined && (prev.cvss === undefined || f.cvss > prev.cvss)) prev.cvss = f.cvss;
    if (RANK[f.severity] > RANK[prev.severity]) prev.severity = f.severity;
    if (!prev.fixable && f.fixable) {
      prev.fixable = true;
      prev.fixedVersion = f.fixedVersion;
    }
    prev.scannerIgnored = prev.scannerIgnored && f.scannerIgnored;
  }

  get size(): number {
    return this.unique.size;
  }

  settingsFor(image: string | undefined): PolicySettings {
    let s = this.policy.settings;
    for (const o of this.policy.overrides) if (image && o.images.some((g) => minimatch(image, g, { dot: true }))) s = { ...s, ...o.settings };
    return s;
  }

  private suppression(f: ScanFinding, s: PolicySettings): SuppressionReason | undefined {
    if (!s.kinds.includes(f.kind)) return { by: 'kind', detail: `${f.kind} findings are not judged by this policy` };
    if (f.scannerIgnored) return { by: 'scanner', detail: 'ignored by the scanner (Grype ignoredMatches)' };
    const st = this.vexFor(f, this.policy.vex);
    if (st && (st.status === 'not_affected' || st.status === 'fixed')) {
      const why = st.status === 'fixed' ? 'fixed' : `not affected${st.justification ? ` (${st.justification})` : ''}`;
      return { by: 'vex', detail: `VEX ${st.source.file}: ${why}${st.statement ? `: ${st.statement}` : ''}`, statement: st };
    }
    for (const rule of this.policy.ignores) {
      if (!ignoreMatches(rule, f)) continue;
      this.used.add(rule);
      if (isExpired(rule.until, this.now)) continue;
      return { by: 'ignore', detail: `ignored until ${rule.until ?? 'further notice'}: ${rule.reason} (${rule.source.file}:${rule.source.line})`, rule };
    }
    if (s.onlyFixable && !f.fixable) return { by: 'not-fixable', detail: 'no fixed version yet (only-fixable)' };
    if (this.policy.baseline?.has(baselineKey(f))) return { by: 'baseline', detail: 'already in the baseline (new-only)' };
    return undefined;
  }

  finish(): GateResult {
    const before = zeroCounts();
    const after = zeroCounts();
    const remaining: ScanFinding[] = [];
    const suppressed: Suppressed[] = [];
    const failures: string[] = [];
    // Findings grouped by the settings object that judges them (per-image overrides).
    const groups = new Map<PolicySettings, ScanFinding[]>();
    for (const f of this.unique.values()) {
      before[f.severity]++;
      const s = this.settingsFor(f.image);
      const why = this.suppression(f, s);
      if (why) {
        suppressed.push({ finding: f, reason: why });
        continue;
      }
      after[f.severity]++;
      remaining.push(f);
      const g = groups.get(s) ?? [];
      g.push(f);
      groups.set(s, g);
    }
    for (const [s, fs] of groups) {
      const scope = s === this.policy.settings ? '' : ` (image override for ${[...new Set(fs.map((f) => f.image))].join(', ')})`;
      const failOn = s.failOn;
      if (failOn !== 'none') {
        const hits = fs.filter((f) => RANK[f.severity] >= RANK[failOn]);
        if (hits.length > 0)
          failures.push(`fail-on ${failOn}${scope}: ${hits.length} finding(s) at or above ${failOn}, e.g. ${describe(sortFindings(hits)[0])}`);
      }
      if (s.maxCvss !== undefined) {
        const hits = fs.filter((f) => f.cvss !== undefined && f.cvss > (s.maxCvss as number));
        if (hits.length > 0) {
          const top = hits.reduce((a, b) => ((b.cvss ?? 0) > (a.cvss ?? 0) ? b : a));
          failures.push(`max-cvss ${s.maxCvss}${scope}: ${hits.length} finding(s) above it, highest ${describe(top)} with CVSS ${top.cvss}`);
        }
      }
      if (s.max) {
        const counts = zeroCounts();
        for (const f of fs) counts[f.severity]++;
        for (const sev of VULN_SEVERITIES) {
          const limit = s.max[sev];
          if (limit !== undefined && counts[sev] > limit) failures.push(`max ${sev}: ${counts[sev]}${scope}, allowed ${limit}`);
        }
      }
    }
    const expiredIgnores = this.policy.ignores.filter((r) => isExpired(r.until, this.now));
    for (const r of expiredIgnores)
      failures.push(`expired ignore: ${r.id} expired on ${r.until} (${r.source.file}:${r.source.line}); renew it with a reason or fix the finding`);
    const unusedIgnores = this.policy.ignores.filter((r) => !this.used.has(r) && !isExpired(r.until, this.now));
    const passed = failures.length === 0;
    const total = remaining.length;
    const reason = passed
      ? `passed: ${total} finding(s) after policy, none breaks a rule (${this.unique.size} before policy, ${suppressed.length} suppressed)`
      : failures.join('; ');
    return { passed, reason, failures, counts: { before, after }, remaining: sortFindings(remaining), suppressed, unusedIgnores, expiredIgnores };
  }
}

/** Most severe first, fixable first within a severity, then higher CVSS, then id. */
export function sortFindings(fs: ScanFinding[]): ScanFinding[] {
  return [...fs].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      Number(b.fixable) - Number(a.fixable) ||
      (b.cvss ?? 0) - (a.cvss ?? 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      ((a.package ?? '') < (b.package ?? '') ? -1 : 1)
  );
}

export function describe(f: ScanFinding): string {
  const pkg = f.package ? ` in ${f.package}${f.version ? ` ${f.version}` : ''}` : '';
  const where = f.image ? ` (${f.image})` : f.location ? ` (${f.location.file}${f.location.line ? `:${f.location.line}` : ''})` : '';
  return `${f.id}${pkg}${where}`;
}

const FINDING_SEVERITY: Record<VulnSeverity, Severity> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'note' };

export function helpUrl(id: string): string {
  if (/^CVE-\d{4}-\d+$/i.test(id)) return `https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}`;
  if (/^GHSA-/i.test(id)) return `https://github.com/advisories/${id}`;
  if (/^(AVD-)?DS-?\d+/i.test(id)) return `https://avd.aquasec.com/misconfig/${id.toLowerCase()}`;
  return '';
}

/** The shared Finding shape, so `comment` can merge gate results with lint and verify. */
export function toFinding(f: ScanFinding): Finding {
  const fix = f.fixable ? `; fixed in ${f.fixedVersion}` : '; no fix yet';
  const cvss = f.cvss !== undefined ? `, CVSS ${f.cvss}` : '';
  return {
    ruleId: f.id,
    aliases: f.aliases,
    severity: FINDING_SEVERITY[f.severity],
    file: f.location?.file ?? f.target ?? f.source.file,
    line: f.location?.line ?? 1,
    column: 1,
    endLine: f.location?.line ?? 1,
    message: `[${f.severity.toUpperCase()}${cvss}] ${describe(f)}: ${f.title}${f.kind === 'vulnerability' ? fix : ''}`,
    help: helpUrl(f.id),
    tool: 'gate'
  };
}
