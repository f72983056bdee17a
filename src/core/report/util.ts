/**
 * Small pure helpers shared by the formatters. Nothing here reads files,
 * the environment or the clock.
 */
import type { Finding, Severity } from '../finding.js';
import type { RuleMeta } from '../rules/types.js';

/**
 * C0/C1 control characters (except tab), DEL, and the Unicode bidi controls
 * used by "Trojan Source" tricks. A Dockerfile line can hold any of them; a
 * formatter must never pass them to a terminal or a rendered page as is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces each unsafe character with U+FFFD (one for one, so columns keep their place). */
export function stripUnsafe(s: string): string {
  return s.replace(UNSAFE_RE, '\uFFFD');
}

/** Single-line form of a message: line breaks become spaces, unsafe characters U+FFFD. */
export function oneLine(s: string): string {
  return stripUnsafe(s.replace(/\r\n|\r|\n/g, ' '));
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A repository-relative path with forward slashes and no leading `./`. */
export function toPosixPath(file: string): string {
  let p = file.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** UTF-8 size of a string, in bytes (a lone surrogate counts as U+FFFD, 3 bytes). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Index of rule metadata by id. */
export function ruleIndex(rules: readonly RuleMeta[]): Map<string, RuleMeta> {
  const m = new Map<string, RuleMeta>();
  for (const r of rules) if (!m.has(r.id)) m.set(r.id, r);
  return m;
}

/** The help URL of a finding when it is an absolute http(s) URL, else undefined. */
export function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'note'];

/** Stable "most severe first" order; ties keep the given (file, line, column, rule) order. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return SEVERITY_ORDER.flatMap((s) => findings.filter((f) => f.severity === s));
}
