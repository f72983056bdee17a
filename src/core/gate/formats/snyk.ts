/**
 * Snyk container JSON (`snyk container test --json`) → ScanFinding records, one event at a time. Both forms are
 * read: one project object, and the array of projects (`--app-vulns`, several images).
 *
 * Mapping of `vulnerabilities[]`:
 * - id `id` (SNYK-…); aliases `identifiers.CVE` and `identifiers.GHSA`; severity `severity`; cvss `cvssScore`;
 *   package `packageName` (else `name`), version `version`; fixedVersion = `fixedIn` joined with ", ", fixable when
 *   `fixedIn` is non-empty; title `title`. `from`, `upgradePath`, `isUpgradable` and the per-path structure are
 *   not read: Snyk lists a vulnerability once per dependency path, and those entries become identical findings
 *   (same id, package, version, image) that the policy merges (policy.ts `findingKey`), so the adapter stays
 *   constant-memory.
 * - image: `path` when it is a valid image reference (what was passed to `snyk container test`), else `projectName`
 *   without its `docker-image|` prefix when that is one; `displayTargetFile`/`targetFile` name a file (Dockerfile,
 *   lock file), never the image. Snyk writes these after `vulnerabilities`, so findings are emitted with `image`
 *   undefined (unless the project's keys came first) and meta.image carries it when every project names the same
 *   image. Reports about several different images therefore yield findings without an image.
 * - A Snyk error document (`{"ok": false, "error": "..."}`) is a ReportError quoting the error.
 */
import type { EventOptions, JsonEvent, PathSegment } from '../json-events.js';
import { parseImageRef } from '../../image-ref.js';
import { ReportError, type ReportMeta, type ScanFinding } from '../types.js';
import {
  arr,
  checkContainer,
  nearMissKey,
  clean,
  fail,
  isObject,
  num,
  checkedSeverity,
  str,
  uniqueIds,
  type AdapterResult,
  type ReportAdapter
} from './common.js';

export const captures: EventOptions = { captures: ['vulnerabilities.*', '*.vulnerabilities.*'], scalarDepth: 3, containers: ['', '*', '*.*'] };

interface Project {
  path?: string;
  projectName?: string;
}

/** The image a Snyk project is about, or undefined. */
export function snykImage(p: Project): string | undefined {
  if (p.path && parseImageRef(p.path)) return p.path;
  const name = p.projectName?.replace(/^docker-image\|/, '');
  if (name && parseImageRef(name)) return name;
  return undefined;
}

const SNYK_KEYS = new Set(['ok', 'packageManager', 'projectName', 'dependencyCount', 'uniqueCount', 'displayTargetFile', 'path', 'org', 'summary']);

export class SnykAdapter implements ReportAdapter {
  readonly format = 'snyk' as const;
  readonly captures = captures;
  private projects = new Map<number, Project>();
  private error?: string;
  private errorProject?: number;
  private count = 0;
  private seen = false;

  constructor(private readonly file: string) {}

  private project(i: number): Project {
    let p = this.projects.get(i);
    if (!p) {
      p = {};
      this.projects.set(i, p);
    }
    return p;
  }

  onEvent(e: JsonEvent): ScanFinding[] {
    const arrayForm = typeof e.path[0] === 'number';
    const index = arrayForm ? (e.path[0] as number) : 0;
    const p = arrayForm ? e.path.slice(1) : e.path;
    if (e.type === 'open') {
      if (e.path.length === 1 && arrayForm) checkContainer(this.file, e, '{');
      if (p.length === 1) {
        const near = nearMissKey(String(p[0]), ['vulnerabilities']);
        if (near !== undefined) fail(this.file, e.path, `unexpected key: Snyk writes "${near}"`);
        if (p[0] === 'vulnerabilities') checkContainer(this.file, e, '[');
      }
      return [];
    }
    if (arrayForm && e.path.length === 1) fail(this.file, e.path, 'must be a Snyk project object');
    if (e.type === 'scalar') {
      if (p.length === 1) {
        const key = String(p[0]);
        if (SNYK_KEYS.has(key) || key === 'vulnerabilities') this.seen = true;
        if (key === 'path') this.project(index).path = str(e.value);
        else if (key === 'projectName') this.project(index).projectName = str(e.value);
        else if (key === 'error' && str(e.value) !== undefined) {
          this.error ??= str(e.value);
          this.errorProject ??= arrayForm ? index : undefined;
        } else if (nearMissKey(key, ['vulnerabilities']) !== undefined) fail(this.file, e.path, 'unexpected key: Snyk writes "vulnerabilities"');
        else if (key === 'vulnerabilities' && e.value !== null) fail(this.file, e.path, 'must be an array');
      }
      return [];
    }
    if (p.length !== 2 || p[0] !== 'vulnerabilities') return [];
    if (typeof p[1] !== 'number') fail(this.file, e.path.slice(0, -1), 'must be an array');
    this.seen = true;
    this.count++;
    return [this.vulnerability(e.value, e.path, index)];
  }

  private vulnerability(v: unknown, path: readonly PathSegment[], index: number): ScanFinding {
    if (!isObject(v)) fail(this.file, path, 'must be an object');
    const id = str(v.id);
    if (!id) fail(this.file, path, 'id is missing');
    const ids = isObject(v.identifiers) ? [...arr(v.identifiers.CVE), ...arr(v.identifiers.GHSA)] : [];
    const fixedIn = arr(v.fixedIn)
      .map((x) => str(x))
      .filter((x): x is string => x !== undefined);
    return clean({
      kind: 'vulnerability',
      id,
      aliases: uniqueIds(ids, id),
      severity: checkedSeverity(v.severity, this.file, path, 'severity'),
      cvss: num(v.cvssScore),
      package: str(v.packageName) ?? str(v.name),
      version: str(v.version),
      fixedVersion: fixedIn.length > 0 ? fixedIn.join(', ') : undefined,
      fixable: fixedIn.length > 0,
      image: snykImage(this.projects.get(index) ?? {}),
      title: str(v.title) ?? id,
      source: { format: 'snyk', file: this.file }
    });
  }

  finish(): AdapterResult {
    // One errored project fails the report (issue 15): its image was not scanned, whatever the others found.
    if (this.error !== undefined && (this.count === 0 || this.errorProject !== undefined))
      throw new ReportError(
        this.file,
        `Snyk reported an error${this.errorProject !== undefined ? ` for project [${this.errorProject}]` : ''} instead of results: ${this.error}`
      );
    if (!this.seen) throw new ReportError(this.file, 'not a Snyk JSON report: no vulnerabilities or Snyk project fields');
    const images = new Set([...this.projects.values()].map(snykImage));
    const meta: ReportMeta = { format: 'snyk', file: this.file, tool: { name: 'Snyk' } };
    const [only] = images;
    if (images.size === 1 && only) meta.image = only;
    return { findings: [], meta };
  }
}
