/**
 * Reading the findings files the other actions write, and merging them.
 *
 * Accepted shapes (detected from content, never from the file name):
 *   - lint:   {"findings": [...], "summary": {"files", "counts", "suppressed": n, "errors"}}
 *   - gate:   {"findings": [...], "summary": {"passed", "reason", "counts", "suppressed": n}}
 *   - gate result file / `--format json`: {"passed", "reason", "counts", "findings": [...], "suppressed": [{..., "reason"}]}
 *   - verify and anything else: {"findings": [...], "summary"?: ..., "tool"?: "verify"}
 *   - a bare array of findings.
 *
 * Every finding is checked; the first bad one throws a FindingsFileError that
 * names the file and the entry (`findings[3]`), so a broken upstream step is
 * never read as "no problems". Optional fields that are absent get the same
 * defaults the other outputs use (column 1, endLine = line, no aliases, no
 * help); present fields of the wrong type are errors. Findings that carry
 * `suppressedBy` are not shown: they count as suppressed.
 */
import { compareFindings, severityRank, type Finding, type Fix, type Severity } from '../finding.js';
import type { ToolReport } from './types.js';

export class FindingsFileError extends Error {
  /** The findings file, as given. */
  readonly file: string;
  /** Index of the bad entry in its array, when one entry is at fault. */
  readonly index?: number;

  constructor(file: string, detail: string, index?: number) {
    super(`${file}: ${detail}`);
    this.name = 'FindingsFileError';
    this.file = file;
    this.index = index;
  }
}

export interface ParsedFindingsFile {
  findings: Finding[];
  /** The file's `summary`, as written (not interpreted beyond `report`). */
  summary?: unknown;
  /** The tool that wrote the file, when it can be told: a top-level `tool`, the findings' own `tool`, or the summary's shape. */
  tool?: string;
  /** Suppressed counts and the gate's verdict, when the file carries them. */
  report?: ToolReport;
  /**
   * Which job already turned these findings into annotations (`{"run", "job"}` that lint, gate and
   * verify write): the comment action does not annotate them again in that same job.
   */
  annotated?: { run: string; job: string };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    // Nested deeper than the stack allows (a hostile file): say what it is, not what is in it.
    s = Array.isArray(v) ? 'a deeply nested array' : typeof v === 'object' && v !== null ? 'a deeply nested object' : typeof v;
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

function checkFix(raw: unknown, fail: (detail: string) => never): Fix {
  if (!isObject(raw)) fail(`"fix" must be an object with line, endLine and replacement (got ${show(raw)})`);
  if (!isPositiveInt(raw.line)) fail(`"fix.line" must be an integer >= 1 (got ${show(raw.line)})`);
  const endLine = raw.endLine === undefined ? raw.line : raw.endLine;
  if (!isPositiveInt(endLine) || endLine < raw.line) fail(`"fix.endLine" must be an integer >= fix.line (got ${show(raw.endLine)})`);
  if (typeof raw.replacement !== 'string') fail(`"fix.replacement" must be a string (got ${show(raw.replacement)})`);
  const fix: Fix = { line: raw.line, endLine, replacement: raw.replacement };
  if (raw.description !== undefined) {
    if (typeof raw.description !== 'string') fail(`"fix.description" must be a string (got ${show(raw.description)})`);
    fix.description = raw.description;
  }
  return fix;
}

/** Checks one entry and returns a clean Finding (only the Finding keys, in the documented order). */
function checkFinding(raw: unknown, fail: (detail: string) => never): Finding {
  if (!isObject(raw)) fail(`expected a finding object (got ${show(raw)})`);
  const str = (key: string, required: boolean, nonEmpty: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (nonEmpty && v.trim() === '')) fail(`"${key}" must be a${nonEmpty ? ' non-empty' : ''} string (got ${show(v)})`);
    return v;
  };
  const ruleId = str('ruleId', true, true) as string;
  const severity = raw.severity;
  if (severity !== 'error' && severity !== 'warning' && severity !== 'note') fail(`"severity" must be error, warning or note (got ${show(severity)})`);
  const file = str('file', true, true) as string;
  if (!isPositiveInt(raw.line)) fail(`"line" must be an integer >= 1 (got ${show(raw.line)})`);
  const line = raw.line;
  const column = raw.column === undefined ? 1 : raw.column;
  if (!isPositiveInt(column)) fail(`"column" must be an integer >= 1 (got ${show(raw.column)})`);
  const endLine = raw.endLine === undefined ? line : raw.endLine;
  if (!isPositiveInt(endLine) || endLine < line) fail(`"endLine" must be an integer >= line (got ${show(raw.endLine)})`);
  const message = str('message', true, false) as string;
  let aliases: string[] = [];
  if (raw.aliases !== undefined) {
    if (!Array.isArray(raw.aliases) || raw.aliases.some((a) => typeof a !== 'string')) fail(`"aliases" must be an array of strings (got ${show(raw.aliases)})`);
    aliases = [...(raw.aliases as string[])];
  }
  const help = str('help', false, false) ?? '';
  const finding: Finding = { ruleId, aliases, severity: severity as Severity, file, line, column, endLine, message, help };
  if (raw.fix !== undefined) finding.fix = checkFix(raw.fix, fail);
  const tool = str('tool', false, true);
  if (tool !== undefined) finding.tool = tool;
  const snippet = str('snippet', false, false);
  if (snippet !== undefined) finding.snippet = snippet;
  if (raw.suppressedBy !== undefined) {
    if (raw.suppressedBy !== 'inline' && raw.suppressedBy !== 'config') fail(`"suppressedBy" must be inline or config (got ${show(raw.suppressedBy)})`);
    finding.suppressedBy = raw.suppressedBy;
  }
  return finding;
}

