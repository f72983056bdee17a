import rule from '../../src/core/rules/label-schema.js';
import { ruleTester } from '../helpers/rule-tester.js';

const labels = {
  'org.opencontainers.image.source': 'url',
  'org.opencontainers.image.created': 'rfc3339',
  'org.opencontainers.image.licenses': 'spdx',
  'org.opencontainers.image.revision': 'hash',
  'org.opencontainers.image.version': 'semver',
  'org.opencontainers.image.authors': 'email',
  'org.opencontainers.image.title': 'text'
};
const GOOD = [
  'FROM alpine:3.20',
  'LABEL org.opencontainers.image.source="https://github.com/acme/api" \\',
  '      org.opencontainers.image.created="2026-05-01T12:00:00Z" \\',
  '      org.opencontainers.image.licenses="MIT OR Apache-2.0" \\',
  '      org.opencontainers.image.revision="4f3c2a1b9d" \\',
  '      org.opencontainers.image.version="1.4.2" \\',
  '      org.opencontainers.image.authors="jane@example.com" \\',
  '      org.opencontainers.image.title="api"'
].join('\n');
const without = (key: string) =>
  GOOD.split('\n')
    .filter((l) => !l.includes(key + '='))
    .join('\n')
    .replace(/ \\$/, '');
const withValue = (key: string, value: string) => GOOD.replace(new RegExp(`${key.replace(/\./g, '\\.')}="[^"]*"`), `${key}="${value}"`);

ruleTester(rule, {
  valid: [
    { name: 'every label of the schema, valid', code: GOOD, options: { labels } },
    { name: 'no schema: nothing to check', code: 'FROM alpine:3.20\nLABEL x=1' },
    {
      name: 'labels of the stage it builds on count',
      code: `${GOOD.replace('FROM alpine:3.20', 'FROM alpine:3.20 AS base')}\nFROM base\nRUN true`,
      options: { labels }
    },
    { name: 'builder stages are not checked', code: 'FROM alpine:3.20 AS b\nRUN true\n' + GOOD, options: { labels } },
    { name: 'unresolved variable', code: withValue('org.opencontainers.image.revision', '$GIT_SHA'), options: { labels } }
  ],
  invalid: [
    {
      name: 'DL3049 missing',
      code: without('org.opencontainers.image.title'),
      options: { labels },
      errors: [{ line: 1, message: 'Label `org.opencontainers.image.title` is missing (DL3049)' }]
    },
    { name: 'DL3051 empty', code: withValue('org.opencontainers.image.title', ''), options: { labels }, errors: [{ message: 'is empty (DL3051)' }] },
    { name: 'DL3052 url', code: withValue('org.opencontainers.image.source', 'github.com/acme/api'), options: { labels }, errors: [{ message: 'DL3052' }] },
    { name: 'DL3053 rfc3339', code: withValue('org.opencontainers.image.created', '2026-05-01'), options: { labels }, errors: [{ message: 'DL3053' }] },
    { name: 'DL3054 spdx', code: withValue('org.opencontainers.image.licenses', 'MIT License'), options: { labels }, errors: [{ message: 'DL3054' }] },
    { name: 'DL3055 hash', code: withValue('org.opencontainers.image.revision', 'main'), options: { labels }, errors: [{ message: 'DL3055' }] },
    { name: 'DL3056 semver', code: withValue('org.opencontainers.image.version', '1.4'), options: { labels }, errors: [{ message: 'DL3056' }] },
    { name: 'DL3058 email', code: withValue('org.opencontainers.image.authors', 'jane at example.com'), options: { labels }, errors: [{ message: 'DL3058' }] },
    {
      name: 'DL3050 superfluous with strict',
      code: `${GOOD}\nLABEL extra=1`,
      options: { labels, strict: true },
      errors: [{ line: 9, message: 'Superfluous label `extra` (DL3050)' }]
    }
  ]
});
