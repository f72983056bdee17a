import { beforeAll, describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/stage-name-casing.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12 AS builder',
    { name: 'AS casing is another rule', code: 'FROM debian:12 as builder' },
    { name: 'no stage name', code: 'FROM debian:12\nfrom alpine:3.20' },
    { name: 'digits and dashes in the name', code: 'FROM debian:12 AS build-2_x.y' },
    { name: 'name from a variable', code: 'ARG NAME=b\nFROM debian:12 AS ${NAME}' },
    { name: 'AS without a name', code: 'FROM debian:12 AS' }
  ],
  invalid: [
    {
      name: 'upper-case letter in the name',
      code: 'FROM debian:12 AS Builder',
      errors: [
        { line: 1, message: 'Stage name "Builder" should be lower case (stage names are case-insensitive and BuildKit lower-cases them); write AS builder' }
      ]
    },
    { name: 'keeps the AS as written', code: 'FROM debian:12 as BUILD', errors: [{ line: 1, message: 'write as build' }] },
    { name: 'later stage, with flags', code: 'FROM alpine:3.20 AS a\nFROM --platform=$BUILDPLATFORM golang:1.23 AS Build', errors: [{ line: 2 }] },
    { name: 'name on a continuation line', code: 'FROM golang:1.23 \\\n  AS Build', errors: [{ line: 2 }] }
  ]
});

describe('stage-name-casing fixes and columns', () => {
  beforeAll(loadShellParser);
  it('fixes the name only', () => {
    const [f] = lintWith(rule, { code: 'FROM --platform=$BUILDPLATFORM debian:12 as Builder' }).findings;
    expect(f.column).toBe(45);
    expect(f.fix?.replacement).toBe('FROM --platform=$BUILDPLATFORM debian:12 as builder');
  });
  it('no fix for a FROM over several lines', () => {
    const [f] = lintWith(rule, { code: 'FROM golang:1.23 \\\n  AS Build' }).findings;
    expect(f.column).toBe(6);
    expect(f.fix).toBeUndefined();
  });
});
