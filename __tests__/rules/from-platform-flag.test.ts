import rule from '../../src/core/rules/from-platform-flag.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23',
    { name: '$BUILDPLATFORM', code: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build' },
    { name: '${TARGETPLATFORM}', code: 'FROM --platform=${TARGETPLATFORM} alpine:3.20' },
    { name: 'user ARG variable', code: 'ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFORM alpine:3.20' },
    {
      name: 'per-platform stage named after the architecture',
      code: 'FROM --platform=linux/amd64 alpine:3.20 AS build_amd64\nFROM --platform=linux/arm64 alpine:3.20 AS build_arm64\nFROM build_${TARGETARCH} AS build'
    },
    { name: 'per-OS stage named after the OS', code: 'FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows-base' },
    { name: 'platform in other instructions is not FROM', code: 'FROM alpine:3.20\nRUN echo --platform=linux/amd64' }
  ],
  invalid: [
    {
      code: 'FROM --platform=linux/amd64 golang:1.23 AS build',
      errors: [
        {
          line: 1,
          message:
            'FROM --platform=linux/amd64 hard-codes the platform; drop the flag and pass --platform to the build, or use a variable such as --platform=$BUILDPLATFORM'
        }
      ]
    },
    { name: 'no stage name', code: 'FROM --platform=linux/arm64/v8 alpine:3.20', errors: [{ line: 1, message: 'e.g. AS build-arm64' }] },
    { name: 'OS only', code: 'FROM --platform=linux debian:12', errors: [{ line: 1, message: '--platform=linux hard-codes' }] },
    {
      name: 'lower-case keyword and flag in a later stage',
      code: 'FROM alpine:3.20 AS a\nfrom --PLATFORM=linux/amd64 alpine:3.20 AS b',
      errors: [{ line: 2 }]
    },
    { name: 'quoted value', code: 'FROM --platform="linux/amd64" alpine:3.20', errors: [{ line: 1, message: 'FROM --platform=linux/amd64' }] },
    { name: 'flag on a continuation line', code: 'FROM \\\n  --platform=linux/amd64 \\\n  alpine:3.20', errors: [{ line: 2 }] }
  ]
});