/** `vex: not_affected by …` → `vex`; anything without a `kind:` prefix counts as `other`. */
function reasonKind(reason: unknown): string {
  if (typeof reason !== 'string') return 'other';
  const m = /^\s*([A-Za-z][\w-]*)\s*:/.exec(reason);
  return m ? m[1].toLowerCase() : 'other';
}

function addCount(to: Record<string, number>, key: string, n = 1): void {
  // Own properties only: a reason named "constructor" or "__proto__" is a key like any other.
  to[key] = (Object.hasOwn(to, key) ? to[key]! : 0) + n;
}

/**
 * Parses one findings file. `file` is only used in error messages. Findings
 * without a `tool` get the file's tool when it can be told.
 */
export function parseFindingsFile(text: string, file: string): ParsedFindingsFile {
  if (text.trim() === '') throw new FindingsFileError(file, 'the file is empty (expected the JSON findings file of lint, gate or verify)');
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new FindingsFileError(file, `not valid JSON (${(e as Error).message})`);
  }

  let entries: unknown[];
  let where: string;
  let top: Json | undefined;
  if (Array.isArray(doc)) {
    entries = doc;
    where = '';
  } else if (isObject(doc) && Array.isArray(doc.findings)) {
    entries = doc.findings;
    where = 'findings';
    top = doc;
  } else {
    const got = isObject(doc) ? (doc.findings === undefined ? 'an object without "findings"' : `"findings": ${show(doc.findings)}`) : show(doc);
    throw new FindingsFileError(file, `expected {"findings": [...]} or an array of findings (got ${got})`);
  }

  const all = entries.map((raw, i) =>
    checkFinding(raw, (detail) => {
      throw new FindingsFileError(file, `${where}[${i}]: ${detail}`, i);
    })
  );

  const summary = top?.summary;
  const sum = isObject(summary) ? summary : undefined;
  if (top && top.tool !== undefined && (typeof top.tool !== 'string' || top.tool.trim() === ''))
    throw new FindingsFileError(file, `"tool" must be a non-empty string (got ${show(top.tool)})`);

  // Which tool wrote it: said outright, else what every finding says, else the summary's shape.
  const tools = new Set(all.map((f) => f.tool));
  let tool: string | undefined = typeof top?.tool === 'string' ? top.tool : undefined;
  if (tool === undefined && tools.size === 1) tool = [...tools][0];
  const gateShaped = typeof sum?.passed === 'boolean' || typeof top?.passed === 'boolean';
  if (tool === undefined && gateShaped) tool = 'gate';
  if (tool === undefined && typeof sum?.files === 'number') tool = 'lint';

  const findings: Finding[] = [];
  const suppressedBy: Record<string, number> = Object.create(null) as Record<string, number>;
  let suppressed = 0;
  for (const f of all) {
    if (f.tool === undefined && tool !== undefined) f.tool = tool;
    if (f.suppressedBy) {
      suppressed++;
      addCount(suppressedBy, f.suppressedBy);
    } else findings.push(f);
  }
  if (typeof sum?.suppressed === 'number' && Number.isFinite(sum.suppressed)) suppressed += sum.suppressed;
  if (Array.isArray(top?.suppressed)) {
    // The gate's result file: one entry per suppressed finding, each with `reason: "<kind>: <detail>"`.
    for (const s of top.suppressed) addCount(suppressedBy, reasonKind(isObject(s) ? s.reason : undefined));
    suppressed += top.suppressed.length;
  }

  const report: ToolReport = { tool: tool ?? 'other' };
  if (suppressed > 0) report.suppressed = suppressed;
  if (Object.keys(suppressedBy).length > 0) report.suppressedBy = suppressedBy;
  const verdict = typeof sum?.passed === 'boolean' ? sum : typeof top?.passed === 'boolean' ? top : undefined;
  if (verdict) {
    report.passed = verdict.passed as boolean;
    if (typeof verdict.reason === 'string') report.reason = verdict.reason;
  }

  const out: ParsedFindingsFile = { findings };
  if (summary !== undefined) out.summary = summary;
  if (tool !== undefined) out.tool = tool;
  if (report.suppressed !== undefined || report.passed !== undefined) out.report = report;
  const stamp = top?.annotated;
  if (isObject(stamp) && typeof stamp.run === 'string' && typeof stamp.job === 'string') out.annotated = { run: stamp.run, job: stamp.job };
  return out;
}

/**
 * Merges findings lists: duplicates by (tool, ruleId, file, line, message) are one finding, kept at the
 * most severe of their severities (a copy in another file, at a lower severity, must not let a finding
 * slip under `fail-on`; among equals the first is kept); the rest sorted by compareFindings; findings
 * that compare equal keep the order of the lists.
 */
export function mergeFindings(lists: readonly (readonly Finding[])[]): Finding[] {
  const at = new Map<string, number>();
  const out: Finding[] = [];
  for (const list of lists) {
    for (const f of list) {
      const key = JSON.stringify([f.tool ?? '', f.ruleId, f.file, f.line, f.message]);
      const i = at.get(key);
      if (i === undefined) {
        at.set(key, out.length);
        out.push(f);
      } else if (severityRank(f.severity) > severityRank(out[i]!.severity)) out[i] = f;
    }
  }
  return out.sort(compareFindings);
}
