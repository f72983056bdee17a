/**
 * ESLint-style rule tables: each `valid` case must produce no finding of the
 * rule, each `invalid` case exactly the listed findings (line and message).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { lintFile } from '../../src/core/lint.js';
import type { ExternalResults, Rule } from '../../src/core/rules/types.js';
import { loadShellParser } from '../../src/io/wasm.js';

export interface ExpectedFinding {
  line?: number;
  /** Substring or regex the message must match. */
  message?: string | RegExp;
}

export interface TestCase {
  name?: string;
  code: string;
  options?: Record<string, unknown>;
  buildArgs?: Record<string, string>;
  targets?: string[];
  /** What the I/O layer would hand the rule (a .dockerignore, image platforms…). */
  external?: ExternalResults;
}

export interface InvalidCase extends TestCase {
  errors: ExpectedFinding[];
}

export function lintWith(rule: Rule, c: TestCase) {
  const config = defaultConfig();
  config.rules[rule.meta.id] = { enabled: true, options: c.options };
  config.lint.buildArgs = c.buildArgs ?? {};
  config.lint.targets = c.targets ?? [];
  return lintFile('Dockerfile', c.code, config, [rule], c.external ? { external: new Map([['Dockerfile', c.external]]) } : {});
}

export function ruleTester(rule: Rule, cases: { valid: (string | TestCase)[]; invalid: InvalidCase[] }): void {
  const norm = (c: string | TestCase): TestCase => (typeof c === 'string' ? { code: c } : c);
  describe(rule.meta.id, () => {
    beforeAll(loadShellParser);
    it.each(cases.valid.map((c) => [norm(c).name ?? norm(c).code, norm(c)] as const))('valid: %s', (_n, c) => {
      const own = lintWith(rule, c).findings.filter((f) => f.ruleId === rule.meta.id);
      expect(own.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name ?? c.code, c] as const))('invalid: %s', (_n, c) => {
      const own = lintWith(rule, c).findings.filter((f) => f.ruleId === rule.meta.id);
      expect(own).toHaveLength(c.errors.length);
      c.errors.forEach((e, k) => {
        if (e.line !== undefined) expect(own[k].line).toBe(e.line);
        if (typeof e.message === 'string') expect(own[k].message).toContain(e.message);
        else if (e.message) expect(own[k].message).toMatch(e.message);
      });
    });
  });
}
