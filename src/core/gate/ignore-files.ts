/**
 * Legacy ignore files → IgnoreRule records, so a repository that already keeps `.trivyignore`,
 * `.trivyignore.yaml` or `.grype.yaml` gets the same findings hidden by the gate. Pure: the caller reads the file
 * and passes its text and name (for messages and `source`).
 *
 * - `.trivyignore`: one id per line; `#` comment lines; `exp:YYYY-MM-DD` after the id sets the expiry; other
 *   fields are ignored, as Trivy does. Reason: the text after an inline `#`, else the comment lines directly above
 *   the entry's block (no blank line between), else "from .trivyignore". Rules apply to every kind of finding.
 * - `.trivyignore.yaml`: `vulnerabilities`, `misconfigurations`, `secrets` (and `licenses`, accepted but
 *   producing nothing: the gate judges no licenses) lists of `{id, paths, purls, expired_at, statement}`.
 *   Reason: `statement`, else "from .trivyignore.yaml". One rule per purl, with `package` set to the purl's
 *   package name so that even a policy reading only IgnoreRule's fields scopes it to that package.
 * - `.grype.yaml`: the `ignore:` list (the file's other keys are Grype settings, not read) of
 *   `{vulnerability, reason, fix-state, package: {name, version, type, location}, include-aliases}`.
 *   Reason: `reason`, else "from .grype.yaml". Entries with `vex-status` configure how Grype applies VEX documents
 *   and are skipped (the gate applies VEX itself). `namespace`, `match-type`, `package.language` and
 *   `package.upstream-name` are ConfigErrors: we cannot honour them, and dropping them would widen the rule.
 *
 * Expiry: Trivy drops an entry once the current time is after `exp`/`expired_at` (midnight UTC of that day), so the
 * entry's last valid day is the day before; `until` (valid through that day, UTC) is therefore one day earlier
 * than the date written. Our own config requires a reason; these files do not, hence the "from <file>" reasons.
 *
 * Our IgnoreRule names one finding id. Trivy's id-less entries (paths/purls only) and Grype rules without
 * `vulnerability` (e.g. `fix-state: wont-fix` alone) are ConfigErrors naming the line: list the ids, or use the
 * gate's only-fixable setting. The narrowing the legacy syntaxes allow beyond id/package (paths, purls, version,
 * package type, location, fix state, kind) is kept on LegacyIgnoreRule; `legacyConstraintsMatch` evaluates it.
 *
 * Malformed input (bad YAML, wrong types, unknown keys, bad dates, bad purls) is a ConfigError with file:line.
 */
import { load, YAMLException } from 'js-yaml';
import { minimatch } from 'minimatch';
import { ConfigError } from '../config/load.js';
import { lineOf, yamlPositions } from '../config/yaml-positions.js';
import type { IgnoreRule, ScanFinding, ScanKind } from './types.js';
import { parsePurl, purlMatches, type Purl } from './vex/match.js';

export type LegacyIgnoreSyntax = 'trivyignore' | 'trivyignore-yaml' | 'grype';

export interface LegacyIgnoreRule extends IgnoreRule {
  syntax: LegacyIgnoreSyntax;
  /** Kinds of findings the rule is for (the .trivyignore.yaml section); undefined = every kind. */
  kinds?: ScanKind[];
  /** Trivy `paths`: globs over the finding's location file or target; one must match. */
  paths?: string[];
  /** Trivy `purls`: the finding's purl must match one (version and qualifiers only when given). */
  purls?: string[];
  /** Grype `package.version`: exact. */
  version?: string;
  /** Grype `package.type` (deb, rpm, apk, npm, python, go-module, java-archive, …). */
  packageType?: string;
  /** Grype `package.location`: glob over the finding's target (Grype's artifact location). */
  location?: string;
  /** Grype `fix-state`: the finding's status (Grype fix.state). */
  fixState?: string;
}

const REASON: Record<LegacyIgnoreSyntax, string> = {
  trivyignore: 'from .trivyignore',
  'trivyignore-yaml': 'from .trivyignore.yaml',
  grype: 'from .grype.yaml'
};

/** Which legacy syntax a file name suggests (the caller may know better). */
export function legacyIgnoreSyntax(file: string): LegacyIgnoreSyntax | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (base === '.trivyignore') return 'trivyignore';
  if (/^\.?trivyignore\.ya?ml$/.test(base)) return 'trivyignore-yaml';
  if (/^\.?grype\.ya?ml$/.test(base)) return 'grype';
  return undefined;
}

