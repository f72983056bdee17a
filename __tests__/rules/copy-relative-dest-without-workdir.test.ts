import rule from '../../src/core/rules/copy-relative-dest-without-workdir.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json .',
    { name: 'absolute destination', code: 'FROM node:22-alpine\nCOPY package.json /app/' },
    { name: 'WORKDIR in the stage it builds on', code: 'FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY . .' },
    { name: 'variable destination', code: 'FROM node:22\nCOPY . $APP_HOME' }
  ],
  invalid: [
    { code: 'FROM node:22-alpine\nCOPY package.json .', errors: [{ line: 2, message: 'relative destination "."' }] },
    { name: 'WORKDIR only after the COPY', code: 'FROM node:22-alpine\nCOPY a b/\nWORKDIR /app', errors: [{ line: 2 }] },
    { name: 'ADD too', code: 'FROM node:22-alpine\nADD a.tar.gz opt/', errors: [{ line: 2, message: 'ADD to the relative' }] }
  ]
});
