import rule from '../../src/core/rules/maintainer-deprecated.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="a@b.c"',
    { name: 'the word in a RUN is not the instruction', code: 'FROM alpine:3.20\nRUN echo MAINTAINER' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nMAINTAINER jane@example.com', errors: [{ line: 2, message: 'org.opencontainers.image.authors' }] },
    { name: 'lower-case keyword', code: 'from alpine:3.20\nmaintainer jane', errors: [{ line: 2 }] },
    { name: 'one per stage', code: 'FROM alpine:3.20 AS a\nMAINTAINER x\nFROM a\nMAINTAINER y', errors: [{ line: 2 }, { line: 4 }] }
  ]
});
