import rule from '../../src/core/rules/invalid-definition-description.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    '# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This is the version number.\nARG VERSION=1',
    { name: 'an empty line in between', code: '# a non-descriptive comment\n\nFROM scratch AS base\n\n# another comment\n\nARG VERSION=1' },
    { name: 'a suppression comment is not a description', code: 'FROM alpine:3.20\n# hadolint ignore=DL3059\nARG X=1' },
    { name: 'FROM without a name', code: '# any comment\nFROM alpine:3.20' },
    { name: 'several ARGs at once', code: 'FROM alpine:3.20\n# two args\nARG A=1 B=2' }
  ],
  invalid: [
    {
      code: '# a non-descriptive comment\nFROM scratch AS base\n\n# another non-descriptive comment\nARG VERSION=1',
      errors: [
        { line: 1, message: "Comment for build stage 'base' should follow the format: '# base <description>'" },
        { line: 4, message: "build argument 'VERSION'" }
      ]
    },
    { name: 'the first line of the comment block counts', code: 'FROM alpine:3.20\n# set the version\n# VERSION is it\nARG VERSION=1', errors: [{ line: 2 }] }
  ]
});
