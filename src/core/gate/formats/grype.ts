/**
 * Grype JSON (`grype -o json`) → ScanFinding records, one event at a time.
 *
 * Mapping of `matches[]` (and `ignoredMatches[]`, emitted with `scannerIgnored: true`):
 * - id `vulnerability.id`; aliases = the ids of `relatedVulnerabilities[]` (GHSA ↔ CVE, distro ↔ NVD).
 * - severity from `vulnerability.severity`: Critical/High/Medium/Low as such, Negligible → low, Unknown → unknown.
 * - cvss: over `vulnerability.cvss[]` and every `relatedVulnerabilities[].cvss[]`, the highest v3.x
 *   `metrics.baseScore`; without v3 the highest v2, then v4.
 * - package/version/purl from `artifact`; target = `artifact.locations[0].path`, layer = its `layerID`.
 * - status = `fix.state`; fixedVersion = `fix.versions` joined with ", "; fixable only when the state is `fixed`
 *   and there is at least one version (`not-fixed`, `wont-fix`, `unknown` and "" are not fixable).
 * - title: the first line of the vulnerability's description (or of the first related one that has one), else
 *   "<id> in <package>": Grype has no title field.
 *
 * The image: Grype writes `source` after `matches`, so the image (`source.target.userInput` when `source.type` is
 * `image`; directory and file scans have none) is not known while findings stream. We do not buffer: findings are
 * emitted with `image` undefined (unless `source` came first) and `finish().meta.image` carries it; the caller
 * applies it (`applyMeta`). Memory stays constant whatever the number of matches.
 */
import type { EventOptions, JsonEvent, PathSegment } from '../json-events.js';
import { ReportError, type ReportMeta, type ScanFinding } from '../types.js';
import { CvssPicker, arr, clean, fail, firstLine, isObject, checkedSeverity, str, uniqueIds, type AdapterResult, type ReportAdapter } from './common.js';

export const captures: EventOptions = {
  captures: ['matches.*', 'ignoredMatches.*', 'source.target.repoDigests'],
  scalarDepth: 3
};

export class GrypeAdapter implements ReportAdapter {
  readonly format = 'grype' as const;
  readonly captures = captures;
  private sourceType?: string;
  private userInput?: string;
  private repoDigests?: string[];
  private toolName?: string;
  private toolVersion?: string;
  private seen = false;

  constructor(private readonly file: string) {}

  private get image(): string | undefined {
    return this.sourceType === 'image' ? this.userInput : undefined;
  }

  onEvent(e: JsonEvent): ScanFinding[] {
    const p = e.path;
    if (e.type === 'scalar') {
      if (p[0] === 'source' || p[0] === 'descriptor') this.seen = true;
      if (p.length === 2 && p[0] === 'source' && p[1] === 'type') this.sourceType = str(e.value);
      else if (p.length === 3 && p[0] === 'source' && p[1] === 'target' && p[2] === 'userInput') this.userInput = str(e.value);
      else if (p.length === 2 && p[0] === 'descriptor' && p[1] === 'name') this.toolName = str(e.value);
      else if (p.length === 2 && p[0] === 'descriptor' && p[1] === 'version') this.toolVersion = str(e.value);
      else if (p.length === 1 && (p[0] === 'matches' || p[0] === 'ignoredMatches') && e.value !== null) fail(this.file, p, 'must be an array');
      return [];
    }
    if (p[0] === 'source') {
      this.repoDigests = arr(e.value).filter((d): d is string => typeof d === 'string');
      return [];
    }
    if (p.length !== 2 || (p[0] !== 'matches' && p[0] !== 'ignoredMatches')) return [];
    if (typeof p[1] !== 'number') fail(this.file, p.slice(0, 1), 'must be an array');
    this.seen = true;
    return [this.match(e.value, p, p[0] === 'ignoredMatches')];
  }

  private match(m: unknown, p: readonly PathSegment[], ignored: boolean): ScanFinding {
    if (!isObject(m) || !isObject(m.vulnerability)) fail(this.file, p, 'has no vulnerability object');
    const v = m.vulnerability;
    const id = str(v.id);
    if (!id) fail(this.file, [...p, 'vulnerability'], 'id is missing');
    const art = isObject(m.artifact) ? m.artifact : {};
    const related = arr(m.relatedVulnerabilities).filter(isObject);
    const cvss = new CvssPicker();
    for (const src of [v, ...related])
      for (const c of arr(src.cvss)) if (isObject(c)) cvss.add(str(c.version), isObject(c.metrics) ? c.metrics.baseScore : undefined);
    const fix = isObject(v.fix) ? v.fix : {};
    const state = str(fix.state);
    const versions = arr(fix.versions)
      .map((x) => str(x))
      .filter((x): x is string => x !== undefined);
    const loc = arr(art.locations).find(isObject);
    const name = str(art.name);
    const description = [v, ...related].map((r) => firstLine(str(r.description))).find((d) => d !== undefined);
    const f: ScanFinding = {
      kind: 'vulnerability',
      id,
      aliases: uniqueIds(
        related.map((r) => r.id),
        id
      ),
      severity: checkedSeverity(v.severity, this.file, [...p, 'vulnerability'], 'severity'),
      cvss: cvss.score,
      package: name,
      version: str(art.version),
      fixedVersion: versions.length > 0 ? versions.join(', ') : undefined,
      fixable: state === 'fixed' && versions.length > 0,
      purl: str(art.purl),
      status: state,
      image: this.image,
      target: loc ? str(loc.path) : undefined,
      title: description ?? (name ? `${id} in ${name}` : id),
      layer: loc ? str(loc.layerID) : undefined,
      source: { format: 'grype', file: this.file }
    };
    if (ignored) f.scannerIgnored = true;
    return clean(f);
  }

  finish(): AdapterResult {
    if (!this.seen) throw new ReportError(this.file, 'not a Grype JSON report: no matches, source or descriptor');
    const meta: ReportMeta = {
      format: 'grype',
      file: this.file,
      tool: { name: this.toolName ?? 'grype', ...(this.toolVersion ? { version: this.toolVersion } : {}) }
    };
    if (this.image) meta.image = this.image;
    if (this.repoDigests && this.repoDigests.length > 0) meta.repoDigests = this.repoDigests;
    return { findings: [], meta };
  }
}
