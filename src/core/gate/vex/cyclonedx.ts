/**
 * CycloneDX VEX (a BOM with `vulnerabilities[].analysis`, CycloneDX 1.4+) → VexStatement records.
 *
 * - vulnerability `id`; aliases = `references[].id`.
 * - status from `analysis.state`: not_affected and false_positive → not_affected; resolved and
 *   resolved_with_pedigree → fixed; exploitable → affected; in_triage → under_investigation. A vulnerability
 *   without `analysis.state` is not a VEX statement (a plain SBOM vulnerability) and is skipped; an unknown state
 *   is a ReportError.
 * - justification = `analysis.justification` (false_positive without one gets "false_positive"); statement =
 *   `analysis.detail`.
 * - products = `affects[].ref`, resolved through the `bom-ref` of `metadata.component` and every (nested)
 *   component to its purl. A BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`) is resolved by its fragment; an
 *   unresolved ref that is itself a purl is used as is, any other unresolved ref is kept (and matches no
 *   finding). `affects[].versions` ranges are not evaluated.
 * - timestamp: `analysis.lastUpdated`, else `analysis.firstIssued`, else the vulnerability's `updated` /
 *   `published`, else `metadata.timestamp`.
 */
import { ReportError, type VexStatus } from '../types.js';
import { sortByTime, type TimedVexStatement } from './match.js';

const STATES: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation'
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function collectRefs(components: unknown, refs: Map<string, string>, depth = 0): void {
  if (!Array.isArray(components) || depth > 64) return;
  for (const c of components) {
    if (!isObject(c)) continue;
    const ref = str(c['bom-ref']);
    const purl = str(c.purl);
    if (ref && purl && !refs.has(ref)) refs.set(ref, purl);
    collectRefs(c.components, refs, depth + 1);
  }
}

export function resolveRef(ref: string, refs: Map<string, string>): string {
  const direct = refs.get(ref);
  if (direct) return direct;
  const hash = ref.startsWith('urn:cdx:') ? ref.indexOf('#') : -1;
  const fragment = hash >= 0 ? ref.slice(hash + 1) : ref;
  return refs.get(fragment) ?? (/^pkg:/i.test(fragment) ? fragment : ref);
}

/** Parses a CycloneDX BOM's VEX data: its text, or the value JSON.parse gave. */
export function parseCycloneDxVex(input: unknown, file: string): TimedVexStatement[] {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new ReportError(file, `not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(doc) || doc.bomFormat !== 'CycloneDX') throw new ReportError(file, 'not a CycloneDX document: bomFormat is not "CycloneDX"');
  const refs = new Map<string, string>();
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  if (isObject(metadata.component)) collectRefs([metadata.component], refs);
  collectRefs(doc.components, refs);
  if (doc.vulnerabilities === undefined) return [];
  if (!Array.isArray(doc.vulnerabilities)) throw new ReportError(file, 'vulnerabilities must be an array');
  const out: TimedVexStatement[] = [];
  doc.vulnerabilities.forEach((v, i) => {
    const where = `vulnerabilities[${i}]`;
    if (!isObject(v)) throw new ReportError(file, `${where} must be an object`);
    const analysis = isObject(v.analysis) ? v.analysis : undefined;
    const state = analysis ? str(analysis.state) : undefined;
    if (!analysis || state === undefined) return;
    const status = STATES[state];
    if (!status) throw new ReportError(file, `${where}: analysis.state "${state}" is not a CycloneDX state`);
    const id = str(v.id);
    if (!id) throw new ReportError(file, `${where}: id is missing`);
    const aliases: string[] = [];
    for (const r of Array.isArray(v.references) ? v.references : []) {
      const a = isObject(r) ? str(r.id) : undefined;
      if (a && a.toLowerCase() !== id.toLowerCase() && !aliases.includes(a)) aliases.push(a);
    }
    const products: string[] = [];
    for (const a of Array.isArray(v.affects) ? v.affects : []) {
      const ref = isObject(a) ? str(a.ref) : undefined;
      if (!ref) throw new ReportError(file, `${where}: an affects entry has no ref`);
      const p = resolveRef(ref, refs);
      if (!products.includes(p)) products.push(p);
    }
    const st: TimedVexStatement = { vulnerability: id, aliases, products, subcomponents: [], status, source: { format: 'cyclonedx', file } };
    const justification = str(analysis.justification) ?? (state === 'false_positive' ? 'false_positive' : undefined);
    if (justification) st.justification = justification;
    const detail = str(analysis.detail);
    if (detail) st.statement = detail;
    const timestamp = str(analysis.lastUpdated) ?? str(analysis.firstIssued) ?? str(v.updated) ?? str(v.published) ?? str(metadata.timestamp);
    if (timestamp) st.timestamp = timestamp;
    out.push(st);
  });
  return sortByTime(out);
}
