import { beforeAll, describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/consistent-instruction-casing.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nRUN true\nCMD ["sh"]',
    { name: 'all lower case', code: 'from alpine:3.20\nrun true\ncmd ["sh"]' },
    { name: 'the case of arguments does not count', code: 'FROM alpine:3.20\nRUN echo run RUN Run' },
    { name: 'template lines are not instructions', code: '{{ if .x }}\n{{ end }}\n{{ x }}\nFROM alpine:3.20\nRUN true' }
  ],
  invalid: [
    {
      name: 'one lower among upper',
      code: 'FROM alpine:3.20\nrun true\nCMD ["sh"]',
      errors: [{ line: 2, message: "Command 'run' should match the case of the command majority (uppercase): write RUN" }]
    },
    { name: 'one upper among lower', code: 'from alpine:3.20\nRUN true\ncmd ["sh"]', errors: [{ line: 2, message: '(lowercase): write run' }] },
    { name: 'mixed case', code: 'FROM alpine:3.20\nRun true', errors: [{ line: 2, message: "'Run'" }] },
    { name: 'a tie goes to upper case', code: 'FROM alpine:3.20\nrun true', errors: [{ line: 2, message: 'uppercase' }] }
  ]
});

describe('consistent-instruction-casing fix', () => {
  beforeAll(loadShellParser);
  it('rewrites the keyword only', () => {
    const [f] = lintWith(rule, { code: 'FROM alpine:3.20\n  copy --chown=1 a /a' }).findings;
    expect(f.fix?.replacement).toBe('  COPY --chown=1 a /a');
  });
});
