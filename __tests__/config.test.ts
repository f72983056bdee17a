import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseBuildArgs, parseConfig } from '../src/core/config/load.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';

const parse = (text: string) => parseConfig(text, '.container-guard.yml', BUILTIN_RULES);

function errorOf(text: string): ConfigError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config errors name file:line and the key', () => {
  it.each([
    ['unknown top-level key', 'rules: {}\nlintt:\n  include: []\n', 2, /unknown key "lintt"/],
    ['unknown lint key', 'lint:\n  include: ["x"]\n  exlcude: ["y"]\n', 3, /unknown key "exlcude"/],
    ['unknown rule id', 'rules:\n  maintainer-deprecated: off\n  no-such-rule: error\n', 3, /unknown rule "no-such-rule"/],
    ['bad severity', 'rules:\n  maintainer-deprecated: fatal\n', 2, /rules\.maintainer-deprecated/],
    ['options on a rule without options', 'rules:\n  maintainer-deprecated:\n    options:\n      x: 1\n', 3, /takes no options/],
    ['invalid YAML', 'rules:\n  a: [1, 2\nlint: {}\n', 3, /invalid YAML/],
    ['ignore without reason', 'ignores:\n  - rules: DL4000\n    until: 2030-01-01\n', 2, /reason/],
    ['ignore with a bad date', 'ignores:\n  - rules: DL4000\n    until: 2030-13-45\n    reason: x\n', 3, /not a valid date/],
    ['ignore of an unknown rule', 'ignores:\n  - rules: [DL9999]\n    reason: x\n', 2, /unknown rule "DL9999"/],
    ['override without files', 'overrides:\n  - rules:\n      maintainer-deprecated: off\n', 2, /files/],
    ['build-args not a map', 'lint:\n  build-args: [a, b]\n', 2, /build-args/],
    ['duplicate key', 'rules:\n  maintainer-deprecated: off\n  maintainer-deprecated: error\n', 3, /invalid YAML/]
  ])('%s', (_name, text, line, message) => {
    const e = errorOf(text);
    expect(e.file).toBe('.container-guard.yml');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`.container-guard.yml:${line}: `)).toBe(true);
  });
});

describe('valid config', () => {
  it('maps aliases to rule ids and levels to settings', () => {
    const c = parse('rules:\n  DL4000: error\n  unused-suppression: on\n');
    expect(c.rules['maintainer-deprecated']).toEqual({ enabled: true, severity: 'error' });
    expect(c.rules['unused-suppression']).toEqual({ enabled: true });
  });
  it('keeps default discovery globs and adds excludes', () => {
    const c = parse('lint:\n  exclude: ["vendor/**"]\n  build-args: {BASE: "alpine:3.20", N: 3}\n');
    expect(c.lint.include).toContain('**/Dockerfile');
    expect(c.lint.exclude).toEqual(expect.arrayContaining(['**/node_modules/**', 'vendor/**']));
    expect(c.lint.buildArgs).toEqual({ BASE: 'alpine:3.20', N: '3' });
  });
  it('records where each ignore was written', () => {
    const c = parse('rules: {}\nignores:\n  - rules: DL4000\n    until: 2030-01-01\n    reason: legacy\n');
    expect(c.ignores[0]).toMatchObject({ rules: ['DL4000'], until: '2030-01-01', reason: 'legacy', source: { file: '.container-guard.yml', line: 3 } });
  });
  it('an empty file is the default config', () => {
    expect(parse('').rules).toEqual({});
  });
  it('parses build-arg lines and rejects malformed ones', () => {
    expect(parseBuildArgs('A=1\nB = two\n')).toEqual({ A: '1', B: 'two' });
    expect(() => parseBuildArgs('nope')).toThrow(/KEY=value/);
  });
});

describe('gate section', () => {
  it('parses the policy with ignore locations', () => {
    const c = parse(
      'gate:\n  fail-on: high\n  max-cvss: 8.9\n  max: {critical: 0, high: 5}\n  only-fixable: true\n  vex: [vex/*.json]\n  ignore-files: [.trivyignore]\n  ignores:\n    - id: CVE-2024-1\n      package: openssl\n      until: 2030-01-31\n      reason: no fix upstream\n  overrides:\n    - images: ["legacy/*"]\n      fail-on: critical\n'
    );
    expect(c.gate).toMatchObject({
      failOn: 'high',
      maxCvss: 8.9,
      max: { critical: 0, high: 5 },
      onlyFixable: true,
      vex: ['vex/*.json'],
      ignoreFiles: ['.trivyignore'],
      ignores: [{ id: 'CVE-2024-1', package: 'openssl', until: '2030-01-31', reason: 'no fix upstream', source: { file: '.container-guard.yml', line: 9 } }],
      overrides: [{ images: ['legacy/*'], failOn: 'critical' }]
    });
  });
  it.each([
    ['unknown gate key', 'gate:\n  fail-on: high\n  fial-on: low\n', 3, /unknown key "fial-on"/],
    ['bad fail-on', 'gate:\n  fail-on: severe\n', 2, /"gate\.fail-on" must be one of critical, high, medium, low, none/],
    ['ignore without reason', 'gate:\n  ignores:\n    - id: CVE-1\n      until: 2030-01-01\n', 3, /reason/],
    ['ignore with an impossible date', 'gate:\n  ignores:\n    - id: CVE-1\n      until: 2030-02-31x\n      reason: r\n', 4, /until/],
    ['max-cvss out of range', 'gate:\n  max-cvss: 11\n', 2, /max-cvss/]
  ])('%s', (_n, text, line, message) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });
});

describe('custom rules in the config', () => {
  const rule = (body: string) => `rules:\n  custom:\n    - id: org/x\n      message: "m"\n${body}`;
  it('the example from the docs compiles and is known to the rest of the config', () => {
    const c = parse(`${rule('      when: { instruction: FROM }\n      require:\n        image: ["registry.example.com/**"]\n')}  org/x: error\n`);
    expect(c.customRules.map((r) => r.meta.id)).toEqual(['org/x']);
    expect(c.rules['org/x']).toEqual({ enabled: true, severity: 'error' });
  });
  it.each([
    ['unknown key', rule('      when: { instruction: FROM }\n      requrie:\n        image: "x/**"\n'), 6, /requrie/],
    ['bad regex', rule('      when: { instruction: ENV }\n      forbid:\n        env:\n          key: { regex: "(abc" }\n'), 8, /invalid regex/],
    ['unknown instruction', rule('      when: { instruction: FORM }\n      require:\n        image: "x/**"\n'), 5, /FORM/],
    ['condition that cannot apply', rule('      when: { instruction: USER }\n      forbid:\n        image: "x/**"\n'), 7, /image/],
    [
      'unknown placeholder',
      rule('      when: { instruction: FROM }\n      forbid:\n        image: "x/**"\n').replace('message: "m"', 'message: "{{imgae}}"'),
      4,
      /imgae/
    ],
    ['no namespace in the id', rule('      when: { instruction: FROM }\n      forbid:\n        image: "x/**"\n').replace('org/x', 'x'), 3, /id/],
    [
      'duplicate ids',
      `${rule('      when: { instruction: FROM }\n      forbid: { image: "a/**" }\n')}    - id: org/x\n      message: m\n      when: { instruction: FROM }\n      forbid: { image: "b/**" }\n`,
      7,
      /org\/x/
    ]
  ])('%s', (_n, text, line, message) => {
    const e = errorOf(text);
    expect(`${e.line}: ${e.message}`).toMatch(message);
    expect(e.line).toBe(line);
  });
});