export function parseLegacyIgnore(text: string, file: string, syntax: LegacyIgnoreSyntax): LegacyIgnoreRule[] {
  if (syntax === 'trivyignore') return parseTrivyIgnore(text, file);
  if (syntax === 'trivyignore-yaml') return parseTrivyIgnoreYaml(text, file);
  return parseGrypeIgnore(text, file);
}

/** `YYYY-MM-DD` → the day before (UTC), or undefined when it is not a real date. */
function dayBefore(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) return undefined;
  return new Date(t - 86_400_000).toISOString().slice(0, 10);
}

/** An expiry instant (date, or date-time) → the last full UTC day before it. */
function untilFromExpiry(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : dayBefore(value.toISOString().slice(0, 10));
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return dayBefore(s);
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : dayBefore(new Date(ms).toISOString().slice(0, 10));
}

export function parseTrivyIgnore(text: string, file: string): LegacyIgnoreRule[] {
  const out: LegacyIgnoreRule[] = [];
  let comment: string[] = [];
  let blockComment: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      comment = [];
      blockComment = undefined;
      return;
    }
    if (line.startsWith('#')) {
      if (blockComment !== undefined) {
        comment = [];
        blockComment = undefined;
      }
      const c = line.replace(/^#+\s*/, '').trim();
      if (c) comment.push(c);
      return;
    }
    if (blockComment === undefined) blockComment = comment.join(' ');
    const hash = line.search(/\s#/);
    const inline =
      hash >= 0
        ? line
            .slice(hash)
            .replace(/^\s*#+\s*/, '')
            .trim()
        : '';
    const fields = (hash >= 0 ? line.slice(0, hash) : line).split(/\s+/);
    const rule: LegacyIgnoreRule = {
      id: fields[0],
      reason: inline || blockComment || REASON.trivyignore,
      source: { file, line: i + 1 },
      syntax: 'trivyignore'
    };
    for (const f of fields.slice(1)) {
      if (!f.startsWith('exp:')) continue;
      const until = dayBefore(f.slice(4));
      if (!until) throw new ConfigError(file, i + 1, `invalid expiry "${f}" for ${fields[0]}: expected exp:YYYY-MM-DD`);
      rule.until = until;
    }
    out.push(rule);
  });
  return out;
}

interface Yaml {
  data: unknown;
  line: (pointer: string) => number;
}

