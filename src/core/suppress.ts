/**
 * Inline suppressions, parsed once per file:
 *   # container-guard ignore=rule-a,DL3008 -- reason      (next instruction)
 *   # container-guard stage ignore=rule-a -- reason       (rest of the stage)
 *   # container-guard global ignore=rule-a -- reason      (whole file)
 *   # hadolint ignore=DL3008 / # hadolint global ignore=...  (through aliases)
 *   # check=skip=SecretsUsedInArgOrEnv,JSONArgsRecommended  (BuildKit directive at the top: whole file;
 *                                                           the same comment above an instruction: that one)
 *   # trivy:ignore:DS-0002 (Trivy, next instruction)
 */
import type { DockerfileModel } from './dockerfile/model.js';

export interface Suppression {
  ids: string[];
  /** Lines covered, inclusive. */
  from: number;
  to: number;
  line: number;
  scope: 'next' | 'stage' | 'global';
  reason?: string;
  /** Ids that matched at least one finding (lower-case). */
  used: Set<string>;
}

const PRAGMA_RE = /^(container-guard|hadolint)\s+(?:(global|stage)\s+)?ignore\s*=\s*([^\s].*?)\s*(?:--\s*(.*))?$/i;
/** BuildKit's per-instruction form of the check directive: `# check=skip=A,B` right above an instruction. */
const CHECK_RE = /^check\s*=\s*(.*)$/i;
const TRIVY_RE = /(?:^|\s)trivy:ignore:([A-Za-z0-9_-]+)/g;

/** The rule ids of `skip=A,B;error=true` (lower-case), or undefined when it skips nothing. */
function checkSkipIds(value: string): string[] | undefined {
  for (const part of value.split(';')) {
    const [k, v] = part.split('=', 2).map((s) => s.trim());
    if (k?.toLowerCase() === 'skip' && v) {
      return v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    }
  }
  return undefined;
}

/** `# check=error=true` at the top of the file: BuildKit then fails the build on any check violation. */
export function checkErrorDirective(model: DockerfileModel): boolean {
  return model.directives.some((d) => d.name === 'check' && d.value.split(';').some((part) => /^\s*error\s*=\s*true\s*$/i.test(part)));
}

/** Ids a comment suppresses for the next instruction, for the BuildKit and Trivy forms. */
function nextInstructionIds(text: string): string[] | undefined {
  const check = CHECK_RE.exec(text);
  if (check) return checkSkipIds(check[1]);
  const trivy = [...text.matchAll(TRIVY_RE)].map((m) => m[1].toLowerCase());
  return trivy.length ? trivy : undefined;
}

export function parseSuppressions(model: DockerfileModel): Suppression[] {
  const out: Suppression[] = [];
  const lastLine = Math.max(model.lines.length, 1);
  for (const d of model.directives) {
    if (d.name !== 'check') continue;
    const ids = checkSkipIds(d.value);
    if (ids) out.push({ ids, from: 1, to: lastLine, line: d.line, scope: 'global', used: new Set() });
  }
  for (const c of model.comments) {
    const m = PRAGMA_RE.exec(c.text);
    if (!m) {
      const ids = nextInstructionIds(c.text);
      const next = ids && model.instructions.find((i) => i.line > c.line);
      if (ids && next) out.push({ ids, from: next.line, to: next.endLine, line: c.line, scope: 'next', used: new Set() });
      continue;
    }
    const scope = (m[2]?.toLowerCase() ?? 'next') as Suppression['scope'];
    const ids = m[3]
      .split(/[,\s]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const next = model.instructions.find((i) => i.line > c.line);
    let from = c.line;
    let to = lastLine;
    if (scope === 'next') {
      if (!next) continue;
      from = next.line;
      to = next.endLine;
    } else if (scope === 'stage') {
      const stageIdx = next ? next.stage : -1;
      const following = model.stages[stageIdx + 1];
      to = following ? following.instruction.line - 1 : lastLine;
    } else {
      from = 1;
    }
    out.push({ ids, from, to, line: c.line, scope, reason: m[4]?.trim() || undefined, used: new Set() });
  }
  return out;
}

/** Returns the suppression hiding a finding with these ids at `line`, and marks it used. */
export function findSuppression(sups: Suppression[], ids: string[], line: number): Suppression | undefined {
  for (const s of sups) {
    if (line < s.from || line > s.to) continue;
    for (const id of ids) {
      if (s.ids.includes(id) || s.ids.includes('all')) {
        s.used.add(s.ids.includes(id) ? id : 'all');
        return s;
      }
    }
  }
  return undefined;
}
