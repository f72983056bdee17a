/**
 * Text helpers shared by the sticky comment and the review comments: every
 * piece of text that came from a Dockerfile, a scanner or a findings file goes
 * through `text()` (Markdown) or `html()` (inside HTML tags), which escape it
 * and neutralise @mentions, so a comment can neither break its layout nor
 * notify anybody.
 */
import type { Severity } from '../finding.js';
import { escapeCell } from '../report/markdown.js';
import { httpUrl, stripUnsafe, toPosixPath } from '../report/util.js';
import { trustedHelpUrl } from './links.js';

/** U+200D ZERO WIDTH JOINER: after an `@` it stops GitHub from reading a mention, and it renders as nothing. */
export const ZWJ = '\u200D';

/** `@octocat` → `@\u200Doctocat` (also `@org/team`); e-mail addresses are left readable the same way. */
export function neutralizeMentions(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9])/g, `@${ZWJ}`);
}

/**
 * What GitHub links by itself in comment text, made plain with a zero width joiner: bare `http(s)://` and
 * `www.` URLs (which would get round the trusted-host rule for links) and issue references (`#12`,
 * `owner/repo#12`, `GH-12`), which would also show up on the timeline of the issue they name.
 */
export function neutralizeAutolinks(s: string): string {
  return s
    .replace(/(https?|ftp):(?=\/\/)/gi, `$1:${ZWJ}`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWJ}`);
}

/** Markdown-safe text for a table cell or a paragraph: escaped like the job summary, mentions and autolinks neutralised. */
export function text(s: string): string {
  return neutralizeAutolinks(neutralizeMentions(escapeCell(s)));
}

/**
 * `text()` of `s`, at most `max` characters of the escaped result: the input is clipped before escaping
 * (so no escape is cut in half) and clipped further when escaping made it longer (`&` → `&amp;`).
 */
export function clippedText(s: string, max: number): string {
  let n = max;
  for (;;) {
    const t = text(clip(s, n));
    if (t.length <= max || n <= 1) return t.length <= max ? t : '…';
    n = Math.max(1, Math.min(n - 1, Math.floor((n * max) / t.length) - 1));
  }
}

/** Text inside an HTML element such as `<summary>`, where Markdown escapes would show literally. */
export function html(s: string): string {
  const one = stripUnsafe(s.replace(/\r\n|\r|\n/g, ' '));
  return neutralizeAutolinks(neutralizeMentions(one.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')));
}

/** A link target that cannot end the Markdown link or the table cell early, and holds no `@` (no mention-like text at all). */
export function safeUrl(url: string): string {
  return url.replace(/[()|<> @]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[text](url)` with the URL made safe; plain escaped text when there is no http(s) URL. */
export function link(label: string, url: string | undefined): string {
  return url ? `[${text(label)}](${safeUrl(url)})` : text(label);
}

export const BADGE: Record<Severity, string> = { error: '❌ Error', warning: '⚠️ Warning', note: 'ℹ️ Note' };

/** At most `max` UTF-16 units of `s` (never half a surrogate pair), with `…` when cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\uD800-\uDBFF]/.test(s.charAt(end - 1))) end--;
  return `${s.slice(0, end)}…`;
}

/** `1,234`: counts in prose. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 error`, `2 errors`, `1,234 notes`. */
export function countOf(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Whether a finding's `file` names a file of the repository (and so can be
 * linked): relative, no `..`, no whitespace or `:`. Gate findings often name
 * an image (`ghcr.io/acme/api:1.2 (debian 12)`) or a path inside it instead.
 */
export function isRepoPath(file: string): boolean {
  const p = toPosixPath(file);
  return p !== '' && !p.startsWith('/') && !/[\s:]/.test(p) && !p.split('/').includes('..');
}

export interface RepoRef {
  serverUrl: string;
  owner: string;
  repo: string;
}

/** `https://github.com/o/r` or undefined when the server URL is not http(s). */
export function repoUrl(ref: RepoRef): string | undefined {
  const base = httpUrl(ref.serverUrl);
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`;
}

/** `…/blob/{sha}/{file}#L{line}` (and `-L{endLine}`), or undefined when the file is not a repository path. */
export function blobUrl(ref: RepoRef, sha: string, file: string, line: number, endLine = line): string | undefined {
  const base = repoUrl(ref);
  if (!base || !isRepoPath(file)) return undefined;
  const path = toPosixPath(file).split('/').map(encodeURIComponent).join('/');
  return `${base}/blob/${encodeURIComponent(sha)}/${path}#L${line}${endLine > line ? `-L${endLine}` : ''}`;
}

/** `…/commit/{sha}`. */
export function commitUrl(ref: RepoRef, sha: string): string | undefined {
  const base = repoUrl(ref);
  return base && `${base}/commit/${encodeURIComponent(sha)}`;
}

/** Longest rule id and file path shown (characters, before escaping): a findings file may hold any length. */
export const ID_MAX = 200;
export const PATH_MAX = 500;

/** The rule id (cut at ID_MAX), linked to the finding's help only when that is an https URL of a known host (links.ts). */
export function ruleLink(ruleId: string, help: string): string {
  return link(clip(ruleId, ID_MAX), trustedHelpUrl(help));
}
