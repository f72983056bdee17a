import { beforeAll, describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/legacy-key-value-format.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM alpine:3.20\nENV A=1 B="two words"', 'FROM alpine:3.20\nLABEL a=b', { name: 'ARG has no legacy form', code: 'FROM alpine:3.20\nARG A' }],
  invalid: [
    { code: 'FROM alpine:3.20\nENV APP_HOME /srv/app', errors: [{ line: 2, message: 'write ENV APP_HOME=…' }] },
    { name: 'LABEL', code: 'FROM alpine:3.20\nLABEL maintainer jane', errors: [{ line: 2, message: 'legacy "LABEL key value"' }] }
  ]
});

describe('legacy-key-value-format fix', () => {
  beforeAll(loadShellParser);
  it.each([
    ['plain', 'ENV APP_HOME /srv/app', 'ENV APP_HOME=/srv/app'],
    ['spaces, lower-case keyword', 'env GREETING hello world', 'env GREETING="hello world"'],
    ['quotes are removed as the builder does', 'ENV Q say "hi"', 'ENV Q="say hi"'],
    ['a value with a quote character', "ENV Q it\\'s", 'ENV Q="it\'s"']
  ])('%s', (_n, line, fixed) => {
    const [f] = lintWith(rule, { code: `FROM alpine:3.20\n${line}` }).findings;
    expect(f.fix?.replacement).toBe(fixed);
  });
  it('no fix when the value uses a variable or spans lines', () => {
    expect(lintWith(rule, { code: 'FROM alpine:3.20\nENV P $HOME/bin' }).findings[0].fix).toBeUndefined();
    expect(lintWith(rule, { code: 'FROM alpine:3.20\nENV P a \\\n  b' }).findings[0].fix).toBeUndefined();
  });
});
