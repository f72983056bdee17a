/**
 * The GitHub job summary (GITHUB_STEP_SUMMARY) in GitHub-flavoured Markdown:
 * heading, totals table, unreadable files, a findings table and a collapsed
 * `<details>` with suppressed findings.
 *
 * GitHub refuses a step summary over 1 MiB ("supports content up to a size
 * of 1024k"), so rows are dropped from the end, in the order unreadable
 * files → findings → suppressed, until the document fits in `maxBytes`
 * (UTF-8), and each cut table says how many rows were left out.
 *
 * Every cell is escaped: `|`, `<`, `>`, `&`, backticks and the other inline
 * Markdown characters, line breaks and control/bidi characters, so a message
 * cannot break the table or inject HTML. No source text is printed here at
 * all (the snippet belongs to the text and SARIF outputs).
 */
import type { Finding, Severity } from '../finding.js';
import type { RunReport } from './types.js';
import { trustedHelpUrl } from '../comment/links.js';
import { byteLength, plural, stripUnsafe, toPosixPath } from './util.js';

export const SUMMARY_MAX_BYTES = 1024 * 1024;

export interface MarkdownOptions {
  /** Upper bound of the result's UTF-8 size. Default 1 MiB, GitHub's per-step summary limit. */
  maxBytes?: number;
  /** Heading text. Default: the tool name. */
  title?: string;
}

const LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', note: 'Note' };

/** Escapes text for one GFM table cell (also safe outside tables). */
export function escapeCell(s: string): string {
  return stripUnsafe(s.replace(/\r\n|\r|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|]/g, (c) => `\\${c}`);
}

/** A link target that cannot end the link or the table cell early. */
function safeUrl(url: string): string {
  return url.replace(/[()|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function sizeText(n: number): string {
  if (n % 1048576 === 0) return `${n / 1048576} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function findingRow(f: Finding): string {
  // Help URLs may come from a fork's findings file (the comment action's summary): only known hosts are links.
  const url = trustedHelpUrl(f.help);
  const rule = url ? `[${escapeCell(f.ruleId)}](${safeUrl(url)})` : escapeCell(f.ruleId);
  return `| ${LABEL[f.severity]} | ${escapeCell(`${toPosixPath(f.file)}:${f.line}`)} | ${rule} | ${escapeCell(f.message)} |\n`;
}

interface Section {
  open: string;
  header: string;
  rows: string[];
  close: string;
  /** Printed instead of the section when it has no rows. */
  empty: string;
  shown: number;
}

/** Cuts `s` to at most `max` UTF-8 bytes without splitting a character. */
function cutBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  let out = '';
  let size = 0;
  for (const ch of s) {
    const b = byteLength(ch);
    if (size + b > max) break;
    out += ch;
    size += b;
  }
  return out;
}

export function formatMarkdownSummary(report: RunReport, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes === undefined ? SUMMARY_MAX_BYTES : Math.max(0, Math.floor(options.maxBytes));
  const c = report.counts;
  const title = escapeCell(options.title ?? report.tool.name);
  const total = c.error + c.warning + c.note;
  const verdict = total === 0 ? 'no problems found' : `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}`;
  const unreadable = new Set(report.errors.map((e) => e.file)).size;

  let head = `## ${title}: ${verdict}\n\n`;
  head += '| Severity | Count |\n| --- | ---: |\n';
  head += `| Error | ${c.error} |\n| Warning | ${c.warning} |\n| Note | ${c.note} |\n| Suppressed | ${report.suppressed.length} |\n\n`;
  head += `Checked ${plural(report.files.length, 'file')}`;
  head += unreadable > 0 ? `; ${plural(unreadable, 'file')} could not be read.\n` : '.\n';

  const tableHead = '| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n';
  const sections: Section[] = [
    {
      open: '\n### Files that could not be read\n\n',
      header: '| File | Problem |\n| --- | --- |\n',
      rows: report.errors.map((e) => `| ${escapeCell(toPosixPath(e.file))} | ${escapeCell(e.message)} |\n`),
      close: '',
      empty: '',
      shown: 0
    },
    {
      open: '\n### Findings\n\n',
      header: tableHead,
      rows: report.findings.map(findingRow),
      close: '',
      empty: '\n### Findings\n\nNo findings.\n',
      shown: 0
    },
    {
      open: `\n<details>\n<summary>Suppressed findings (${report.suppressed.length})</summary>\n\n`,
      header: tableHead,
      rows: report.suppressed.map(findingRow),
      close: '\n</details>\n',
      empty: '',
      shown: 0
    }
  ];

  const note = (left: number) =>
    `\n_${left} ${left === 1 ? 'row' : 'rows'} left out to keep this summary under ${sizeText(maxBytes)}; the SARIF and JSON outputs list every finding._\n`;
  const renderSection = (s: Section): string => {
    if (s.rows.length === 0) return s.empty;
    const left = s.rows.length - s.shown;
    const table = s.shown > 0 ? s.header + s.rows.slice(0, s.shown).join('') : '';
    return s.open + table + (left > 0 ? note(left) : '') + s.close;
  };
  const render = () => head + sections.map(renderSection).join('');

  // Greedy fill. Adding a row only ever shrinks its "left out" note, so
  // `size` is an upper bound of the real size and the result stays in budget.
  let size = byteLength(render());
  for (const s of sections) {
    for (const row of s.rows) {
      const cost = byteLength(row) + (s.shown === 0 ? byteLength(s.header) : 0);
      if (size + cost > maxBytes) break;
      size += cost;
      s.shown++;
    }
  }
  const out = render();
  if (byteLength(out) <= maxBytes) return out;
  // Not even the heading and totals fit: a one-line summary, cut to the budget.
  return cutBytes(`## ${title}: ${verdict} (summary left out: over ${sizeText(maxBytes)})\n`, maxBytes);
}
