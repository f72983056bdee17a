/**
 * OpenVEX (v0.0.x and v0.2.0) → VexStatement records.
 *
 * - vulnerability: `vulnerability.name` (else its `@id`), or the plain string of v0.0.x; aliases:
 *   `vulnerability.aliases` (v0.2.0) and the statement's `aliases` (v0.0.x), de-duplicated.
 * - products: each product's `identifiers.purl`, else its `@id` (v0.2.0 objects, or v0.0.x strings);
 *   subcomponents: every product's `subcomponents` (same rule) plus the statement's own (v0.0.x).
 * - status must be not_affected | affected | fixed | under_investigation; justification as given; statement =
 *   `impact_statement`, else `action_statement`.
 * - timestamp: the statement's `last_updated`, else its `timestamp`, else the document's (`last_updated`, then
 *   `timestamp`). Statements are returned in timestamp order (ties keep document order).
 * Anything else (status_notes, supplier, hashes) is not used. Malformed documents are ReportErrors.
 */
import { ReportError, type VexStatus } from '../types.js';
import { sortByTime, type TimedVexStatement } from './match.js';

const STATUSES = new Set<VexStatus>(['not_affected', 'affected', 'fixed', 'under_investigation']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function unique(xs: (string | undefined)[], exclude?: string): string[] {
  const seen = new Set(exclude ? [exclude.toLowerCase()] : []);
  const out: string[] = [];
  for (const x of xs) {
    if (!x || seen.has(x.toLowerCase())) continue;
    seen.add(x.toLowerCase());
    out.push(x);
  }
  return out;
}

/** A component id: `identifiers.purl`, else `@id`; strings are ids themselves. */
function componentId(c: unknown): string | undefined {
  if (typeof c === 'string') return str(c);
  if (!isObject(c)) return undefined;
  return (isObject(c.identifiers) ? str(c.identifiers.purl) : undefined) ?? str(c['@id']);
}

/** Parses an OpenVEX document: its text, or the value JSON.parse gave. */
export function parseOpenVex(input: unknown, file: string): TimedVexStatement[] {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new ReportError(file, `not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(doc)) throw new ReportError(file, 'an OpenVEX document must be a JSON object');
  const ctx = doc['@context'];
  const contexts = Array.isArray(ctx) ? ctx : [ctx];
  if (!contexts.some((c) => typeof c === 'string' && /openvex/i.test(c)))
    throw new ReportError(file, 'not an OpenVEX document: @context does not name openvex');
  if (doc.statements === undefined || doc.statements === null) return [];
  if (!Array.isArray(doc.statements)) throw new ReportError(file, 'statements must be an array');
  const docTime = str(doc.last_updated) ?? str(doc.timestamp);
  const out: TimedVexStatement[] = [];
  doc.statements.forEach((s, i) => {
    const where = `statements[${i}]`;
    if (!isObject(s)) throw new ReportError(file, `${where} must be an object`);
    const v = s.vulnerability;
    const vuln = typeof v === 'string' ? str(v) : isObject(v) ? (str(v.name) ?? str(v['@id'])) : undefined;
    if (!vuln) throw new ReportError(file, `${where}: vulnerability has no name`);
    const status = s.status;
    if (typeof status !== 'string' || !STATUSES.has(status as VexStatus))
      throw new ReportError(file, `${where}: status ${JSON.stringify(status)} is not one of not_affected, affected, fixed, under_investigation`);
    const aliasList = [...(isObject(v) && Array.isArray(v.aliases) ? v.aliases : []), ...(Array.isArray(s.aliases) ? s.aliases : [])];
    const products: string[] = [];
    const subcomponents: string[] = [];
    if (s.products !== undefined && !Array.isArray(s.products)) throw new ReportError(file, `${where}: products must be an array`);
    for (const p of (s.products as unknown[] | undefined) ?? []) {
      const id = componentId(p);
      if (!id) throw new ReportError(file, `${where}: a product has neither @id nor identifiers.purl`);
      products.push(id);
      if (isObject(p) && Array.isArray(p.subcomponents)) subcomponents.push(...p.subcomponents.map(componentId).filter((x): x is string => !!x));
    }
    if (Array.isArray(s.subcomponents)) subcomponents.push(...s.subcomponents.map(componentId).filter((x): x is string => !!x));
    const st: TimedVexStatement = {
      vulnerability: vuln,
      aliases: unique(aliasList.map(str), vuln),
      products: unique(products),
      subcomponents: unique(subcomponents),
      status: status as VexStatus,
      source: { format: 'openvex', file }
    };
    const justification = str(s.justification);
    if (justification) st.justification = justification;
    const statement = str(s.impact_statement) ?? str(s.action_statement);
    if (statement) st.statement = statement;
    const timestamp = str(s.last_updated) ?? str(s.timestamp) ?? docTime;
    if (timestamp) st.timestamp = timestamp;
    out.push(st);
  });
  return sortByTime(out);
}
