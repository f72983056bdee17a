import rule from '../../src/core/rules/invalid-default-arg-in-from.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'ARG TAG=latest\nFROM busybox:${TAG}',
    { name: 'empty is fine where the reference stays valid', code: 'ARG VARIANT\nFROM busybox:stable${VARIANT}' },
    { name: 'a default at the use', code: 'ARG TAG\nFROM alpine:${TAG:-3.14}' },
    { name: 'undeclared is another rule', code: 'FROM alpine:${TAG}' },
    { name: 'no default at all: supplied by the build, a note of unpinned-base-image', code: 'ARG TAG\nFROM busybox:${TAG}' },
    { name: 'no default, the whole image', code: 'ARG IMAGE\nFROM $IMAGE AS base' },
    { name: 'a stage name built from a platform ARG', code: 'FROM alpine:3.20 AS app-linux\nFROM app-${TARGETOS}' },
    { name: 'build args from the config do not count, defaults do', code: 'ARG IMAGE=alpine:3.20\nFROM ${IMAGE}', buildArgs: { IMAGE: '' } }
  ],
  invalid: [
    { code: 'ARG TAG=""\nFROM busybox:${TAG}', errors: [{ line: 2, message: "results in an invalid ('busybox:') base image name: give ARG TAG a default" }] },
    { name: 'the whole image, empty default', code: 'ARG IMAGE=\nFROM $IMAGE AS base', errors: [{ line: 2, message: 'an empty base image name' }] },
    {
      name: 'a default that is not a valid reference',
      code: 'ARG IMAGE=Alpine:3.20\nFROM $IMAGE',
      errors: [{ line: 2, message: "an invalid ('Alpine:3.20')" }]
    },
    { name: 'explicitly empty default', code: 'ARG REPO=""\nFROM ${REPO}/app:1', errors: [{ line: 2, message: "('/app:1')" }] }
  ]
});
