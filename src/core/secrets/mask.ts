/**
 * Masking by span, not by word. The secrets of a file are listed once with the lines of the instruction
 * that holds them; a finding's text is masked against that list:
 *
 * - a secret of a known format (a token prefix, a key block, a password in a URL) is masked wherever it
 *   appears, also cut short (`ghp_A1b2…`) or split over a line continuation;
 * - a value that is a secret only by its name (`POSTGRES_PASSWORD=postgres`) is masked in findings about
 *   the instruction that holds it, and in the source lines of that instruction — never in a finding about
 *   another line, where the same word is ordinary text (`FROM postgres:16`).
 */
import type { DockerfileModel } from '../dockerfile/model.js';
import { findSecretValues, isSecretName, maskSecret, notACredentialBecause } from './detect.js';

export interface SecretSpan {
  value: string;
  /** Lines of the instruction (or comment) that holds it. */
  line: number;
  endLine: number;
  /** A known credential format: masked everywhere it appears. */
  strong: boolean;
}

const HAS_VARIABLE_RE = /\$\{?[A-Za-z_]/;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function secretInventory(model: DockerfileModel): SecretSpan[] {
  const out: SecretSpan[] = [];
  const covered = new Set<number>();
  for (const instr of model.instructions) {
    for (let l = instr.line; l <= instr.endLine; l++) covered.add(l);
    const range = { line: instr.line, endLine: instr.endLine };
    const text = [instr.args, ...instr.heredocs.map((h) => h.body)].join('\n');
    for (const m of findSecretValues(text)) out.push({ value: m.text, ...range, strong: true });
    if (instr.keyword === 'ENV' || instr.keyword === 'ARG' || instr.keyword === 'LABEL') {
      for (const p of instr.pairs) {
        if (!p.value || p.value.length < 3 || !isSecretName(p.key) || HAS_VARIABLE_RE.test(p.value)) continue;
        if (notACredentialBecause(p.key, p.value) !== undefined) continue;
        out.push({ value: p.value, ...range, strong: false });
        if (p.rawValue && p.rawValue !== p.value) out.push({ value: p.rawValue, ...range, strong: false });
      }
    }
  }
  // Comments and lines outside instructions (a token pasted in a comment is still a token).
  model.lines.forEach((text, k) => {
    if (covered.has(k + 1)) return;
    for (const m of findSecretValues(text)) out.push({ value: m.text, line: k + 1, endLine: k + 1, strong: true });
  });
  // Longest first, so a secret that contains another is masked whole.
  return out.sort((a, b) => b.value.length - a.value.length);
}

function maskWhole(text: string, value: string): string {
  if (!text.includes(value)) return text;
  // Whole tokens only, so a secret "password" does not garble "vpn_password".
  return text.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRe(value)}(?![A-Za-z0-9_])`, 'g'), () => maskSecret(value));
}

/** A prefix of the value (≥ 6 characters) that a message cut short: `ghp_A1b2C3…` or `ghp_A1b2C3...`. */
function maskTruncated(text: string, value: string): string {
  if (value.length < 8 || (!text.includes('…') && !text.includes('...'))) return text;
  let out = text;
  for (let k = value.length - 1; k >= 6; k--) {
    const prefix = value.slice(0, k);
    for (const ell of ['…', '...']) {
      const cut = prefix + ell;
      if (out.includes(cut)) out = out.split(cut).join(maskSecret(value) + ell);
    }
  }
  return out;
}

/** A finding's message, fix or link about lines [line, endLine]. */
export function maskFindingText(text: string, spans: readonly SecretSpan[], range: { line: number; endLine?: number }): string {
  // The inventory scanned every instruction and line: a file without secrets has nothing to mask.
  if (spans.length === 0) return text;
  let out = text;
  const end = range.endLine ?? range.line;
  for (const s of spans) {
    const here = s.line <= end && s.endLine >= range.line;
    if (!s.strong && !here) continue;
    // Cheap test first: every masked form (whole or cut short) starts with the value's first characters.
    if (!out.includes(s.value.slice(0, 6))) continue;
    out = s.strong ? out.split(s.value).join(maskSecret(s.value)) : maskWhole(out, s.value);
    out = maskTruncated(out, s.value);
  }
  // Known formats the inventory did not see (text a rule built from several lines).
  for (const m of findSecretValues(out)) if (!m.text.endsWith('****')) out = out.split(m.text).join(maskSecret(m.text));
  return out;
}

/** A source line (a snippet): every secret of the instruction it belongs to, also the part of one split over a continuation. */
export function maskSourceLine(text: string, lineNo: number, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) return text;
  let out = text;
  for (const s of spans) {
    if (lineNo < s.line || lineNo > s.endLine) {
      if (s.strong && out.includes(s.value)) out = out.split(s.value).join(maskSecret(s.value));
      continue;
    }
    out = s.strong ? out.split(s.value).join(maskSecret(s.value)) : maskWhole(out, s.value);
    if (s.value.length < 8 || s.line === s.endLine) continue;
    // Split over a continuation: the line ends with a prefix (before `\`) or starts with a suffix of the value.
    const body = out.replace(/\s*\\\s*$/, '');
    for (let k = s.value.length - 1; k >= 4; k--) {
      if (body.endsWith(s.value.slice(0, k))) {
        out = body.slice(0, body.length - k) + maskSecret(s.value) + out.slice(body.length);
        break;
      }
    }
    const lead = out.length - out.trimStart().length;
    for (let k = s.value.length - 1; k >= 4; k--) {
      if (out.startsWith(s.value.slice(s.value.length - k), lead)) {
        out = out.slice(0, lead) + '****' + out.slice(lead + k);
        break;
      }
    }
  }
  for (const m of findSecretValues(out)) if (!m.text.endsWith('****')) out = out.split(m.text).join(maskSecret(m.text));
  return out;
}
