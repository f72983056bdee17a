import rule from '../../src/core/rules/yarn-cache-clean.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean',
    { name: 'cache mount', code: 'FROM node:22\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install' },
    { name: 'not an install', code: 'FROM node:22\nRUN yarn build' },
    { name: 'builder stage', code: 'FROM node:22 AS b\nRUN yarn\nFROM nginx:1\nCOPY --from=b /app/dist /usr/share/nginx/html' }
  ],
  invalid: [
    { code: 'FROM node:22\nRUN yarn install --frozen-lockfile', errors: [{ line: 2, message: 'yarn cache clean' }] },
    { name: 'bare yarn and yarn add', code: 'FROM node:22\nRUN yarn && yarn add left-pad', errors: [{ line: 2 }] }
  ]
});
