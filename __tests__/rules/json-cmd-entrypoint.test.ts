import rule from '../../src/core/rules/json-cmd-entrypoint.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';
import { expect, it } from '@jest/globals';

ruleTester(rule, {
  valid: [
    'FROM node:22\nCMD ["node", "server.js"]',
    { name: 'ENTRYPOINT exec form, multi-line', code: 'FROM node:22\nENTRYPOINT ["docker-entrypoint.sh", \\\n  "node"]' },
    { name: 'empty JSON array', code: 'FROM node:22\nCMD []' },
    { name: 'explicit SHELL makes the shell form deliberate', code: 'FROM node:22\nSHELL ["/bin/bash", "-c"]\nCMD node server.js' },
    { name: 'SHELL inherited from the parent stage', code: 'FROM node:22 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nENTRYPOINT exec node server.js' },
    { name: 'RUN shell form is fine', code: 'FROM node:22\nRUN npm ci' },
    { name: 'CMD exec replaces the shell', code: 'FROM nginx:1.27\nCMD exec nginx -g "daemon off;"' }
  ],
  invalid: [
    { code: 'FROM node:22\nCMD node server.js', errors: [{ line: 2, message: 'write CMD ["node", "server.js"]' }] },
    {
      name: 'ENTRYPOINT with shell syntax',
      code: 'FROM node:22\nENTRYPOINT node server.js --port $PORT',
      errors: [{ line: 2, message: 'ENTRYPOINT ["sh", "-c", "exec node server.js --port $PORT \\"$@\\"", "--"]' }]
    },
    {
      name: 'ENTRYPOINT with several commands',
      code: 'FROM node:22\nENTRYPOINT ./migrate && node server.js',
      errors: [{ line: 2, message: 'ENTRYPOINT ["sh", "-c", "exec ..."]' }]
    },
    { name: 'invalid JSON falls back to shell form', code: "FROM node:22\nCMD ['node', 'server.js']", errors: [{ line: 2, message: 'not valid JSON' }] },
    { name: 'multi-line shell form', code: 'FROM node:22\nCMD node \\\n    server.js', errors: [{ line: 2, message: 'CMD ["node", "server.js"]' }] },
    {
      name: 'SHELL in another, unrelated stage does not count',
      code: 'FROM node:22 AS a\nSHELL ["/bin/bash", "-c"]\nFROM node:22\ncmd npm start',
      errors: [{ line: 4, message: 'CMD ["npm", "start"]' }]
    },
    {
      name: 'variables in a single command',
      code: 'FROM node:22\nCMD node server.js --port $PORT',
      errors: [{ line: 2, message: 'CMD ["sh", "-c", "exec node server.js --port $PORT"]' }]
    },
    {
      name: 'ENTRYPOINT exec still ignores CMD',
      code: 'FROM node:22\nENTRYPOINT exec node server.js',
      errors: [{ line: 2, message: 'ignores CMD and docker run arguments: write ENTRYPOINT ["node", "server.js"]' }]
    },
    { name: 'quotes and operators', code: 'FROM nginx:1.27\nCMD nginx -g "daemon off;" && echo done', errors: [{ line: 2, message: 'exec' }] }
  ]
});

it('fixes a simple single-line CMD', () => {
  const r = lintWith(rule, { code: 'FROM node:22\n  CMD node server.js' });
  expect(r.findings[0].fix?.replacement).toBe('  CMD ["node", "server.js"]');
  const multi = lintWith(rule, { code: 'FROM node:22\nCMD node \\\n    server.js' });
  expect(multi.findings[0].fix).toBeUndefined();
});
