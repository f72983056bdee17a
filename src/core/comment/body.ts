/**
 * The sticky PR comment: one per header, found again by the hidden marker on
 * its first line and edited in place on every run.
 *
 *   <!-- container-guard:sticky:{header} -->
 *   ## container-guard: 3 errors, 2 warnings, 1 note
 *   totals per tool and severity · the gate's verdict · what was suppressed
 *   ### Changes since <last run's commit>   (new / fixed, new ones listed)
 *   ### Top findings                         (most severe first)
 *   <details> per tool with every finding   (file order)
 *   footer
 *   <!-- container-guard:fingerprints:v1 … -->   (see fingerprints.ts)
 *
 * GitHub refuses comment bodies over 65,536 characters. Rows are kept most
 * severe first (a severity's top-table rows, then its new rows, then its
 * details rows) until the next one does not fit, so the lowest severities go
 * first; every cut table says how many rows it left out. Length is counted in
 * UTF-16 code units, which is never less than GitHub's count.
 *
 * Every piece of text from a finding or a findings file is escaped and its
 * @mentions neutralised (format.ts): the comment can't break out of its
 * table, inject HTML or notify anybody.
 */
import { SEVERITIES, countBySeverity, compareFindings, severityRank, type Finding, type Severity } from '../finding.js';
import { bySeverity, toPosixPath } from '../report/util.js';
import {
  BADGE,
  blobUrl,
  clip,
  clippedText,
  commitUrl,
  countOf,
  formatCount,
  html,
  ID_MAX,
  isRepoPath,
  link,
  PATH_MAX,
  ruleLink,
  text,
  type RepoRef
} from './format.js';
import { FINGERPRINT_MAX_CHARS, baselineOf, compareWith, decodeState, encodeState, fingerprintAll, stateOf, type Changes } from './fingerprints.js';
import type { CommentOptions, PullRequestRef, ToolReport } from './types.js';

/** GitHub's limit for an issue or review comment body. */
export const MAX_COMMENT_CHARS = 65_536;
/** Rows of the "Top findings" table. */
export const TOP_FINDINGS = 10;
/** Longest message shown in a table cell (characters, before escaping); longer ones end in `…`. */
export const CELL_MESSAGE_MAX = 1_000;
export const DEFAULT_TITLE = 'container-guard';

const STICKY_PREFIX = '<!-- container-guard:sticky:';

/** The hidden first line of the sticky comment for `header` (percent-encoded, so no header can end the HTML comment). */
export function markerFor(header: string): string {
  return `${STICKY_PREFIX}${encodeURIComponent(header)} -->`;
}

/** Whether `body` is the sticky comment for `header`: its first line is exactly that marker. */
export function isOurs(body: string, header: string): boolean {
  const first = body
    .replace(/^\uFEFF/, '')
    .split('\n', 1)[0]
    .trim();
  return first === markerFor(header);
}

export interface BodyInput {
  findings: readonly Finding[];
  pr: PullRequestRef;
  options: Pick<CommentOptions, 'header' | 'serverUrl' | 'title'>;
  /** The body this one replaces: the fingerprints at its end give "changes since the last run". */
  previousBody?: string;
  /** Suppressed counts and verdicts from the findings files. */
  reports?: readonly ToolReport[];
  /** Default MAX_COMMENT_CHARS. */
  maxChars?: number;
  /** Rows of the top table. Default TOP_FINDINGS. */
  top?: number;
}

const TOOL_ORDER = ['lint', 'gate', 'verify'];
const OTHER = 'other';
const TABLE_HEAD = '| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n';

const toolOf = (f: Finding): string => f.tool ?? OTHER;

