/**
 * SARIF 2.1.0 output for GitHub code scanning and any other SARIF consumer.
 *
 * Decisions (see also docs of each helper):
 * - One run per report; `tool.driver.rules` lists every rule that appears in
 *   `findings` or `suppressed`, sorted by id, and `ruleIndex` points into it.
 *   A rule without metadata (engine pseudo-rules such as parse-error) gets a
 *   minimal descriptor built from its first finding.
 * - `security-severity` (GitHub's 0.0–10.0 CVSS-like score) is set only on
 *   rules tagged `security`: error → "9.0" (critical), warning → "6.0"
 *   (medium), note → "3.0" (low), from the most severe level the rule has in
 *   this run (so a config that downgrades a rule also lowers its score),
 *   falling back to the rule's default severity. A rule may pin its own score
 *   with a tag `security-severity:<0.0-10.0>`; `precision` defaults to "high"
 *   and may be pinned with a tag `precision:<very-high|high|medium|low>`.
 *   Both pinning tags are consumed, not repeated in `properties.tags`.
 * - Locations are repository-relative URIs with forward slashes under
 *   `uriBaseId: "%SRCROOT%"`; absolute paths become `file://` URIs.
 *   Columns are UTF-16 code units (`columnKind`), as the engine counts them.
 * - `partialFingerprints["containerGuard/v1"]` is sha256(ruleId, path,
 *   normalised snippet — or the message when there is no snippet) plus
 *   `:<n>`, the occurrence of that hash in the file, so the id survives
 *   lines moving but two identical lines stay two alerts. Only masked text
 *   is hashed, so a fingerprint never derives from a raw secret.
 * - Suppressed findings are results with `suppressions`: kind "inSource" for
 *   inline pragmas, "external" for config ignores. Finding has no field for
 *   which one it was; a finding carrying `suppressedBy: 'config'` (see
 *   SuppressedBy) is reported as external, anything else as inSource.
 * - Fixes replace whole lines `line..endLine`: `deletedRegion` has only
 *   startLine/endLine, which SARIF defines as the full text of those lines
 *   without the final line break, and `insertedContent` is the replacement.
 */
import { createHash } from 'node:crypto';
import { compareFindings, type Finding, type Severity } from '../finding.js';
import { docsUrl, type RuleMeta } from '../rules/types.js';
import type { RunReport } from './types.js';
import { httpUrl, ruleIndex, toPosixPath } from './util.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
export const FINGERPRINT_KEY = 'containerGuard/v1';

/** How a suppressed finding was hidden. Not (yet) on Finding; read when present. */
export type SuppressedBy = 'inline' | 'config';

export const SECURITY_SEVERITY: Record<Severity, string> = { error: '9.0', warning: '6.0', note: '3.0' };

// ---- The subset of the SARIF object model this module writes. -------------

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: { text: string };
}

export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { level: SarifLevel; enabled?: boolean };
  properties?: Record<string, unknown>;
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifFix {
  description?: SarifMessage;
  artifactChanges: {
    artifactLocation: SarifArtifactLocation;
    replacements: { deletedRegion: SarifRegion; insertedContent?: { text: string } }[];
  }[];
}

export interface SarifSuppression {
  kind: 'inSource' | 'external';
  status?: 'accepted' | 'underReview' | 'rejected';
  justification?: string;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  fixes?: SarifFix[];
  suppressions?: SarifSuppression[];
  properties?: Record<string, unknown>;
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version?: string;
      semanticVersion?: string;
      informationUri?: string;
      rules?: SarifReportingDescriptor[];
    };
  };
  automationDetails?: { id?: string; description?: SarifMessage };
  columnKind?: 'utf16CodeUnits' | 'unicodeCodePoints';
  invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }[];
  results: SarifResult[];
  properties?: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifOptions {
  /**
   * Code scanning category, written as `automationDetails.id` = `<category>/`
   * (the part before the last "/" is the category). One per action, e.g.
   * "container-guard/lint", so uploads of lint, verify and gate do not replace
   * each other's alerts.
   */
  category?: string;
}

// ---- Helpers ---------------------------------------------------------------

