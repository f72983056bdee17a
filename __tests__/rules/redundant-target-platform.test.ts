import rule from '../../src/core/rules/redundant-target-platform.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM alpine:3.20', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build', 'FROM --platform=linux/arm64 alpine:3.20'],
  invalid: [
    {
      code: 'FROM --platform=$TARGETPLATFORM alpine:3.20',
      errors: [{ line: 1, message: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant' }]
    },
    { name: 'braces', code: 'FROM --platform=${TARGETPLATFORM} alpine:3.20 AS a', errors: [{ line: 1 }] }
  ]
});