function loadYaml(text: string, file: string): Yaml | undefined {
  if (text.split(/\r?\n/).every((l) => l.trim() === '' || l.trim().startsWith('#') || l.trim() === '---')) return undefined;
  let data: unknown;
  try {
    data = load(text);
  } catch (e) {
    if (e instanceof YAMLException) throw new ConfigError(file, (e.mark?.line ?? 0) + 1, `invalid YAML: ${e.reason}`);
    throw e;
  }
  const positions = yamlPositions(text);
  return { data, line: (pointer) => lineOf(positions, pointer) };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function stringList(v: unknown, file: string, line: number, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) throw new ConfigError(file, line, `${what} must be a list of strings`);
  return (v as string[]).map((x) => x.trim());
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The package name a purl stands for, as scanners report it (maven group:artifact, npm @scope/name, Go module path). */
export function purlPackageName(p: Purl): string {
  if (!p.namespace) return p.name;
  if (p.type === 'maven') return `${p.namespace}:${p.name}`;
  if (['npm', 'golang', 'composer', 'swift', 'github', 'cocoapods'].includes(p.type)) return `${p.namespace}/${p.name}`;
  return p.name;
}

const TRIVY_SECTIONS: Record<string, ScanKind | null> = {
  vulnerabilities: 'vulnerability',
  misconfigurations: 'misconfiguration',
  secrets: 'secret',
  licenses: null
};
const TRIVY_ENTRY_KEYS = new Set(['id', 'paths', 'purls', 'expired_at', 'statement']);

export function parseTrivyIgnoreYaml(text: string, file: string): LegacyIgnoreRule[] {
  const y = loadYaml(text, file);
  if (!y || y.data === null || y.data === undefined) return [];
  if (!isMap(y.data)) throw new ConfigError(file, 1, 'a .trivyignore.yaml file must be a mapping of vulnerabilities, misconfigurations, secrets, licenses');
  const out: LegacyIgnoreRule[] = [];
  for (const [section, entries] of Object.entries(y.data)) {
    const sp = `/${section.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!(section in TRIVY_SECTIONS))
      throw new ConfigError(file, y.line(sp), `unknown key "${section}": expected vulnerabilities, misconfigurations, secrets or licenses`);
    if (entries === null || entries === undefined) continue;
    if (!Array.isArray(entries)) throw new ConfigError(file, y.line(sp), `"${section}" must be a list`);
    const kind = TRIVY_SECTIONS[section];
    entries.forEach((entry, i) => {
      const ep = `${sp}/${i}`;
      const line = y.line(ep);
      if (!isMap(entry)) throw new ConfigError(file, line, `${section} entries must be mappings with an id`);
      for (const k of Object.keys(entry))
        if (!TRIVY_ENTRY_KEYS.has(k))
          throw new ConfigError(file, y.line(`${ep}/${k}`), `unknown key "${k}" in a ${section} entry: expected id, paths, purls, expired_at, statement`);
      const id = scalarString(entry.id);
      if (!id)
        throw new ConfigError(
          file,
          line,
          `${section} entry without an id: container-guard ignores name a finding id; list the ids (id-less path or purl entries would hide every finding there)`
        );
      const paths = stringList(entry.paths, file, y.line(`${ep}/paths`), 'paths');
      const purls = stringList(entry.purls, file, y.line(`${ep}/purls`), 'purls');
      const parsed = purls.map((p, j) => {
        const pu = parsePurl(p);
        if (!pu) throw new ConfigError(file, y.line(`${ep}/purls/${j}`), `"${p}" is not a package URL (pkg:type/name)`);
        return pu;
      });
      let until: string | undefined;
      if (entry.expired_at !== undefined && entry.expired_at !== null) {
        until = untilFromExpiry(entry.expired_at);
        if (!until) throw new ConfigError(file, y.line(`${ep}/expired_at`), `expired_at ${JSON.stringify(entry.expired_at)} is not a date (YYYY-MM-DD)`);
      }
      if (entry.statement !== undefined && entry.statement !== null && typeof entry.statement !== 'string')
        throw new ConfigError(file, y.line(`${ep}/statement`), 'statement must be a string');
      if (kind === null) return;
      const base: LegacyIgnoreRule = {
        id,
        reason: scalarString(entry.statement) ?? REASON['trivyignore-yaml'],
        source: { file, line },
        syntax: 'trivyignore-yaml',
        kinds: [kind]
      };
      if (until) base.until = until;
      if (paths.length > 0) base.paths = paths;
      if (parsed.length === 0) out.push(base);
      else parsed.forEach((p, j) => out.push({ ...base, package: purlPackageName(p), purls: [purls[j]] }));
    });
  }
  return out;
}

const GRYPE_KEYS = new Set([
  'vulnerability',
  'reason',
  'fix-state',
  'package',
  'include-aliases',
  'vex-status',
  'vex-justification',
  'namespace',
  'match-type'
]);
const GRYPE_UNSUPPORTED = new Set(['namespace', 'match-type']);
const GRYPE_PACKAGE_KEYS = new Set(['name', 'version', 'type', 'location', 'language', 'upstream-name']);
const GRYPE_PACKAGE_UNSUPPORTED = new Set(['language', 'upstream-name']);
const FIX_STATES = new Set(['fixed', 'not-fixed', 'wont-fix', 'unknown']);

export function parseGrypeIgnore(text: string, file: string): LegacyIgnoreRule[] {
  const y = loadYaml(text, file);
  if (!y || y.data === null || y.data === undefined) return [];
  if (!isMap(y.data)) throw new ConfigError(file, 1, 'a Grype config file must be a mapping');
  const list = y.data.ignore;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConfigError(file, y.line('/ignore'), '"ignore" must be a list of rules');
  const out: LegacyIgnoreRule[] = [];
  list.forEach((entry, i) => {
    const ep = `/ignore/${i}`;
    const line = y.line(ep);
    if (!isMap(entry)) throw new ConfigError(file, line, 'ignore rules must be mappings');
    for (const k of Object.keys(entry)) {
      if (!GRYPE_KEYS.has(k)) throw new ConfigError(file, y.line(`${ep}/${k}`), `unknown key "${k}" in a Grype ignore rule`);
      if (GRYPE_UNSUPPORTED.has(k))
        throw new ConfigError(
          file,
          y.line(`${ep}/${k}`),
          `Grype ignore key "${k}" is not supported by container-guard (the rule would hide more than intended)`
        );
    }
    if (entry['vex-status'] !== undefined) return;
    const id = scalarString(entry.vulnerability);
    if (!id)
      throw new ConfigError(
        file,
        line,
        'Grype ignore rule without "vulnerability": container-guard ignores name a finding id; list the ids, or use the gate\'s only-fixable setting for fix-state rules'
      );
    const rule: LegacyIgnoreRule = { id, reason: scalarString(entry.reason) ?? REASON.grype, source: { file, line }, syntax: 'grype' };
    if (entry['include-aliases'] !== undefined && typeof entry['include-aliases'] !== 'boolean')
      throw new ConfigError(file, y.line(`${ep}/include-aliases`), 'include-aliases must be true or false');
    if (entry['fix-state'] !== undefined) {
      const fs = scalarString(entry['fix-state']);
      if (!fs || !FIX_STATES.has(fs)) throw new ConfigError(file, y.line(`${ep}/fix-state`), 'fix-state must be one of fixed, not-fixed, wont-fix, unknown');
      rule.fixState = fs;
    }
    if (entry.package !== undefined && entry.package !== null) {
      const pkg = entry.package;
      if (!isMap(pkg)) throw new ConfigError(file, y.line(`${ep}/package`), 'package must be a mapping (name, version, type, location)');
      for (const k of Object.keys(pkg)) {
        if (!GRYPE_PACKAGE_KEYS.has(k)) throw new ConfigError(file, y.line(`${ep}/package/${k}`), `unknown key "${k}" in package`);
        if (GRYPE_PACKAGE_UNSUPPORTED.has(k))
          throw new ConfigError(
            file,
            y.line(`${ep}/package/${k}`),
            `Grype ignore key "package.${k}" is not supported by container-guard (the rule would hide more than intended)`
          );
        if (pkg[k] !== null && scalarString(pkg[k]) === undefined)
          throw new ConfigError(file, y.line(`${ep}/package/${k}`), `package.${k} must be a non-empty string`);
      }
      const name = scalarString(pkg.name);
      if (name) rule.package = name;
      const version = scalarString(pkg.version);
      if (version) rule.version = version;
      const type = scalarString(pkg.type);
      if (type) rule.packageType = type;
      const location = scalarString(pkg.location);
      if (location) rule.location = location;
    }
    out.push(rule);
  });
  return out;
}

/** Grype package types → purl types, to check `package.type` against a finding's purl. */
const GRYPE_TYPE_TO_PURL: Record<string, string[]> = {
  apk: ['apk'],
  deb: ['deb'],
  rpm: ['rpm'],
  npm: ['npm'],
  python: ['pypi'],
  'go-module': ['golang'],
  'java-archive': ['maven'],
  'jenkins-plugin': ['maven'],
  gem: ['gem'],
  'rust-crate': ['cargo'],
  dotnet: ['nuget'],
  'php-composer': ['composer'],
  'dart-pub': ['pub'],
  hex: ['hex'],
  conan: ['conan'],
  cocoapods: ['cocoapods'],
  alpm: ['alpm']
};

/**
 * True when the finding meets the narrowing a legacy rule carries beyond id and package (kinds, paths, purls,
 * version, package type, location, fix state); true for rules without any. A constraint that cannot be checked
 * (the finding has no purl, no location…) does not match: the finding stays visible.
 */
export function legacyConstraintsMatch(rule: IgnoreRule, f: ScanFinding): boolean {
  const r = rule as Partial<LegacyIgnoreRule>;
  if (r.kinds && !r.kinds.includes(f.kind)) return false;
  const files = [f.location?.file, f.target].filter((x): x is string => !!x);
  if (
    r.paths &&
    r.paths.length > 0 &&
    !files.some((file) => r.paths?.some((g) => minimatch(file, g, { dot: true }) || minimatch(file.replace(/^\/+/, ''), g, { dot: true })))
  )
    return false;
  const purl = f.purl ? parsePurl(f.purl) : undefined;
  if (r.purls && r.purls.length > 0) {
    if (!purl) return false;
    if (
      !r.purls.some((p) => {
        const pp = parsePurl(p);
        return pp !== undefined && purlMatches(pp, purl);
      })
    )
      return false;
  }
  if (r.version !== undefined && f.version !== r.version) return false;
  if (r.packageType !== undefined) {
    const types = GRYPE_TYPE_TO_PURL[r.packageType] ?? [r.packageType];
    if (!purl || !types.includes(purl.type)) return false;
  }
  if (r.location !== undefined && !files.some((file) => minimatch(file, r.location as string, { dot: true }))) return false;
  if (r.fixState !== undefined && f.status !== r.fixState) return false;
  return true;
}
