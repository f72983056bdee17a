/**
 * SARIF 2.1.0 from any scanner → ScanFinding records, one event at a time.
 *
 * Each `runs[].results[]` entry is one finding (results whose `kind` is `pass` or `notApplicable` are not findings).
 * - id: the rule id (`ruleId`, else `rule.id`). When the rule's help text is the Trivy/Grype/Anchore template that
 *   starts with "Vulnerability <ID>" and the rule id contains that ID (`CVE-2018-14618/curl`,
 *   `GHSA-69ch-w2m2-3vjp-golang.org/x/text`, `ANCHOREVULN_CVE-2019-18276_dpkg_bash-…`), the id is that ID.
 *   aliases: the CVE/GHSA ids Snyk lists in parentheses at the start of the rule's `fullDescription`.
 * - severity, first that applies:
 *   1. `security-severity` (result properties, else the rule's), a CVSS-like number: >= 9 critical, >= 7 high,
 *      >= 4 medium, > 0 low (0 or missing: next step);
 *   2. the scanner's own severity word on a "Severity: <word>" line of the result message or the rule help text
 *      (the Trivy/Grype template; without this step Trivy's CRITICAL would read as `error` → high);
 *   3. the level (`level`, else the rule's `defaultConfiguration.level`, else SARIF's default `warning`):
 *      error → high, warning → medium, note → low, none → unknown.
 * - cvss: the rule's `cvssv3_baseScore` property (Trivy, Snyk), else a positive `security-severity`.
 * - kind: `secret` / `misconfiguration` when the rule's tags (or Trivy's rule name) say so, else `vulnerability`.
 *   For secrets the title is the rule's short description or name, never the message (it quotes the match).
 * - package / version / fixed version, only where the text has a fixed structure, else undefined:
 *   1. "Package: …", "Installed Version: …", "Fixed Version: …" lines of the result message (Trivy);
 *   2. Grype's message template "… package: <name>, version <version> was found …";
 *   3. Snyk: `logicalLocations[0].fullyQualifiedName` "<name>@<version>", and the version after the last "@" of
 *      the first fix's replacement text;
 *   4. the rule's help text lines "Package:", "Installed Version:"/"Version:", "Fixed Version:"/"Fix Version:"
 *      (Trivy < 0.20 and Grype/Anchore, whose rules are per package).
 *   A fixed version of "None" or "" is no fixed version. fixable = a fixed version is known, or (Snyk) the result
 *   has `fixes`.
 * - target / location: the first location's `artifactLocation.uri` and `region.startLine`.
 * - scannerIgnored: the result has an `inSource` suppression, or an `external` one with `status: "accepted"`, and
 *   none is `underReview` or `rejected` (SARIF §3.35). An `external` suppression without a status is not trusted:
 *   anchore/scan-action 0.7 marks every result `suppressions: [{kind: external}]`, which would pass every report.
 * - image: `runs[].properties.imageName` (Trivy), which follows the results: meta.image when every run that names
 *   an image names the same one; findings carry it directly only when the properties came first.
 *
 * Rules are looked up by `ruleId` (extension rules through `rule.toolComponent.index`); a `ruleIndex` is used only
 * when it points at a rule with that id, because real files carry indices that contradict their ruleIds
 * (anchore/scan-action 0.7.3: 428 of 429 results; Trivy 0.15: 60 of 124). A ruleId "a/b" without its own rule
 * falls back to rule "a" (SARIF's hierarchical ids).
 *
 * A version other than 2.1.0, and a file without any run (nothing was scanned), are ReportErrors.
 *
 * Order: rules (`tool`) normally precede `results`; then results are turned into findings as they arrive. When a
 * run's results come before its tool, each result is reduced to the few fields above (message text capped at 4 KiB)
 * and held until the run ends; memory is then bounded by that run's result count, never by the whole document.
 * Rules are kept in the same reduced form (no help text, no descriptions) for the current run only.
 */
import type { EventOptions, JsonEvent, PathSegment } from '../json-events.js';
import { ReportError, type ReportMeta, type ScanFinding, type ScanKind, type VulnSeverity } from '../types.js';
import {
  arr,
  checkContainer,
  nearMissKey,
  clean,
  fail,
  firstLine,
  isObject,
  num,
  severityFromScore,
  severityFromWord,
  str,
  uniqueIds,
  type AdapterResult,
  type ReportAdapter
} from './common.js';

export const captures: EventOptions = {
  captures: [
    'runs.*.tool.driver.name',
    'runs.*.tool.driver.version',
    'runs.*.tool.driver.rules.*',
    'runs.*.tool.extensions.*.rules.*',
    'runs.*.results.*',
    'runs.*.properties'
  ],
  scalarDepth: 3,
  containers: ['', '*', 'runs.*', 'runs.*.*']
};

