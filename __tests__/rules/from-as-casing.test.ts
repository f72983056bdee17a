import { beforeAll, describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/from-as-casing.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12 AS builder',
    { name: 'both lower case', code: 'from debian:12 as builder' },
    { name: 'mixed-case keyword is not checked', code: 'From debian:12 as builder' },
    { name: 'no stage name', code: 'FROM debian:12\nfrom alpine:3.20' },
    { name: 'stage name casing is another rule', code: 'FROM debian:12 AS Builder' }
  ],
  invalid: [
    {
      name: 'upper FROM, lower as',
      code: 'FROM debian:12 as builder',
      errors: [{ line: 1, message: "'as' and 'FROM' keywords' casing do not match; write FROM … AS builder" }]
    },
    {
      name: 'lower from, upper AS',
      code: 'from debian:12 AS builder',
      errors: [{ line: 1, message: "'AS' and 'from' keywords' casing do not match; write from … as builder" }]
    },
    { name: 'mixed-case As', code: 'FROM debian:12 As builder', errors: [{ line: 1, message: 'AS builder' }] },
    { name: 'later stage, with flags', code: 'FROM alpine:3.20 AS a\nFROM --platform=$BUILDPLATFORM golang:1.23 as build', errors: [{ line: 2 }] },
    { name: 'AS without a name', code: 'FROM debian:12 as', errors: [{ line: 1, message: 'write FROM … AS <name>' }] },
    { name: 'AS on a continuation line', code: 'FROM golang:1.23 \\\n  as build', errors: [{ line: 2 }] }
  ]
});

describe('from-as-casing fixes and columns', () => {
  beforeAll(loadShellParser);
  it('fixes AS only, keeping indentation', () => {
    const [f] = lintWith(rule, { code: '  from debian:12 AS Build' }).findings;
    expect(f.column).toBe(18);
    expect(f.fix?.replacement).toBe('  from debian:12 as Build');
  });
  it('no fix for a FROM over several lines', () => {
    const [f] = lintWith(rule, { code: 'FROM golang:1.23 \\\n  as build' }).findings;
    expect(f.column).toBe(3);
    expect(f.fix).toBeUndefined();
  });
});
