import { describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/trusted-registries.js';
import { ruleTester } from '../helpers/rule-tester.js';

const internal = { registries: ['registry.acme.internal', 'ghcr.io/acme/**'] };

describe('trusted-registries meta', () => {
  it('is opt-in', () => {
    expect(rule.meta.enabledByDefault).toBe(false);
  });
});

ruleTester(rule, {
  valid: [
    { name: 'no registries configured: nothing to check', code: 'FROM evil.example.com/x:1' },
    { name: 'allowed registry', code: 'FROM registry.acme.internal/base/node:22', options: internal },
    { name: 'allowed org glob', code: 'FROM ghcr.io/acme/api/base:1.0', options: internal },
    { name: 'docker.io covers implicit Docker Hub', code: 'FROM nginx:1.27\nFROM acme/tool:1', options: { registries: ['docker.io'] } },
    { name: 'hub.docker.com means docker.io', code: 'FROM nginx:1.27', options: { registries: ['hub.docker.com'] } },
    { name: 'short Docker Hub name', code: 'FROM nginx:1.27', options: { registries: ['nginx'] } },
    { name: 'normalized library path', code: 'FROM nginx:1.27', options: { registries: ['docker.io/library/*'] } },
    { name: 'wildcard host', code: 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', options: { registries: ['*.dkr.ecr.*.amazonaws.com'] } },
    { name: 'registry with port', code: 'FROM localhost:5000/app:1', options: { registries: ['localhost:5000'] } },
    {
      name: 'scratch and stages are not images',
      code: 'FROM registry.acme.internal/go:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=0 /x /x',
      options: internal
    },
    { name: 'ARG-resolved allowed image', code: 'ARG BASE=registry.acme.internal/node:22\nFROM ${BASE}', options: internal },
    { name: 'unresolved FROM is left to unpinned-base-image', code: 'ARG BASE\nFROM ${BASE}', options: internal }
  ],
  invalid: [
    {
      name: 'Docker Hub image when only internal is allowed',
      code: 'FROM node:22',
      options: internal,
      errors: [
        {
          line: 1,
          message:
            'Base image node:22 comes from docker.io, which is not a trusted registry (allowed: registry.acme.internal, ghcr.io/acme/**); use an image from an allowed registry (mirror it there), or add docker.io to the registries option'
        }
      ]
    },
    {
      name: 'other org on an allowed host',
      code: 'FROM ghcr.io/evil/api:1',
      options: internal,
      errors: [{ line: 1, message: 'ghcr.io/evil/api:1 comes from ghcr.io' }]
    },
    {
      name: 'COPY --from image',
      code: 'FROM registry.acme.internal/a:1\nCOPY --from=quay.io/x/y:2 /a /a',
      options: internal,
      errors: [{ line: 2, message: 'COPY --from image quay.io/x/y:2 comes from quay.io' }]
    },
    {
      name: 'bare COPY --from word naming no stage pulls from Docker Hub',
      code: 'FROM registry.acme.internal/a:1\nCOPY --from=busybox /bin/busybox /bin/',
      options: internal,
      errors: [{ line: 2, message: 'busybox comes from docker.io' }]
    },
    {
      name: 'RUN --mount from image',
      code: 'FROM registry.acme.internal/a:1\nRUN --mount=type=bind,from=docker.io/library/golang:1.23,target=/go true',
      options: internal,
      errors: [{ line: 2, message: 'RUN --mount image docker.io/library/golang:1.23 comes from docker.io' }]
    },
    {
      name: 'ARG-resolved image',
      code: 'ARG BASE=alpine:3.20\nFROM ${BASE}',
      options: internal,
      errors: [{ line: 2, message: 'alpine:3.20 comes from docker.io' }]
    },
    {
      name: 'multi-stage: only external ones',
      code: 'FROM golang:1.23 AS build\nFROM build AS test\nFROM registry.acme.internal/rt:1',
      options: internal,
      errors: [{ line: 1 }]
    },
    {
      name: 'port must match',
      code: 'FROM localhost:5001/app:1',
      options: { registries: ['localhost:5000'] },
      errors: [{ line: 1, message: 'localhost:5001' }]
    }
  ]
});