interface Fields {
  package?: string;
  version?: string;
  fixedVersion?: string;
  severity?: string;
}

interface Rule {
  id?: string;
  title?: string;
  level?: string;
  securitySeverity?: number;
  cvss?: number;
  kind: ScanKind;
  vulnId?: string;
  aliases: string[];
  help: Fields;
}

interface CompactResult {
  path: PathSegment[];
  ruleId?: string;
  ruleIndex?: number;
  toolComponent?: number;
  level?: string;
  securitySeverity?: number;
  message?: string;
  uri?: string;
  line?: number;
  fqn?: string;
  fixText?: string;
  hasFixes: boolean;
  suppressed: boolean;
}

interface Run {
  index: number;
  rules: Rule[];
  byId: Map<string, Rule>;
  extensions: Map<number, Rule[]>;
  toolSeen: boolean;
  driver?: string;
  driverVersion?: string;
  pending: CompactResult[];
  image?: string;
}

const MESSAGE_CAP = 4096;
const ID_RE = /^(CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})$/i;
const LEVELS: Record<string, VulnSeverity> = { error: 'high', warning: 'medium', note: 'low', none: 'unknown' };

/** "Key: value" lines of the Trivy/Grype text templates. */
export function templateFields(text: string | undefined): Fields & { hasPackage: boolean } {
  const out: Fields & { hasPackage: boolean } = { hasPackage: false };
  if (!text) return out;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(Package|Installed Version|Version|Fixed Version|Fix Version|Severity):[ \t]*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const value = m[2] === '' || /^none$/i.test(m[2]) ? undefined : m[2];
    switch (m[1]) {
      case 'Package':
        out.hasPackage = true;
        out.package ??= value;
        break;
      case 'Installed Version':
      case 'Version':
        out.version ??= value;
        break;
      case 'Fixed Version':
      case 'Fix Version':
        out.fixedVersion ??= value;
        break;
      case 'Severity':
        out.severity ??= value;
        break;
    }
  }
  return out;
}

function text(v: unknown): string | undefined {
  return isObject(v) ? str(v.text) : undefined;
}

function compactRule(r: Record<string, unknown>): Rule {
  const props = isObject(r.properties) ? r.properties : {};
  const tags = arr(props.tags).map((t) => String(t).toLowerCase());
  const name = str(r.name)?.toLowerCase();
  const kind: ScanKind =
    tags.includes('secret') || name === 'secret'
      ? 'secret'
      : tags.includes('misconfiguration') || name === 'misconfiguration'
        ? 'misconfiguration'
        : 'vulnerability';
  const helpText = text(r.help);
  const vulnId = /^Vulnerability\s+(\S+)/.exec(helpText ?? '')?.[1];
  const lead = /^\(([^)]*)\)/.exec(text(r.fullDescription) ?? '')?.[1] ?? '';
  const rule: Rule = {
    id: str(r.id),
    title: text(r.shortDescription) ?? str(r.name),
    level: isObject(r.defaultConfiguration) ? str(r.defaultConfiguration.level) : undefined,
    securitySeverity: num(props['security-severity']),
    cvss: num(props.cvssv3_baseScore),
    kind,
    vulnId,
    aliases: lead.split(/[\s,]+/).filter((s) => ID_RE.test(s)),
    // Only the named key lines are read: a secret rule's help text also quotes the match, which is never kept.
    help: templateFields(helpText)
  };
  return rule;
}

function compactResult(r: Record<string, unknown>, path: PathSegment[]): CompactResult {
  const loc = arr(r.locations).find(isObject);
  const phys = loc && isObject(loc.physicalLocation) ? loc.physicalLocation : undefined;
  const art = phys && isObject(phys.artifactLocation) ? phys.artifactLocation : undefined;
  const region = phys && isObject(phys.region) ? phys.region : undefined;
  const logical = loc ? arr(loc.logicalLocations).find(isObject) : undefined;
  const fixes = arr(r.fixes).filter(isObject);
  const firstFix = fixes[0];
  let fixText: string | undefined;
  if (firstFix) {
    for (const change of arr(firstFix.artifactChanges).filter(isObject))
      for (const rep of arr(change.replacements).filter(isObject)) fixText ??= text(rep.insertedContent);
    fixText ??= text(firstFix.description);
  }
  const rule = isObject(r.rule) ? r.rule : undefined;
  const suppressions = arr(r.suppressions).filter(isObject);
  const message = text(r.message);
  const props = isObject(r.properties) ? r.properties : {};
  return {
    path,
    ruleId: str(r.ruleId) ?? (rule ? str(rule.id) : undefined),
    ruleIndex: num(r.ruleIndex) ?? (rule ? num(rule.index) : undefined),
    toolComponent: rule && isObject(rule.toolComponent) ? num(rule.toolComponent.index) : undefined,
    level: str(r.level),
    securitySeverity: num(props['security-severity']),
    message: message && message.length > MESSAGE_CAP ? message.slice(0, MESSAGE_CAP) : message,
    uri: art ? str(art.uri) : undefined,
    line: region ? num(region.startLine) : undefined,
    fqn: logical ? str(logical.fullyQualifiedName) : undefined,
    fixText,
    hasFixes: fixes.length > 0,
    suppressed:
      suppressions.some((s) => s.kind !== 'external' || s.status === 'accepted') &&
      !suppressions.some((s) => s.status === 'underReview' || s.status === 'rejected')
  };
}

