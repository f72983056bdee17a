import rule from '../../src/core/rules/duplicate-stage-name.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23 AS build\nFROM alpine:3.20 AS runtime',
    { name: 'unnamed stages', code: 'FROM golang:1.23\nFROM alpine:3.20' },
    { name: 'reusing a stage as a base is not a duplicate', code: 'FROM golang:1.23 AS build\nFROM build AS test' },
    { name: 'name in a RUN', code: 'FROM alpine:3.20 AS a\nRUN echo "FROM x AS a"' },
    { name: 'similar but different names', code: 'FROM alpine:3.20 AS build\nFROM alpine:3.20 AS build-2' }
  ],
  invalid: [
    {
      code: 'FROM golang:1.23 AS build\nRUN go build\nFROM node:22 AS build',
      errors: [
        {
          line: 3,
          message:
            'Stage name "build" is already used by the stage on line 1 (stage names are case-insensitive); give this stage a unique name, e.g. AS build-2'
        }
      ]
    },
    {
      name: 'case-insensitive',
      code: 'FROM golang:1.23 AS Build\nFROM node:22 as BUILD',
      errors: [{ line: 2, message: 'Stage name "BUILD" is already used by the stage on line 1' }]
    },
    {
      name: 'three times: both later ones, distinct suggestions',
      code: 'FROM a:1 AS x\nFROM b:1 AS x\nFROM c:1 AS x',
      errors: [
        { line: 2, message: 'AS x-2' },
        { line: 3, message: 'AS x-3' }
      ]
    },
    { name: 'suggestion avoids taken names', code: 'FROM a:1 AS x\nFROM b:1 AS x-2\nFROM c:1 AS x', errors: [{ line: 3, message: 'AS x-3' }] },
    { name: 'alias on a continuation line', code: 'FROM a:1 AS x\nFROM b:1 \\\n  AS x', errors: [{ line: 3 }] }
  ]
});