function toolSort(a: string, b: string): number {
  const rank = (t: string) => (t === OTHER ? TOOL_ORDER.length + 1 : TOOL_ORDER.includes(t) ? TOOL_ORDER.indexOf(t) : TOOL_ORDER.length);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function severityText(c: Record<Severity, number>): string {
  return `${countOf(c.error, 'error')}, ${countOf(c.warning, 'warning')}, ${countOf(c.note, 'note')}`;
}

/** Reports of one tool folded into one: counts added, failed if any failed. */
function mergeReports(reports: readonly ToolReport[]): ToolReport[] {
  const by = new Map<string, ToolReport>();
  for (const r of reports) {
    const m = by.get(r.tool) ?? { tool: r.tool };
    if (r.suppressed) m.suppressed = (m.suppressed ?? 0) + r.suppressed;
    for (const [k, n] of Object.entries(r.suppressedBy ?? {})) {
      const to = (m.suppressedBy ??= Object.create(null) as Record<string, number>);
      to[k] = (Object.hasOwn(to, k) ? to[k]! : 0) + n;
    }
    if (r.passed !== undefined) {
      m.passed = (m.passed ?? true) && r.passed;
      if (r.reason) m.reason = m.reason ? `${m.reason}; ${r.reason}` : r.reason;
    }
    by.set(r.tool, m);
  }
  return [...by.values()].sort((a, b) => toolSort(a.tool, b.tool));
}

/** The gate's verdict and the suppressed counts, one block each. */
function reportBlocks(reports: readonly ToolReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    if (r.passed === undefined) continue;
    out.push(`**${clippedText(r.tool, ID_MAX)}:** ${r.passed ? '✅ passed' : '❌ failed'}${r.reason ? `: ${clippedText(r.reason, CELL_MESSAGE_MAX)}` : ''}\n`);
  }
  const supp = reports.filter((r) => (r.suppressed ?? 0) > 0);
  if (supp.length > 0) {
    const parts = supp.map((r) => {
      const why = Object.entries(r.suppressedBy ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      return `${clippedText(r.tool, ID_MAX)} ${formatCount(r.suppressed ?? 0)}${why.length > 0 ? ` (${why.map(([k, n]) => `${clippedText(k, ID_MAX)} ${formatCount(n)}`).join(', ')})` : ''}`;
    });
    out.push(`**Suppressed** (not counted above): ${parts.join('; ')}\n`);
  }
  return out;
}

const short = (sha: string) => sha.slice(0, 7);

function commitLink(ref: RepoRef, sha: string): string {
  return link(short(sha), commitUrl(ref, sha));
}

function footer(title: string, ref: RepoRef, sha: string): string {
  return `---\n<sub>${html(title)} · commit ${commitLink(ref, sha)} · this comment is updated on every run</sub>\n`;
}

/** `Dockerfile:3`; an image or other non-file location on line 1 (what the gate reports) shows without the line. */
function locationText(f: Finding): string {
  const file = clip(toPosixPath(f.file), PATH_MAX);
  return !isRepoPath(f.file) && f.line === 1 ? file : `${file}:${f.line}`;
}

interface Row {
  text: string;
  rank: number;
  /** Within one severity: top table 0, new 1, details 2. */
  priority: number;
  seq: number;
  kept: boolean;
}

/** Blocks before the table, the table's rows, blocks after it. Blocks end with `\n` and are joined by a blank line. */
interface Section {
  before: string[];
  rows: Row[];
  after: string[];
}

/** Renders the sticky comment for a run (the all-clear body when there are no findings). */
export function renderBody(input: BodyInput): string {
  const maxChars = Math.max(0, Math.floor(input.maxChars ?? MAX_COMMENT_CHARS));
  const title = input.options.title ?? DEFAULT_TITLE;
  const ref: RepoRef = { serverUrl: input.options.serverUrl, owner: input.pr.owner, repo: input.pr.repo };
  const sha = input.pr.headSha;
  const marker = markerFor(input.options.header);
  const reports = mergeReports(input.reports ?? []);

  const findings = [...input.findings].sort(compareFindings);
  const fps = fingerprintAll(findings);
  const base = baselineOf(input.previousBody === undefined ? undefined : decodeState(input.previousBody), sha);
  const changes = base ? compareWith(findings, fps, base) : undefined;
  const fpLine = encodeState(stateOf(sha, findings, fps, changes), Math.min(FINGERPRINT_MAX_CHARS, Math.floor(maxChars / 4)));
  // The content, a blank line, the fingerprint line and its line break.
  const budget = maxChars - fpLine.length - 2;

  const counts = countBySeverity(findings);
  const verdict = findings.length === 0 ? '✅ all clear' : severityText(counts);
  const content =
    findings.length === 0
      ? allClear(marker, title, ref, sha, changes, reports)
      : withFindings(marker, title, ref, sha, findings, changes, reports, input.top ?? TOP_FINDINGS, budget, maxChars);
  if (content.length <= budget) return `${content}\n${fpLine}\n`;
  // Not even the heading fits: say so, and keep the fingerprints if there is room.
  const minimal = `${marker}\n## ${text(title)}: ${verdict}\n\n_The rest of this comment is left out: it does not fit in ${formatCount(maxChars)} characters._\n`;
  return minimal.length + fpLine.length + 2 <= maxChars ? `${minimal}\n${fpLine}\n` : minimal.slice(0, maxChars);
}

function allClear(marker: string, title: string, ref: RepoRef, sha: string, changes: Changes | undefined, reports: readonly ToolReport[]): string {
  const blocks = [`${marker}\n## ${text(title)}: ✅ all clear\n`, `No problems found at commit ${commitLink(ref, sha)}.\n`];
  if (changes && changes.fixed.length > 0)
    blocks.push(`${changes.fixedAtLeast ? 'At least ' : ''}${formatCount(changes.fixed.length)} fixed since ${commitLink(ref, changes.since)}.\n`);
  blocks.push(...reportBlocks(reports), footer(title, ref, sha));
  return blocks.join('\n');
}

function withFindings(
  marker: string,
  title: string,
  ref: RepoRef,
  sha: string,
  findings: readonly Finding[],
  changes: Changes | undefined,
  reports: readonly ToolReport[],
  top: number,
  budget: number,
  maxChars: number
): string {
  const counts = countBySeverity(findings);
  const byTool = new Map<string, Finding[]>();
  for (const r of reports) byTool.set(r.tool, []);
  for (const f of findings) {
    const list = byTool.get(toolOf(f));
    if (list) list.push(f);
    else byTool.set(toolOf(f), [f]);
  }
  const tools = [...byTool.keys()].sort(toolSort);

  let totals = '| Tool | Errors | Warnings | Notes |\n| --- | ---: | ---: | ---: |\n';
  for (const t of tools) {
    const c = countBySeverity(byTool.get(t) ?? []);
    totals += `| ${clippedText(t, ID_MAX)} | ${SEVERITIES.map((s) => formatCount(c[s])).join(' | ')} |\n`;
  }
  if (tools.length > 1) totals += `| **Total** | ${SEVERITIES.map((s) => `**${formatCount(counts[s])}**`).join(' | ')} |\n`;
  const head = [`${marker}\n## ${text(title)}: ${severityText(counts)}\n`, totals, ...reportBlocks(reports)];

  const row = (f: Finding, priority: number, seq: number): Row => ({
    text: `| ${BADGE[f.severity]} | ${link(locationText(f), f.file.length <= PATH_MAX ? blobUrl(ref, sha, f.file, f.line, f.endLine) : undefined)} | ${ruleLink(f.ruleId, f.help)} | ${clippedText(f.message, CELL_MESSAGE_MAX)} |\n`,
    rank: severityRank(f.severity),
    priority,
    seq,
    kept: false
  });

  const sections: Section[] = [];
  if (changes) {
    const n = changes.added.length;
    const before = [`### Changes since ${commitLink(ref, changes.since)}\n`];
    before.push(
      n === 0 && changes.fixed.length === 0 ? 'No new findings, none fixed.\n' : `🆕 ${formatCount(n)} new · ✅ ${formatCount(changes.fixed.length)} fixed\n`
    );
    if (changes.fixedAtLeast)
      before.push(
        `_The last run had more findings than this comment keeps track of: ${countOf(changes.unknown, 'finding')} of this run could not be compared, and fixes among the untracked ones are not counted._\n`
      );
    sections.push({ before, rows: bySeverity(changes.added).map((f, i) => row(f, 1, i)), after: [] });
  }
  const topRows = bySeverity(findings).slice(0, Math.max(0, top));
  sections.push({ before: ['### Top findings\n'], rows: topRows.map((f, i) => row(f, 0, i)), after: [] });
  let seq = 0;
  for (const t of tools) {
    const list = byTool.get(t) ?? [];
    if (list.length === 0) continue;
    sections.push({
      before: [`<details>\n<summary>${html(clip(t, ID_MAX))}: ${severityText(countBySeverity(list))}</summary>\n`],
      rows: list.map((f) => row(f, 2, seq++)),
      after: ['</details>\n']
    });
  }
  const foot = footer(title, ref, sha);

  const note = (left: number) =>
    `_${countOf(left, 'row')} left out (lowest severity first) to stay under GitHub's limit of ${formatCount(maxChars)} characters per comment; the findings files list every finding._\n`;
  const sectionBlocks = (s: Section): string[] => {
    const kept = s.rows.filter((r) => r.kept);
    const left = s.rows.length - kept.length;
    return [...s.before, ...(kept.length > 0 ? [TABLE_HEAD + kept.map((r) => r.text).join('')] : []), ...(left > 0 ? [note(left)] : []), ...s.after];
  };
  const render = () => [...head, ...sections.flatMap(sectionBlocks), foot].join('\n');

  // Greedy fill, most severe first. Keeping a row only ever shortens its
  // section's "left out" note, so `size` bounds the real length from above.
  let size = render().length;
  const order = sections.flatMap((s) => s.rows.map((r) => ({ r, s }))).sort((a, b) => b.r.rank - a.r.rank || a.r.priority - b.r.priority || a.r.seq - b.r.seq);
  const shown = new Map<Section, number>();
  for (const { r, s } of order) {
    const n = shown.get(s) ?? 0;
    // The first row of a section brings the table head and one more blank line.
    const cost = r.text.length + (n === 0 ? TABLE_HEAD.length + 1 : 0);
    if (size + cost > budget) break;
    size += cost;
    r.kept = true;
    shown.set(s, n + 1);
  }
  return render();
}