/** Percent-encodes each path segment, keeping "/" and a Windows drive letter. */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg, i) => (i <= 1 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** A repository-relative path becomes `{uri, uriBaseId: "%SRCROOT%"}`; an absolute one a file:// URI. */
export function artifactLocation(file: string): SarifArtifactLocation {
  const p = toPosixPath(file);
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${encodePath(p)}` };
  if (p.startsWith('/')) return { uri: `file://${encodePath(p)}` };
  return { uri: encodePath(p), uriBaseId: '%SRCROOT%' };
}

const pos = (n: number): number => (Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1);

function region(f: Finding): SarifRegion {
  const startLine = pos(f.line);
  const r: SarifRegion = { startLine, startColumn: pos(f.column), endLine: Math.max(startLine, pos(f.endLine)) };
  if (f.snippet !== undefined && f.snippet !== '') r.snippet = { text: f.snippet };
  return r;
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** A code fence longer than any backtick run in `body`. */
function fenced(body: string, lang: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body.replace(/\n+$/, '')}\n${fence}`;
}

const PRECISIONS = new Set(['very-high', 'high', 'medium', 'low']);

function tagValue(tags: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  const t = tags.find((x) => x.toLowerCase().startsWith(prefix));
  return t?.slice(prefix.length).trim();
}

/** `security-severity` for a rule, or undefined when the rule is not tagged security. */
export function securitySeverity(tags: readonly string[], level: Severity): string | undefined {
  if (!tags.some((t) => t.toLowerCase() === 'security')) return undefined;
  const pinned = tagValue(tags, 'security-severity');
  if (pinned !== undefined) {
    const n = Number(pinned);
    if (pinned !== '' && Number.isFinite(n) && n >= 0 && n <= 10) return n.toFixed(1);
  }
  return SECURITY_SEVERITY[level];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

function ruleDescriptor(id: string, meta: RuleMeta | undefined, sample: Finding, worst: Severity): SarifReportingDescriptor {
  // Custom and plugin rules have no page under docs/rules: link only what they give.
  const helpUri = httpUrl(sample.help) ?? (meta?.source || meta?.tags.includes('custom') ? undefined : docsUrl(id));
  if (!meta) {
    return {
      id,
      name: pascal(id),
      shortDescription: { text: id },
      helpUri,
      defaultConfiguration: { level: sample.severity },
      properties: { tags: [], precision: 'high' }
    };
  }
  const pinTag = /^(security-severity|precision):/i;
  const tags = [...new Set(meta.tags.filter((t) => !pinTag.test(t)))];
  const precision = tagValue(meta.tags, 'precision')?.toLowerCase();
  const properties: Record<string, unknown> = { tags, precision: precision && PRECISIONS.has(precision) ? precision : 'high' };
  const sev = securitySeverity(meta.tags, worst);
  if (sev !== undefined) properties['security-severity'] = sev;
  if (meta.aliases.length > 0) properties.aliases = [...new Set(meta.aliases)];

  const aliasText = meta.aliases.length > 0 ? `\n\nAlso known as: ${meta.aliases.join(', ')}` : '';
  const aliasMd = meta.aliases.length > 0 ? `\n\nAlso known as: ${meta.aliases.map((a) => `\`${a}\``).join(', ')}` : '';
  const text = `${meta.description}\n\nBad:\n${meta.bad}\n\nGood:\n${meta.good}${aliasText}\n\nDocumentation: ${helpUri}`;
  const markdown = `${meta.description}\n\n**Bad**\n\n${fenced(meta.bad, 'dockerfile')}\n\n**Good**\n\n${fenced(meta.good, 'dockerfile')}${aliasMd}\n\n[Documentation](${helpUri})`;
  return {
    id,
    name: pascal(id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description, markdown: meta.description },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: meta.severity, enabled: meta.enabledByDefault ?? true },
    properties
  };
}

/** What a fingerprint hashes: whitespace-normalised snippet, or the message. */
function fingerprintBase(f: Finding): string {
  const snippet = f.snippet?.trim().replace(/\s+/g, ' ');
  const content = snippet ? snippet : f.message;
  return createHash('sha256')
    .update(`${f.ruleId}\u0000${toPosixPath(f.file)}\u0000${content}`, 'utf8')
    .digest('hex');
}

/**
 * `partialFingerprints` value for every finding: the hash plus its occurrence
 * among findings with the same hash, counted in file/line/column order over
 * findings and suppressed together (so suppressing one does not renumber others).
 */
export function fingerprints(all: readonly Finding[]): Map<Finding, string> {
  const order = [...all].sort(compareFindings);
  const seen = new Map<string, number>();
  const out = new Map<Finding, string>();
  for (const f of order) {
    const h = fingerprintBase(f);
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    out.set(f, `${h}:${n}`);
  }
  return out;
}

function suppressionOf(f: Finding): SarifSuppression {
  const by = (f as Finding & { suppressedBy?: SuppressedBy }).suppressedBy;
  return { kind: by === 'config' ? 'external' : 'inSource', status: 'accepted' };
}

// ---- Public API ------------------------------------------------------------

export function toSarif(report: RunReport, options: SarifOptions = {}): SarifLog {
  const metas = ruleIndex(report.rules);
  const all = [...report.findings, ...report.suppressed];

  // Rules that appear, with the first finding (for help URL) and worst level.
  const seen = new Map<string, { sample: Finding; worst: Severity }>();
  for (const f of all) {
    const s = seen.get(f.ruleId);
    if (!s) seen.set(f.ruleId, { sample: f, worst: f.severity });
    else if (RANK[f.severity] > RANK[s.worst]) s.worst = f.severity;
  }
  const ids = [...seen.keys()].sort();
  const rules = ids.map((id) => {
    const s = seen.get(id) as { sample: Finding; worst: Severity };
    return ruleDescriptor(id, metas.get(id), s.sample, s.worst);
  });
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const prints = fingerprints(all);

  const toResult = (f: Finding, suppressed: boolean): SarifResult => {
    const loc = artifactLocation(f.file);
    const result: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId) as number,
      level: f.severity,
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: loc, region: region(f) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints.get(f) as string }
    };
    if (f.fix) {
      const startLine = pos(f.fix.line);
      const fix: SarifFix = {
        artifactChanges: [
          {
            artifactLocation: loc,
            replacements: [{ deletedRegion: { startLine, endLine: Math.max(startLine, pos(f.fix.endLine)) }, insertedContent: { text: f.fix.replacement } }]
          }
        ]
      };
      if (f.fix.description) fix.description = { text: f.fix.description };
      result.fixes = [fix];
    }
    if (suppressed) result.suppressions = [suppressionOf(f)];
    if (f.tool) result.properties = { tool: f.tool };
    return result;
  };

  const driver: SarifRun['tool']['driver'] = { name: report.tool.name, version: report.tool.version };
  if (/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(report.tool.version)) driver.semanticVersion = report.tool.version;
  if (httpUrl(report.tool.informationUri)) driver.informationUri = report.tool.informationUri;
  driver.rules = rules;

  const run: SarifRun = {
    tool: { driver },
    ...(options.category ? { automationDetails: { id: options.category.endsWith('/') ? options.category : `${options.category}/` } } : {}),
    columnKind: 'utf16CodeUnits',
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.errors.map((e) => ({
          level: 'error' as const,
          message: { text: `could not read ${e.file}: ${e.message}` },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file) } }]
        }))
      }
    ],
    results: [...report.findings.map((f) => toResult(f, false)), ...report.suppressed.map((f) => toResult(f, true))]
  };
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run] };
}

/** The SARIF log as a 2-space indented JSON string with a trailing newline. */
export function formatSarif(report: RunReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}

/** The code scanning category of a run: `automationDetails.id` up to its last "/" (the whole id if it has none). */
export function runCategory(run: SarifRun): string {
  const id = run.automationDetails?.id ?? '';
  const slash = id.lastIndexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

export interface MergeOptions {
  /**
   * GitHub code scanning rejects an upload with two runs of the same tool and
   * category. By default such a merge throws; `allowDuplicateCategories`
   * merges anyway (for consumers other than code scanning, e.g. a PR comment).
   */
  allowDuplicateCategories?: boolean;
}

/**
 * Merges SARIF logs into one, keeping every run as it is (one run per source,
 * each with its own `automationDetails`). Inputs are not modified.
 */
export function mergeSarif(logs: readonly SarifLog[], options: MergeOptions = {}): SarifLog {
  const runs: SarifRun[] = [];
  const keys = new Map<string, number>();
  logs.forEach((log, i) => {
    if (log.version !== SARIF_VERSION) throw new Error(`mergeSarif: log ${i + 1} is SARIF ${String(log.version)}, expected ${SARIF_VERSION}`);
    for (const run of log.runs) {
      const key = `${run.tool.driver.name}\u0000${runCategory(run)}`;
      const earlier = keys.get(key);
      if (earlier !== undefined && !options.allowDuplicateCategories) {
        const cat = runCategory(run) || '(none)';
        throw new Error(
          `mergeSarif: logs ${earlier + 1} and ${i + 1} both have a run of "${run.tool.driver.name}" with category ${cat}; ` +
            'GitHub code scanning rejects that. Give each run its own category (automationDetails.id).'
        );
      }
      keys.set(key, i);
      runs.push(structuredClone(run));
    }
  });
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs };
}
