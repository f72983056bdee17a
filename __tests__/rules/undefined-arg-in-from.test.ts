import rule from '../../src/core/rules/undefined-arg-in-from.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'ARG NODE=22\nFROM node:${NODE}-alpine',
    { name: 'declared without default', code: 'ARG TAG\nFROM alpine:${TAG}' },
    { name: 'platform ARGs are automatic', code: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nFROM b-$TARGETARCH' },
    { name: 'a default at the use', code: 'FROM alpine:${TAG:-3.20}' },
    { name: 'no variables', code: 'FROM alpine:3.20' }
  ],
  invalid: [
    {
      code: 'FROM node:${NODE_VERSION}-alpine',
      errors: [{ line: 1, message: "FROM argument 'NODE_VERSION' is not declared: add ARG NODE_VERSION=<default> before the first FROM" }]
    },
    { name: 'a typo', code: 'ARG VERSION=1\nFROM alpine:$VERSON', errors: [{ line: 2, message: '(did you mean VERSION?)' }] },
    { name: 'declared in a stage does not count', code: 'FROM alpine:3.20\nARG BASE=debian\nFROM $BASE', errors: [{ line: 3, message: "'BASE'" }] },
    { name: 'in --platform', code: 'FROM --platform=$PLAT alpine:3.20', errors: [{ line: 1, message: "'PLAT'" }] }
  ]
});
