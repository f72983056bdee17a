/** Issue 15 (config): YAML aliases that expand exponentially are a ConfigError, quickly, not a heap exhaustion. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError, expandedSize, parseConfig } from '../../src/core/config/load.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';

function bomb(levels: number, fanout: number): string {
  const lines = [
    'rules:',
    '  custom:',
    '    - id: team/deep-aliases',
    "      message: 'deep'",
    '      when: { instruction: RUN }',
    '      forbid:',
    '        all:'
  ];
  lines.push(`          - &a0 { run: curl }`);
  for (let l = 1; l <= levels; l++) lines.push(`          - &a${l} { all: [${Array.from({ length: fanout }, () => `*a${l - 1}`).join(', ')}] }`);
  return `${lines.join('\n')}\n`;
}

describe('config alias expansion is bounded (issue 15)', () => {
  it('a sub-kilobyte custom rule whose all: conditions alias each other seven levels deep is a ConfigError', () => {
    const text = bomb(7, 10);
    expect(text.length).toBeLessThan(1000);
    let err: unknown;
    try {
      parseConfig(text, 'c.yml', BUILTIN_RULES);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/^c\.yml:1: the configuration expands to more than [\d,]+ values through YAML aliases/);
  });

  it('modest alias use still loads', () => {
    const c = parseConfig(bomb(2, 3), 'c.yml', BUILTIN_RULES);
    expect(c.customRules.map((r) => r.meta.id)).toEqual(['team/deep-aliases']);
  });

  it('expandedSize stops counting above the budget', () => {
    const shared: unknown[] = [1, 2, 3];
    let v: unknown = shared;
    for (let i = 0; i < 40; i++) v = [v, v];
    expect(expandedSize(v, 1000)).toBe(1001);
    expect(expandedSize({ a: [1, { b: 2 }] }, 1000)).toBe(5);
  });
});
