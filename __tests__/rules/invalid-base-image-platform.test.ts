import rule from '../../src/core/rules/invalid-base-image-platform.js';
import { ruleTester } from '../helpers/rule-tester.js';

const external = {
  imagePlatforms: new Map([
    ['docker.io/library/alpine:3.20', ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']],
    ['ghcr.io/acme/win:1', ['windows/amd64']]
  ])
};

ruleTester(rule, {
  valid: [
    { code: 'FROM alpine:3.20', external },
    { name: 'an explicit platform the index has (variant of arm64 implied)', code: 'FROM --platform=linux/arm64 alpine:3.20', external },
    { name: 'build-platform stages are not judged', code: 'FROM --platform=$BUILDPLATFORM ghcr.io/acme/win:1', external },
    { name: 'unknown image: silent', code: 'FROM debian:12', external },
    { name: 'no lookup allowed: silent', code: 'FROM ghcr.io/acme/win:1' }
  ],
  invalid: [
    {
      code: 'FROM ghcr.io/acme/win:1',
      external,
      errors: [{ line: 1, message: 'Base image ghcr.io/acme/win:1 has no linux/amd64 variant (it has windows/amd64)' }]
    },
    {
      name: 'an explicit platform the index lacks',
      code: 'FROM --platform=linux/s390x alpine:3.20 AS a',
      external,
      errors: [{ line: 1, message: 'no linux/s390x variant' }]
    },
    { name: 'arm variants are distinct', code: 'FROM --platform=linux/arm/v6 alpine:3.20', external, errors: [{ message: 'linux/arm/v6' }] }
  ]
});
