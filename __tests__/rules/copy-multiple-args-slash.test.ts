import rule from '../../src/core/rules/copy-multiple-args-slash.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM node:22\nCOPY package.json package-lock.json /app/',
    { name: 'single source', code: 'FROM node:22\nCOPY package.json /app' },
    { name: 'flags are not arguments', code: 'FROM node:22\nCOPY --from=build --chown=node:node /out /app' },
    { name: 'dot destination', code: 'FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json .' },
    { name: 'JSON form with slash', code: 'FROM node:22\nCOPY ["a b.json", "c.json", "/app/"]' },
    { name: 'destination from a variable without value', code: 'FROM node:22\nARG DEST\nCOPY a b $DEST' },
    { name: 'Windows destination', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a.dll b.dll C:\\\\app\\\\' },
    { name: 'ADD is not checked', code: 'FROM node:22\nADD a.tar b.tar /x' }
  ],
  invalid: [
    { code: 'FROM node:22\nCOPY package.json package-lock.json /app', errors: [{ line: 2, message: 'write /app/' }] },
    { name: 'with flags', code: 'FROM node:22\nCOPY --chown=node:node --from=build /a /b /app', errors: [{ line: 2, message: '2 sources' }] },
    { name: 'JSON form', code: 'FROM node:22\nCOPY ["a.json", "b.json", "/app"]', errors: [{ line: 2, message: 'write /app/' }] },
    { name: 'destination on a continuation line', code: 'FROM node:22\nCOPY a \\\n     b \\\n     /app', errors: [{ line: 4 }] },
    { name: 'heredoc sources', code: 'FROM node:22\nCOPY <<A <<B /etc/app\na\nA\nb\nB', errors: [{ line: 2, message: '/etc/app/' }] },
    { name: 'destination variable with a value', code: 'FROM node:22\nENV APP=/srv/app\nCOPY a b $APP', errors: [{ line: 3, message: 'write $APP/' }] }
  ]
});