export class SarifAdapter implements ReportAdapter {
  readonly format = 'sarif' as const;
  readonly captures = captures;
  private run?: Run;
  private tool?: { name: string; version?: string };
  private images = new Set<string>();
  private repoDigests?: string[];
  private sawRuns = false;

  constructor(private readonly file: string) {}

  onEvent(e: JsonEvent): ScanFinding[] {
    const p = e.path;
    if (e.type !== 'element') {
      // Container types and key names along runs[].results[] (issue 15): a wrong shape is never "no results".
      const near =
        p.length === 1 ? nearMissKey(String(p[0]), ['runs']) : p.length === 3 && p[0] === 'runs' ? nearMissKey(String(p[2]), ['results']) : undefined;
      if (near !== undefined) fail(this.file, p, `unexpected key: SARIF has "${near}"`);
      if (p.length === 0) checkContainer(this.file, e, '{');
      else if (p[0] === 'runs') {
        if (p.length === 1) checkContainer(this.file, e, '[');
        else if (p.length === 2) {
          if (e.type === 'scalar') fail(this.file, p, 'must be an object');
          checkContainer(this.file, e, '{');
        } else if (p.length === 3 && p[2] === 'results') {
          if (e.type === 'scalar') fail(this.file, p, 'must be an array');
          checkContainer(this.file, e, '[');
        }
      }
      if (e.type === 'open') return [];
    }
    if (e.type === 'scalar' && p.length === 1) {
      if (p[0] === 'version' && e.value !== '2.1.0') throw new ReportError(this.file, `SARIF version ${JSON.stringify(e.value)} is not supported (only 2.1.0)`);
      if (p[0] === 'runs' && e.value !== null) fail(this.file, p, 'must be an array');
      return [];
    }
    if (p[0] !== 'runs' || p.length < 2) return [];
    if (typeof p[1] !== 'number') fail(this.file, p.slice(0, 1), 'must be an array');
    this.sawRuns = true;
    const out: ScanFinding[] = [];
    if (!this.run || this.run.index !== p[1]) {
      if (this.run) out.push(...this.flush(this.run));
      this.run = { index: p[1], rules: [], byId: new Map(), extensions: new Map(), toolSeen: false, pending: [] };
    }
    const run = this.run;
    if (e.type === 'scalar') {
      if (p.length === 3 && p[2] === 'results' && e.value !== null) fail(this.file, p, 'must be an array');
      return out;
    }
    if (p[2] === 'tool') {
      run.toolSeen = true;
      if (p[3] === 'driver' && p[4] === 'name') run.driver = str(e.value);
      else if (p[3] === 'driver' && p[4] === 'version') run.driverVersion = str(e.value);
      else if (p[3] === 'driver' && p[4] === 'rules' && typeof p[5] === 'number' && isObject(e.value)) {
        const rule = compactRule(e.value);
        run.rules[p[5]] = rule;
        if (rule.id && !run.byId.has(rule.id)) run.byId.set(rule.id, rule);
      } else if (p[3] === 'extensions' && typeof p[4] === 'number' && typeof p[6] === 'number' && isObject(e.value)) {
        const rule = compactRule(e.value);
        const list = run.extensions.get(p[4]) ?? [];
        list[p[6]] = rule;
        run.extensions.set(p[4], list);
        if (rule.id && !run.byId.has(rule.id)) run.byId.set(rule.id, rule);
      }
      return out;
    }
    if (p[2] === 'properties' && p.length === 3) {
      if (isObject(e.value)) {
        const image = str(e.value.imageName);
        if (image) {
          run.image = image;
          this.images.add(image);
        }
        const digests = arr(e.value.repoDigests).filter((d): d is string => typeof d === 'string');
        if (digests.length > 0 && !this.repoDigests) this.repoDigests = digests;
      }
      return out;
    }
    if (p[2] === 'results' && p.length === 4) {
      if (typeof p[3] !== 'number') fail(this.file, p.slice(0, 3), 'must be an array');
      if (!isObject(e.value)) fail(this.file, p, 'must be an object');
      const kind = str(e.value.kind);
      if (kind === 'pass' || kind === 'notApplicable') return out;
      const c = compactResult(e.value, [...p]);
      if (run.toolSeen) out.push(this.finding(c, run));
      else run.pending.push(c);
    }
    return out;
  }

