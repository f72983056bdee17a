/**
 * Which format a report is, from its first bytes (never from its file name).
 *
 * The head is read with a small tolerant JSON scanner that stops wherever the head ends, collecting only what
 * identifies a format, wherever it appears among the top-level keys (key order and whitespace do not matter):
 * - Trivy JSON: `SchemaVersion` 2 together with `Results`, `ArtifactName` or `ArtifactType`. Another
 *   SchemaVersion, and the legacy top-level list of `{Target, Vulnerabilities}` (Trivy < 0.20), are ReportErrors.
 * - Grype JSON: a top-level `matches` array.
 * - Snyk JSON: `vulnerabilities` plus Snyk project fields (`packageManager`, `projectName`, `uniqueCount`, …) or a
 *   first vulnerability that is Snyk's (`SNYK-…` id, or `packageName` with `from`/`semver`/`upgradePath`); also
 *   as an array of such projects. Snyk's error document (`{"ok": false, "error": …}`) is a ReportError.
 * - SARIF: `runs` with `version` 2.1.0, or a `$schema` naming SARIF; another SARIF version is a ReportError.
 * - OpenVEX: `@context` naming openvex. CycloneDX: `bomFormat` "CycloneDX", or a `$schema` naming cyclonedx.
 *
 * When the head ends before anything conclusive, `detectFormat` returns undefined: read more bytes and call again,
 * with `{ complete: true }` once the head is the whole file (then an undecided head is an unknown format).
 * Empty input, input that is not JSON, and unknown formats are ReportErrors naming the file.
 */
import { ReportError, type ReportFormat } from '../types.js';

export type DetectedFormat = ReportFormat | 'openvex' | 'cyclonedx';

export interface DetectOptions {
  /** The head is the whole content: an undecided head is an error instead of `undefined`. */
  complete?: boolean;
}

type Marker = 'object' | 'array';
type Seen = string | number | boolean | null | Marker;

interface Facts {
  root?: Marker;
  /** Keys (and scalar values) of the top-level object, or of the first element of a top-level array. */
  top: Map<string, Seen>;
  /** Keys (and scalar values) of the first element of `vulnerabilities`. */
  firstVuln: Map<string, Seen>;
  /** Strings of `@context` (a string or an array of strings). */
  context: string[];
  /** The whole top-level value was read. */
  closed: boolean;
}

interface Frame {
  kind: Marker;
  path: (string | number)[];
  index: number;
  key?: string;
  expectKey: boolean;
}

const DEEP: (string | number)[] = ['\u0000deep'];

/** Scans as much of the head as is there; never throws on truncation, only on text that is not JSON at all. */
function scan(head: string): Facts {
  const facts: Facts = { top: new Map(), firstVuln: new Map(), context: [], closed: false };
  const stack: Frame[] = [];
  let i = 0;
  const n = head.length;
  const ws = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  // The "project" prefix: [] for an object root, [0] for an array root.
  const project = () => (facts.root === 'array' ? 1 : 0);
  const record = (path: (string | number)[], value: Seen) => {
    const base = project();
    if (facts.root === 'array' && path[0] !== 0) return;
    const rel = path.slice(base);
    if (rel[0] === '@context' && rel.length <= 2 && typeof value === 'string') facts.context.push(value);
    if (rel.length === 1 && typeof rel[0] === 'string' && !facts.top.has(rel[0])) facts.top.set(rel[0], value);
    else if (rel.length === 3 && rel[0] === 'vulnerabilities' && rel[1] === 0 && typeof rel[2] === 'string') facts.firstVuln.set(rel[2], value);
  };
  const valuePath = (): (string | number)[] | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    // Detection only looks a few levels deep; sharing one path below that keeps deep nesting linear.
    if (stack.length >= 6) return DEEP;
    if (top.kind === 'array') return [...top.path, top.index];
    return top.key === undefined ? undefined : [...top.path, top.key];
  };
  const afterValue = () => {
    const top = stack[stack.length - 1];
    if (!top) {
      facts.closed = true;
      return;
    }
    if (top.kind === 'array') top.index++;
    else {
      top.key = undefined;
      top.expectKey = true;
    }
  };
  const readString = (): string | undefined => {
    // i is at the opening quote; returns undefined when the head ends inside the string.
    let out = '';
    let j = i + 1;
    while (j < n) {
      const c = head.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return out;
      }
      if (c === 0x5c) {
        if (j + 1 >= n) return undefined;
        const e = head[j + 1];
        if (e === 'u') {
          if (j + 5 >= n) return undefined;
          out += String.fromCharCode(parseInt(head.slice(j + 2, j + 6), 16));
          j += 6;
          continue;
        }
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'b' ? '\b' : e === 'f' ? '\f' : e;
        j += 2;
        continue;
      }
      out += head[j];
      j++;
    }
    return undefined;
  };
  while (i < n && !facts.closed) {
    const c = head.charCodeAt(i);
    if (ws(c) || c === 0xfeff) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top && top.kind === 'object' && top.expectKey) {
      if (c === 0x22) {
        const k = readString();
        if (k === undefined) return facts;
        top.key = k;
        top.expectKey = false;
        continue;
      }
      if (c === 0x7d) {
        stack.pop();
        i++;
        afterValue();
        continue;
      }
      if (c === 0x2c) {
        i++;
        continue;
      }
      throw new Error(`unexpected "${head[i]}" where a key should be`);
    }
    if (c === 0x3a || c === 0x2c) {
      i++;
      continue;
    }
    if (c === 0x5d) {
      if (!top || top.kind !== 'array') throw new Error('unbalanced "]"');
      stack.pop();
      i++;
      afterValue();
      continue;
    }
    if (c === 0x7d) throw new Error('unbalanced "}"');
    const path = valuePath();
    if (path === undefined) throw new Error(`unexpected "${head[i]}"`);
    if (c === 0x7b || c === 0x5b) {
      const kind: Marker = c === 0x7b ? 'object' : 'array';
      if (stack.length === 0) facts.root = kind;
      else record(path, kind);
      stack.push({ kind, path, index: 0, expectKey: kind === 'object' });
      i++;
      continue;
    }
    if (stack.length === 0 && c !== 0x22 && !/[-0-9tfn]/.test(head[i])) throw new Error('not JSON');
    if (c === 0x22) {
      const s = readString();
      if (s === undefined) return facts;
      if (stack.length > 0) record(path, s);
      afterValue();
      continue;
    }
    const rest = head.slice(i, i + 64);
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (!m) {
      // The head may end inside a literal or a number ("tr", "-").
      if (i + rest.length >= n && ['true', 'false', 'null', '-'].some((w) => w.startsWith(rest))) return facts;
      throw new Error(`unexpected "${head[i]}"`);
    }
    // A number that touches the end of the head may be cut short.
    if (i + m[0].length >= n && !/^(true|false|null)$/.test(m[0])) return facts;
    i += m[0].length;
    const v = m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
    if (stack.length > 0) record(path, v);
    afterValue();
  }
  return facts;
}

