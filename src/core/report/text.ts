/**
 * Human output for a terminal or a CI log, in the spirit of ESLint's stylish
 * and hadolint's tty formats:
 *
 *   Dockerfile:2:1  note  MAINTAINER is deprecated: use LABEL ...  [maintainer-deprecated]
 *       2 | MAINTAINER jane@example.com
 *         | ^
 *
 *   0 errors, 0 warnings, 1 note in 1 file
 *
 * `file:line:col` comes first so editors and terminals can link it. Only the
 * already-masked `snippet` is printed from the source; a fix is announced,
 * never printed. Control and bidi characters are neutralised so a hostile
 * Dockerfile cannot drive the terminal. ANSI color only when asked.
 */
import type { Finding, Severity } from '../finding.js';
import type { RunReport } from './types.js';
import { oneLine, plural, stripUnsafe } from './util.js';

export interface TextOptions {
  /** Emit ANSI colors. Default false: the caller decides (TTY, NO_COLOR, FORCE_COLOR). */
  color?: boolean;
}

type Paint = (code: string, s: string) => string;

const COLOR: Record<Severity, string> = { error: '31', warning: '33', note: '36' };
const SEVERITY_WIDTH = 'warning'.length;

/** Gutter + snippet + caret under `column` (1-based; clamped to the line). */
function snippetLines(f: Finding, paint: Paint): string[] {
  if (f.snippet === undefined) return [];
  const text = stripUnsafe(f.snippet);
  const num = String(f.line);
  const pad = ' '.repeat(Math.max(num.length, 4));
  const col = Math.min(Math.max(f.column, 1), text.length + 1);
  // Keep tabs before the caret so it lines up under tab-indented text.
  const lead = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  const caret = paint(COLOR[f.severity], '^');
  return [`${paint('2', `${num.padStart(pad.length)} |`)} ${text}`, `${paint('2', `${pad} |`)} ${lead}${caret}`];
}

function findingBlock(f: Finding, paint: Paint): string[] {
  const where = paint('1', `${oneLine(f.file)}:${f.line}:${f.column}`);
  const sev = paint(COLOR[f.severity], f.severity.padEnd(SEVERITY_WIDTH));
  const head = `${where}  ${sev}  ${oneLine(f.message)}  ${paint('2', `[${oneLine(f.ruleId)}]`)}`;
  const out = [head, ...snippetLines(f, paint)];
  if (f.fix) {
    const what = f.fix.description ? `: ${oneLine(f.fix.description)}` : '';
    out.push(paint('2', `    fix available${what}`));
  }
  return out;
}

/** The totals line: `1 error, 2 warnings, 0 notes in 3 files; 1 suppressed; 1 file could not be read`. */
export function totalsLine(report: RunReport): string {
  const c = report.counts;
  const parts = [`${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')} in ${plural(report.files.length, 'file')}`];
  if (report.suppressed.length > 0) parts.push(`${report.suppressed.length} suppressed`);
  const unreadable = new Set(report.errors.map((e) => e.file)).size;
  if (unreadable > 0) parts.push(`${plural(unreadable, 'file')} could not be read`);
  return parts.join('; ');
}

export function formatText(report: RunReport, options: TextOptions = {}): string {
  const paint: Paint = options.color ? (code, s) => `\u001b[${code}m${s}\u001b[0m` : (_code, s) => s;
  const blocks: string[][] = report.findings.map((f) => findingBlock(f, paint));

  // Unreadable files usually also arrive as parse-error findings; list only the others.
  const shown = new Set(report.findings.map((f) => `${f.file}\u0000${f.message}`));
  for (const e of report.errors) {
    if (shown.has(`${e.file}\u0000${e.message}`)) continue;
    blocks.push([`${paint('1', oneLine(e.file))}  ${paint(COLOR.error, 'error'.padEnd(SEVERITY_WIDTH))}  could not be read: ${oneLine(e.message)}`]);
  }

  const c = report.counts;
  const worst: Severity | undefined = c.error > 0 ? 'error' : c.warning > 0 ? 'warning' : c.note > 0 ? 'note' : undefined;
  const totals = worst ? paint(`1;${COLOR[worst]}`, totalsLine(report)) : paint('32', totalsLine(report));
  const body = blocks.map((b) => b.join('\n')).join('\n\n');
  return `${body ? `${body}\n\n` : ''}${totals}\n`;
}
