/**
 * Which VEX statement applies to a finding. The rules are documented in docs/gate-vex.md; in short:
 * 1. the statement's vulnerability or one of its aliases equals the finding's id or one of its aliases
 *    (case-insensitive); only vulnerability findings are matched;
 * 2. products: none = every product. Otherwise one product must match: an image product (oci purl, docker purl or
 *    a plain image reference) matches the finding's image (normalised repository, tag when both give one, digest
 *    when the product gives one: the image reference's digest or the report's repo digests); a package purl
 *    matches the finding's purl (type, namespace, name; version and qualifiers only when the statement gives
 *    them). A product we cannot identify (govulncheck's "Unknown Product") only counts when the statement names
 *    subcomponents, which then decide;
 * 3. subcomponents, when present, must include the finding's package purl (same purl comparison); a package
 *    purl product with subcomponents cannot be verified without a dependency graph and does not match;
 * 4. of several matching statements the latest wins: by timestamp when every match has one, else the last one in
 *    the order given (parsers return each document's statements in timestamp order).
 */
import { imageName, parseImageRef } from '../../image-ref.js';
import type { ScanFinding, VexStatement } from '../types.js';

/** A statement with the time it was made (OpenVEX timestamp/last_updated, CycloneDX analysis dates). */
export interface TimedVexStatement extends VexStatement {
  timestamp?: string;
}

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Map<string, string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses `pkg:type/namespace/name@version?qualifiers#subpath`; undefined when it is not a purl. */
export function parsePurl(text: string): Purl | undefined {
  const m = /^pkg:\/*(.*)$/i.exec(text.trim());
  if (!m) return undefined;
  let rest = m[1];
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const qualifiers = new Map<string, string>();
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) qualifiers.set(decode(pair.slice(0, eq)).toLowerCase(), decode(pair.slice(eq + 1)));
    }
    rest = rest.slice(0, q);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    version = decode(rest.slice(at + 1)) || undefined;
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const type = parts[0].toLowerCase();
  const name = decode(parts[parts.length - 1]);
  const namespace = parts.length > 2 ? parts.slice(1, -1).map(decode).join('/') : undefined;
  return { type, namespace, name, version, qualifiers };
}

/** `pattern` (from a statement or an ignore rule) covers `target` (a finding's purl). */
export function purlMatches(pattern: Purl, target: Purl): boolean {
  if (pattern.type !== target.type) return false;
  if ((pattern.namespace ?? '').toLowerCase() !== (target.namespace ?? '').toLowerCase()) return false;
  if (pattern.name.toLowerCase() !== target.name.toLowerCase()) return false;
  if (pattern.version !== undefined && pattern.version !== target.version) return false;
  for (const [k, v] of pattern.qualifiers) if (target.qualifiers.get(k) !== v) return false;
  return true;
}

interface ImageProduct {
  /** `registry/repository`, normalised; undefined for an oci purl without repository_url (then `name` decides). */
  repository?: string;
  name: string;
  tag?: string;
  digest?: string;
}

interface FindingImage {
  repository: string;
  tag?: string;
  digests: string[];
}

const lastSegment = (repo: string) => repo.slice(repo.lastIndexOf('/') + 1);

/** An image product: `pkg:oci/…`, `pkg:docker/…`, or a plain image reference. Undefined otherwise. */
export function imageProduct(id: string): ImageProduct | undefined {
  const purl = parsePurl(id);
  if (purl) {
    if (purl.type === 'oci') {
      const url = purl.qualifiers
        .get('repository_url')
        ?.replace(/^[a-z]+:\/\//i, '')
        .replace(/\/+$/, '');
      let repository: string | undefined;
      if (url) {
        const ref = parseImageRef(lastSegment(url) === purl.name ? url : `${url}/${purl.name}`);
        if (!ref) return undefined;
        repository = imageName(ref);
      }
      return { repository, name: purl.name, tag: purl.qualifiers.get('tag'), digest: purl.version };
    }
    if (purl.type === 'docker') {
      const host = purl.qualifiers
        .get('repository_url')
        ?.replace(/^[a-z]+:\/\//i, '')
        .replace(/\/+$/, '');
      const path = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
      const ref = parseImageRef(host ? `${host}/${path}` : path);
      if (!ref) return undefined;
      const digest = purl.version && /^sha\d+:/i.test(purl.version) ? purl.version : undefined;
      return { repository: imageName(ref), name: purl.name, tag: digest ? undefined : purl.version, digest };
    }
    return undefined;
  }
  if (/\s/.test(id)) return undefined;
  const ref = parseImageRef(id);
  if (!ref) return undefined;
  const repository = imageName(ref);
  return { repository, name: lastSegment(repository), tag: ref.tag, digest: ref.digest };
}

function findingImage(image: string | undefined, repoDigests: readonly string[]): FindingImage | undefined {
  if (!image) return undefined;
  const ref = parseImageRef(image);
  if (!ref) return undefined;
  const digests = [ref.digest, ...repoDigests.map((d) => (d.includes('@') ? d.slice(d.indexOf('@') + 1) : d))]
    .filter((d): d is string => !!d)
    .map((d) => d.toLowerCase());
  return { repository: imageName(ref), tag: ref.tag ?? (ref.digest ? undefined : 'latest'), digests };
}

function imageMatches(p: ImageProduct, img: FindingImage): boolean {
  if (
    p.repository !== undefined
      ? p.repository.toLowerCase() !== img.repository.toLowerCase()
      : p.name.toLowerCase() !== lastSegment(img.repository).toLowerCase()
  )
    return false;
  if (p.digest !== undefined && !img.digests.includes(p.digest.toLowerCase())) return false;
  if (p.tag !== undefined && p.tag !== img.tag) return false;
  return true;
}

export interface VexContext {
  /** The report's repo digests (ReportMeta.repoDigests, `name@sha256:…`): lets digest-pinned products match. */
  repoDigests?: readonly string[];
}

function statementApplies(s: VexStatement, f: ScanFinding, img: FindingImage | undefined, purl: Purl | undefined): boolean {
  const ids = new Set([f.id, ...f.aliases].map((x) => x.trim().toLowerCase()));
  if (![s.vulnerability, ...s.aliases].some((x) => ids.has(x.trim().toLowerCase()))) return false;
  const subs = s.subcomponents.map(parsePurl).filter((p): p is Purl => p !== undefined);
  if (s.subcomponents.length > 0 && !(purl && subs.some((p) => purlMatches(p, purl)))) return false;
  if (s.products.length === 0) return true;
  return s.products.some((product) => {
    const ip = imageProduct(product);
    if (ip) return img !== undefined && imageMatches(ip, img);
    const pp = parsePurl(product);
    if (pp) return s.subcomponents.length === 0 && purl !== undefined && purlMatches(pp, purl);
    // Not an identifier we understand: only the subcomponents (checked above) scope the statement.
    return s.subcomponents.length > 0;
  });
}

function time(s: VexStatement): number | undefined {
  const t = (s as TimedVexStatement).timestamp;
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The statement that applies to a finding (the latest of those that match), or undefined. */
export function vexFor(finding: ScanFinding, statements: readonly VexStatement[], context: VexContext = {}): VexStatement | undefined {
  if (finding.kind !== 'vulnerability') return undefined;
  const img = findingImage(finding.image, context.repoDigests ?? []);
  const purl = finding.purl ? parsePurl(finding.purl) : undefined;
  const matches = statements.filter((s) => statementApplies(s, finding, img, purl));
  if (matches.length === 0) return undefined;
  const times = matches.map(time);
  if (times.every((t) => t !== undefined)) {
    let best = 0;
    for (let i = 1; i < matches.length; i++) if ((times[i] as number) >= (times[best] as number)) best = i;
    return matches[best];
  }
  return matches[matches.length - 1];
}

/** Stable sort by timestamp (statements without one keep their place relative to each other, first). */
export function sortByTime<T extends VexStatement>(statements: T[]): T[] {
  return statements
    .map((s, i) => ({ s, i, t: time(s) ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.s);
}
