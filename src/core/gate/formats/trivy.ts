/**
 * Trivy JSON (`trivy image --format json`, SchemaVersion 2) → ScanFinding records, one event at a time.
 *
 * Mapping:
 * - `Results[].Vulnerabilities[]` → kind `vulnerability`: id `VulnerabilityID`; aliases `VendorIDs`; severity from
 *   `Severity` (UNKNOWN and anything unexpected → unknown); cvss = highest `CVSS.*.V3Score`, else highest
 *   `V2Score`, else highest `V40Score`; package `PkgName`, version `InstalledVersion`, purl `PkgIdentifier.PURL`;
 *   `FixedVersion` as given; fixable when `FixedVersion` is non-empty and `Status` is `fixed` or absent (old reports
 *   have no Status); status `Status`; layer `Layer.DiffID`; target = the Result's `Target`; location = `PkgPath`
 *   (language packages: the file the package was found in); title `Title`, else the first line of `Description`.
 * - `Results[].Misconfigurations[]` → kind `misconfiguration`, only when `Status` is FAIL (or absent: older Trivy);
 *   PASS and EXCEPTION are not findings. id `AVDID`, else `ID` (the other one is an alias); location = the Result's
 *   `Target` at `CauseMetadata.StartLine`; title `Title`, else `Message`.
 * - `Results[].Secrets[]` → kind `secret`: id `RuleID`, title `Title`, location = Target at `StartLine`, layer.
 *   `Match` and `Code` hold the secret itself and are never read.
 * - image = `ArtifactName` when `ArtifactType` is `container_image` (or absent); `Metadata.RepoDigests` → meta.
 *   Both precede `Results` in Trivy's output (Go struct order), so findings carry the image directly.
 * - Result `Target` (and `Class`/`Type`, which have no place in ScanFinding) precede the finding arrays in every
 *   Trivy version; a finding read before its Result's Target gets no target.
 *
 * SchemaVersion must be 2: version 1 and the legacy top-level list are rejected with a ReportError.
 * Memory: a handful of strings of context, whatever the report's size.
 */
import type { EventOptions, JsonEvent } from '../json-events.js';
import { ReportError, type ReportMeta, type ScanFinding } from '../types.js';
import {
  CvssPicker,
  checkContainer,
  nearMissKey,
  arr,
  checkedSeverity,
  clean,
  fail,
  firstLine,
  isObject,
  num,
  str,
  uniqueIds,
  type AdapterResult,
  type ReportAdapter
} from './common.js';

export const captures: EventOptions = {
  captures: ['Results.*.Vulnerabilities.*', 'Results.*.Misconfigurations.*', 'Results.*.Secrets.*', 'Metadata.RepoDigests'],
  scalarDepth: 3,
  containers: ['', '*', 'Results.*', 'Results.*.*']
};
const TOP_KEYS = ['Results', 'SchemaVersion', 'Metadata'];
const RESULT_KEYS = ['Vulnerabilities', 'Misconfigurations', 'Secrets', 'Target'];

const FINDING_ARRAYS = new Set(['Vulnerabilities', 'Misconfigurations', 'Secrets']);
const NOT_FIXED_STATUSES = new Set(['affected', 'will_not_fix', 'fix_deferred', 'end_of_life', 'not_affected', 'under_investigation', 'unknown']);

export class TrivyAdapter implements ReportAdapter {
  readonly format = 'trivy' as const;
  readonly captures = captures;
  private schemaVersion?: unknown;
  private artifactName?: string;
  private artifactType?: string;
  private repoDigests?: string[];
  private toolVersion?: string;
  private resultIndex = -1;
  private target?: string;

  constructor(private readonly file: string) {}

  private get image(): string | undefined {
    if (this.artifactType !== undefined && this.artifactType !== 'container_image') return undefined;
    return this.artifactName;
  }

