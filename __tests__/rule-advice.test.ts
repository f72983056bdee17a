/**
 * Advice that does not trigger another rule: every rule's documented `good` example, and every fix a rule
 * generates, applied, yields no finding that was not there before, from any rule (issue 10 item 6). A fix
 * that one rule suggests and another rule reports is advice a user cannot follow.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../src/core/config/types.js';
import type { Finding, Fix } from '../src/core/finding.js';
import { parseDockerfile } from '../src/core/dockerfile/model.js';
import { lintFile } from '../src/core/lint.js';
import { pinKey, pinPlan } from '../src/core/pin.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';
import { loadShellParser } from '../src/io/wasm.js';
import { CORPUS_DIR, corpusFiles } from './helpers/corpus.js';

// Rules the engine reports itself or that relay an external tool: no examples checked through `check`.
const ENGINE_REPORTED = new Set(['unused-suppression', 'shellcheck']);
// Examples that need options to mean anything (as in rule-files.test.ts).
const EXAMPLE_OPTIONS: Record<string, Record<string, unknown>> = {
  'trusted-registries': { registries: ['registry.acme.internal'] }
};
const DIGEST = `sha256:${'c'.repeat(64)}`;
/** Rules that judge Dockerfiles (image-only rules have no Dockerfile examples). */
const judgesDockerfiles = (r: (typeof BUILTIN_RULES)[number]) => {
  const subjects = (r.meta as { subjects?: string[] }).subjects;
  return typeof r.check === 'function' && (subjects === undefined || subjects.includes('dockerfile'));
};

/**
 * Every rule on (opt-in ones too). A rule that only means something with options (trusted-registries: which
 * registries) runs with its example options for its own examples, and is off for the others.
 */
function allRulesConfig(own?: string) {
  const config = defaultConfig();
  for (const r of BUILTIN_RULES) {
    const needsOptions = r.meta.id in EXAMPLE_OPTIONS;
    config.rules[r.meta.id] = { enabled: !needsOptions || r.meta.id === own, options: EXAMPLE_OPTIONS[r.meta.id] };
  }
  return config;
}

/** Findings per rule id (engine findings such as parse errors included). */
function countByRule(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
  return out;
}

/** Rule ids that have more findings in `after` than in `before`, with the new messages. */
function newFindings(before: readonly Finding[], after: readonly Finding[]): string[] {
  const was = countByRule(before);
  const now = countByRule(after);
  const out: string[] = [];
  for (const [id, n] of now) {
    if (n <= (was.get(id) ?? 0)) continue;
    const old = new Set(before.filter((f) => f.ruleId === id).map((f) => f.message));
    out.push(...after.filter((f) => f.ruleId === id && !old.has(f.message)).map((f) => `${id}: ${f.message}`));
  }
  return out;
}

/** The text with the fix's lines replaced (line ends kept as the file has them). */
export function applyFix(text: string, fix: Fix): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  lines.splice(fix.line - 1, fix.endLine - fix.line + 1, ...fix.replacement.split(/\r?\n/));
  return lines.join(eol);
}

describe('documented good examples trigger no rule the bad one does not', () => {
  beforeAll(loadShellParser);
  const cases = BUILTIN_RULES.filter((r) => !ENGINE_REPORTED.has(r.meta.id) && judgesDockerfiles(r)).map((r) => [r.meta.id, r] as const);
  it.each(cases)('%s', (id, rule) => {
    const config = allRulesConfig(id);
    const bad = lintFile('Dockerfile', rule.meta.bad, config, BUILTIN_RULES).findings;
    const good = lintFile('Dockerfile', rule.meta.good, config, BUILTIN_RULES).findings;
    expect(newFindings(bad, good)).toEqual([]);
  });
});

describe('generated fixes, applied, trigger no new finding', () => {
  beforeAll(loadShellParser);

  /** Lints `text`, applies each fix of a finding alone, and returns what each fix introduced. */
  function check(file: string, text: string, digests?: ReadonlyMap<string, string>, own?: string): { fixes: number; introduced: string[] } {
    const config = allRulesConfig(own);
    const external = digests ? new Map([[file, { digests }]]) : undefined;
    const before = lintFile(file, text, config, BUILTIN_RULES, { external }).findings;
    let fixes = 0;
    const introduced: string[] = [];
    for (const f of before) {
      if (!f.fix) continue;
      fixes++;
      const after = lintFile(file, applyFix(text, f.fix), config, BUILTIN_RULES, { external }).findings;
      for (const n of newFindings(before, after)) introduced.push(`${file}:${f.line} fix of ${f.ruleId} (${f.fix.replacement.trim().slice(0, 80)}) → ${n}`);
    }
    return { fixes, introduced };
  }

  it('on every rule example that carries fixes', () => {
    let fixes = 0;
    const introduced: string[] = [];
    for (const r of BUILTIN_RULES) {
      if (ENGINE_REPORTED.has(r.meta.id) || !judgesDockerfiles(r)) continue;
      const res = check(`${r.meta.id}.Dockerfile`, r.meta.bad, undefined, r.meta.id);
      fixes += res.fixes;
      introduced.push(...res.introduced);
    }
    expect(introduced).toEqual([]);
    expect(fixes).toBeGreaterThan(0);
  });

  it('on the shared corpus (pin suggestions included)', () => {
    const files = corpusFiles();
    let fixes = 0;
    const introduced: string[] = [];
    // Every pinnable reference "resolves" to one digest, as lint --suggest-pins would look it up, so
    // unpinned-base-image offers its pinned line as a fix.
    const digestsOf = (file: string, text: string) => new Map(pinPlan(parseDockerfile(file, text)).targets.map((t) => [pinKey(t), DIGEST]));
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const file = path.relative(CORPUS_DIR, f);
      const res = check(file, text, digestsOf(file, text));
      fixes += res.fixes;
      introduced.push(...res.introduced);
    }
    expect(introduced).toEqual([]);
    expect(fixes).toBeGreaterThan(100);
  });
});
