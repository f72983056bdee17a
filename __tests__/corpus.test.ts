import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../src/core/config/types.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';
import { lintAll } from '../src/core/run.js';
import type { RunReport } from '../src/core/report/types.js';
import { loadShellParser } from '../src/io/wasm.js';
import { CORPUS_DIR, corpusFiles } from './helpers/corpus.js';

describe('the shared corpus of real Dockerfiles', () => {
  const files = corpusFiles();
  let report: RunReport;
  const texts = new Map<string, string>();
  beforeAll(async () => {
    await loadShellParser();
    const config = defaultConfig();
    // Every rule on, including the opt-in ones, so each runs on every file.
    for (const r of BUILTIN_RULES) config.rules[r.meta.id] = { enabled: true };
    const inputs = files.map((f) => {
      const file = path.relative(CORPUS_DIR, f);
      const content = fs.readFileSync(f);
      texts.set(file, content.toString('utf8'));
      return { file, content };
    });
    report = lintAll(inputs, config, BUILTIN_RULES);
  });

  it('has all 684 files', () => {
    expect(files).toHaveLength(684);
    expect(report.files).toHaveLength(684);
  });

  it('lints every file without a rule crash or an unreadable file', () => {
    expect(report.findings.filter((f) => f.ruleId === 'rule-failure').map((f) => `${f.file}: ${f.message}`)).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('finds problems (the linter is not silently off)', () => {
    expect(report.findings.length).toBeGreaterThan(684);
    expect(new Set(report.findings.map((f) => f.ruleId)).size).toBeGreaterThan(15);
  });

  it('reports no secret on a GPG_KEY line of the official images', () => {
    const gpgLines = report.findings
      .filter((f) => f.ruleId === 'secret-in-env')
      .filter((f) => /GPG_KEY/.test(texts.get(f.file)?.split('\n')[f.line - 1] ?? ''));
    expect(gpgLines).toEqual([]);
    // The corpus does have such lines, so the assertion above is not vacuous.
    const withGpg = [...texts.values()].filter((t) => /^ENV GPG_KEYS? /m.test(t));
    expect(withGpg.length).toBeGreaterThan(50);
  });
});