  onEvent(e: JsonEvent): ScanFinding[] {
    const p = e.path;
    if (e.type !== 'element') this.checkShape(e);
    if (e.type === 'open') return [];
    if (e.type === 'scalar') {
      this.onScalar(e.path, e.value);
      return [];
    }
    if (p[0] === 'Metadata' && p[1] === 'RepoDigests') {
      this.repoDigests = arr(e.value).filter((d): d is string => typeof d === 'string');
      return [];
    }
    if (p[0] !== 'Results' || p.length !== 4 || !FINDING_ARRAYS.has(String(p[2]))) return [];
    if (typeof p[1] !== 'number' || typeof p[3] !== 'number') fail(this.file, p.slice(0, 3), 'must be an array');
    this.enterResult(p[1]);
    if (!isObject(e.value)) fail(this.file, p, 'must be an object');
    const f =
      p[2] === 'Vulnerabilities' ? this.vulnerability(e.value, p) : p[2] === 'Misconfigurations' ? this.misconfiguration(e.value, p) : this.secret(e.value, p);
    return f ? [f] : [];
  }

  /** Container types and key names along Results[].<findings>[] (issue 15: a wrong shape is never read as "no findings"). */
  private checkShape(e: JsonEvent): void {
    const p = e.path;
    if (p.length === 0) return checkContainer(this.file, e, '{');
    const near =
      p.length === 1 ? nearMissKey(String(p[0]), TOP_KEYS) : p.length === 3 && p[0] === 'Results' ? nearMissKey(String(p[2]), RESULT_KEYS) : undefined;
    if (near !== undefined) fail(this.file, p, `unexpected key: Trivy writes "${near}"`);
    if (p[0] !== 'Results') return;
    if (p.length === 1) checkContainer(this.file, e, '[');
    else if (p.length === 2) {
      if (typeof p[1] !== 'number') fail(this.file, p.slice(0, 1), 'must be an array');
      if (e.type === 'scalar') fail(this.file, p, 'must be an object');
      checkContainer(this.file, e, '{');
    } else if (p.length === 3 && FINDING_ARRAYS.has(String(p[2]))) checkContainer(this.file, e, '[');
  }

  private onScalar(p: readonly (string | number)[], v: string | number | boolean | null): void {
    if (p.length === 1) {
      if (p[0] === 'SchemaVersion') {
        this.schemaVersion = v;
        if (v !== 2) throw new ReportError(this.file, `Trivy SchemaVersion ${JSON.stringify(v)} is not supported: use Trivy 0.20 or later (SchemaVersion 2)`);
      } else if (p[0] === 'ArtifactName') this.artifactName = str(v);
      else if (p[0] === 'ArtifactType') this.artifactType = str(v);
      else if (p[0] === 'Results' && v !== null) fail(this.file, p, 'must be an array');
      return;
    }
    if (p.length === 2 && p[0] === 'Trivy' && p[1] === 'Version') this.toolVersion = str(v);
    if (p[0] === 'Results' && p.length === 3) {
      if (typeof p[1] !== 'number') fail(this.file, p.slice(0, 1), 'must be an array');
      this.enterResult(p[1]);
      if (p[2] === 'Target') this.target = str(v);
      else if (FINDING_ARRAYS.has(String(p[2])) && v !== null) fail(this.file, p, 'must be an array');
    }
    if (p[0] === 'Results' && p.length === 2 && v !== null) fail(this.file, p, 'must be an object');
  }

  private enterResult(i: number): void {
    if (i === this.resultIndex) return;
    this.resultIndex = i;
    this.target = undefined;
  }

  private base(id: string, p: readonly (string | number)[]): Pick<ScanFinding, 'id' | 'image' | 'target' | 'source'> {
    if (!id) fail(this.file, p, 'has no id');
    return { id, image: this.image, target: this.target, source: { format: 'trivy', file: this.file } };
  }