const SNYK_PROJECT_KEYS = [
  'packageManager',
  'projectName',
  'uniqueCount',
  'dependencyCount',
  'displayTargetFile',
  'licensesPolicy',
  'ignoreSettings',
  'filesystemPolicy'
];
const TRIVY_KEYS = ['Results', 'ArtifactName', 'ArtifactType'];

/** Returns the format, or undefined when the head is not conclusive (unless `complete`). */
export function detectFormat(head: string, file: string, options: DetectOptions = {}): DetectedFormat | undefined {
  const text = head.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    if (text === '' || options.complete) throw new ReportError(file, 'the report is empty');
    return undefined;
  }
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw new ReportError(file, `not a JSON report (it starts with ${JSON.stringify(text.trimStart().slice(0, 20))})`);
  let facts: Facts;
  try {
    facts = scan(text);
  } catch (e) {
    throw new ReportError(file, `not valid JSON near the start: ${(e as Error).message}`);
  }
  const decided = decide(facts, file);
  if (decided !== undefined) return decided;
  if (options.complete || facts.closed) throw new ReportError(file, unknownDetail(facts));
  return undefined;
}

function decide(f: Facts, file: string): DetectedFormat | undefined {
  const top = f.top;
  const has = (k: string) => top.has(k);
  // Trivy's legacy list format: [{"Target": …, "Vulnerabilities": …}, …].
  if (f.root === 'array' && has('Target') && !has('vulnerabilities'))
    throw new ReportError(file, 'legacy Trivy JSON (a top-level list, Trivy < 0.20) is not supported: re-run Trivy 0.20 or later (SchemaVersion 2)');
  if (f.root === 'object' && has('SchemaVersion')) {
    const v = top.get('SchemaVersion');
    if (v !== 2) throw new ReportError(file, `Trivy SchemaVersion ${JSON.stringify(v)} is not supported: use Trivy 0.20 or later (SchemaVersion 2)`);
    if (TRIVY_KEYS.some(has)) return 'trivy';
  }
  if (f.root === 'object' && top.get('matches') === 'array') return 'grype';
  if (f.context.some((c) => /openvex/i.test(c))) return 'openvex';
  if (typeof top.get('bomFormat') === 'string') {
    if (top.get('bomFormat') === 'CycloneDX') return 'cyclonedx';
  }
  const schema = top.get('$schema');
  if (typeof schema === 'string' && /cyclonedx/i.test(schema)) return 'cyclonedx';
  if (f.root === 'object' && (has('runs') || (typeof schema === 'string' && /sarif/i.test(schema)))) {
    const version = top.get('version');
    if (version !== undefined && version !== '2.1.0') throw new ReportError(file, `SARIF version ${JSON.stringify(version)} is not supported (only 2.1.0)`);
    if (version === '2.1.0' || (typeof schema === 'string' && /sarif/i.test(schema))) return 'sarif';
  }
  if (has('vulnerabilities')) {
    const snykProject = SNYK_PROJECT_KEYS.some(has);
    const id = f.firstVuln.get('id');
    const snykVuln =
      (typeof id === 'string' && /^SNYK-/i.test(id)) ||
      (f.firstVuln.has('packageName') && (f.firstVuln.has('from') || f.firstVuln.has('semver') || f.firstVuln.has('upgradePath')));
    if (snykProject || snykVuln) return 'snyk';
  }
  if (top.get('ok') === false && typeof top.get('error') === 'string')
    throw new ReportError(file, `Snyk reported an error instead of results: ${String(top.get('error'))}`);
  return undefined;
}

function unknownDetail(f: Facts): string {
  if (f.root === 'object' && f.top.has('Results'))
    return 'unknown report format: Trivy-like Results without SchemaVersion (only Trivy SchemaVersion 2 is supported)';
  const keys = [...f.top.keys()].slice(0, 8);
  const shape = f.root === 'array' ? 'a list' : 'an object';
  return `unknown report format: ${shape}${keys.length ? ` with keys ${keys.join(', ')}` : ''}; expected Trivy JSON, Grype JSON, Snyk JSON, SARIF 2.1.0, OpenVEX or CycloneDX`;
}