  private flush(run: Run): ScanFinding[] {
    // meta.tool is the first run's driver.
    if (!this.tool && run.driver) this.tool = { name: run.driver, ...(run.driverVersion ? { version: run.driverVersion } : {}) };
    const out = run.pending.map((c) => this.finding(c, run));
    run.pending = [];
    return out;
  }

  private lookup(c: CompactResult, run: Run): Rule | undefined {
    if (c.toolComponent !== undefined && c.ruleIndex !== undefined) {
      const r = run.extensions.get(c.toolComponent)?.[c.ruleIndex];
      if (r) return r;
    }
    if (c.toolComponent === undefined && c.ruleIndex !== undefined) {
      const r = run.rules[c.ruleIndex];
      if (r && (c.ruleId === undefined || r.id === c.ruleId)) return r;
    }
    if (c.ruleId === undefined) return undefined;
    return run.byId.get(c.ruleId) ?? run.byId.get(c.ruleId.split('/')[0]);
  }

  private finding(c: CompactResult, run: Run): ScanFinding {
    const rule = this.lookup(c, run);
    const ruleId = c.ruleId ?? rule?.id;
    if (!ruleId) fail(this.file, c.path, 'has neither ruleId nor a rule reference');
    const kind = rule?.kind ?? 'vulnerability';
    const secret = kind === 'secret';
    const id = !secret && rule?.vulnId && ruleId.includes(rule.vulnId) ? rule.vulnId : ruleId;
    const msg = templateFields(c.message);
    const snykDriver = /^snyk/i.test(run.driver ?? '');
    let fields: Fields = {};
    if (!secret) {
      const grype = /package: (.+?), version (\S+) was found/.exec(c.message ?? '');
      const snyk = snykDriver ? /^(.+)@([^@]+)$/.exec(c.fqn ?? '') : null;
      if (msg.hasPackage) fields = msg;
      else if (grype) fields = { package: grype[1], version: grype[2], fixedVersion: rule?.help.fixedVersion };
      else if (snyk) fields = { package: snyk[1], version: snyk[2], fixedVersion: /@([^@\s]+)\s*$/.exec(c.fixText ?? '')?.[1] };
      else if (rule?.help.package) fields = rule.help;
    }
    const security = c.securitySeverity ?? rule?.securitySeverity;
    const word = msg.severity ?? rule?.help.severity;
    const level = c.level ?? rule?.level ?? 'warning';
    const severity: VulnSeverity =
      (security !== undefined ? severityFromScore(security) : undefined) ??
      (word !== undefined ? severityFromWord(word) : undefined) ??
      LEVELS[level] ??
      'unknown';
    // Secrets: the message and help quote the match, so the title comes from the rule only.
    const title = secret ? (rule?.title ?? id) : (rule?.title ?? firstLine(c.message) ?? id);
    const f: ScanFinding = {
      kind,
      id,
      aliases: uniqueIds(rule?.aliases ?? [], id),
      severity,
      cvss: rule?.cvss ?? (security !== undefined && security > 0 ? security : undefined),
      package: fields.package,
      version: fields.version,
      fixedVersion: fields.fixedVersion,
      fixable: fields.fixedVersion !== undefined || (snykDriver && c.hasFixes),
      image: run.image,
      target: c.uri,
      title,
      source: { format: 'sarif', file: this.file }
    };
    if (c.uri) f.location = c.line !== undefined && c.line > 0 ? { file: c.uri, line: c.line } : { file: c.uri };
    if (c.suppressed) f.scannerIgnored = true;
    return clean(f);
  }

  finish(): AdapterResult {
    const findings = this.run ? this.flush(this.run) : [];
    if (!this.sawRuns) throw new ReportError(this.file, 'not a SARIF report: no runs');
    const meta: ReportMeta = { format: 'sarif', file: this.file };
    if (this.tool) meta.tool = this.tool;
    const [only] = this.images;
    if (this.images.size === 1) meta.image = only;
    if (this.repoDigests) meta.repoDigests = this.repoDigests;
    return { findings, meta };
  }
}