  private vulnerability(v: Record<string, unknown>, p: readonly (string | number)[]): ScanFinding {
    const id = str(v.VulnerabilityID);
    if (!id) fail(this.file, p, 'VulnerabilityID is missing');
    const cvss = new CvssPicker();
    if (isObject(v.CVSS)) {
      for (const c of Object.values(v.CVSS)) {
        if (!isObject(c)) continue;
        cvss.add('3', c.V3Score);
        cvss.add('2', c.V2Score);
        cvss.add('4', c.V40Score);
      }
    }
    const fixedVersion = str(v.FixedVersion);
    const status = str(v.Status);
    const layer = isObject(v.Layer) ? (str(v.Layer.DiffID) ?? str(v.Layer.Digest)) : undefined;
    const pkgPath = str(v.PkgPath);
    const f: ScanFinding = {
      kind: 'vulnerability',
      ...this.base(id, p),
      aliases: uniqueIds(arr(v.VendorIDs), id),
      severity: checkedSeverity(v.Severity, this.file, p, 'Severity'),
      cvss: cvss.score,
      package: str(v.PkgName),
      version: str(v.InstalledVersion),
      fixedVersion,
      fixable: fixedVersion !== undefined && !(status !== undefined && NOT_FIXED_STATUSES.has(status)),
      purl: isObject(v.PkgIdentifier) ? str(v.PkgIdentifier.PURL) : undefined,
      status,
      title: str(v.Title) ?? firstLine(str(v.Description)) ?? id,
      layer
    };
    if (pkgPath) f.location = { file: pkgPath };
    return clean(f);
  }

  private misconfiguration(m: Record<string, unknown>, p: readonly (string | number)[]): ScanFinding | undefined {
    const status = str(m.Status);
    if (status !== undefined && status.toUpperCase() !== 'FAIL') return undefined;
    const avdid = str(m.AVDID);
    const rawId = str(m.ID);
    const id = avdid ?? rawId;
    if (!id) fail(this.file, p, 'has neither AVDID nor ID');
    const line = isObject(m.CauseMetadata) ? num(m.CauseMetadata.StartLine) : undefined;
    const f: ScanFinding = {
      kind: 'misconfiguration',
      ...this.base(id, p),
      aliases: uniqueIds([rawId], id),
      severity: checkedSeverity(m.Severity, this.file, p, 'Severity'),
      fixable: false,
      status,
      title: str(m.Title) ?? firstLine(str(m.Message)) ?? id,
      layer: isObject(m.Layer) ? str(m.Layer.DiffID) : undefined
    };
    if (this.target) f.location = line !== undefined && line > 0 ? { file: this.target, line } : { file: this.target };
    return clean(f);
  }

  /** Reads RuleID, Severity, Title, StartLine and Layer only: Match and Code contain the secret. */
  private secret(s: Record<string, unknown>, p: readonly (string | number)[]): ScanFinding {
    const id = str(s.RuleID);
    if (!id) fail(this.file, p, 'RuleID is missing');
    const line = num(s.StartLine);
    const f: ScanFinding = {
      kind: 'secret',
      ...this.base(id, p),
      aliases: [],
      severity: checkedSeverity(s.Severity, this.file, p, 'Severity'),
      fixable: false,
      title: str(s.Title) ?? id,
      layer: isObject(s.Layer) ? str(s.Layer.DiffID) : undefined
    };
    if (this.target) f.location = line !== undefined && line > 0 ? { file: this.target, line } : { file: this.target };
    return clean(f);
  }

  finish(): AdapterResult {
    if (this.schemaVersion === undefined)
      throw new ReportError(this.file, 'not a Trivy JSON report: SchemaVersion is missing (only SchemaVersion 2 is supported)');
    const meta: ReportMeta = { format: 'trivy', file: this.file, tool: { name: 'Trivy', ...(this.toolVersion ? { version: this.toolVersion } : {}) } };
    if (this.image) meta.image = this.image;
    if (this.repoDigests && this.repoDigests.length > 0) meta.repoDigests = this.repoDigests;
    return { findings: [], meta };
  }
}
