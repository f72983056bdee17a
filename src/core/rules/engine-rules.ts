/** Metadata of the findings the engine reports itself (no check of their own). */
import type { RuleMeta } from './types.js';

export const ENGINE_RULE_META: RuleMeta[] = [
  {
    id: 'parse-error',
    aliases: [],
    severity: 'error',
    title: 'The file cannot be read or parsed as a Dockerfile',
    description:
      'Binary files, invalid UTF-8, files over `lint.max-file-size`, empty files and unterminated heredocs cannot be built. The other files are still linted; the run exits with code 2.',
    bad: 'RUN <<EOF\necho never terminated',
    good: 'RUN <<EOF\necho done\nEOF',
    tags: ['correctness']
  },
  {
    id: 'unknown-instruction',
    aliases: [],
    severity: 'error',
    title: 'Unknown instruction',
    description: 'BuildKit rejects instructions it does not know. This is often a typo or a line that lost its continuation backslash.',
    bad: 'FROM alpine:3.20\nRUN apk add curl &&\n    rm -rf /var/cache/apk/*',
    good: 'FROM alpine:3.20\nRUN apk add curl && \\\n    rm -rf /var/cache/apk/*',
    tags: ['correctness']
  },
  {
    id: 'rule-failure',
    aliases: [],
    severity: 'warning',
    title: 'A rule failed on this file',
    description: 'A rule threw while checking the file. The other rules still ran. Please report it with the Dockerfile that caused it.',
    bad: '',
    good: '',
    tags: ['internal']
  },
  {
    id: 'expired-ignore',
    aliases: [],
    severity: 'warning',
    title: 'An ignore in the config has expired',
    description: 'An entry of `ignores:` has an `until:` date in the past. It no longer hides findings; renew it with a reason or fix the findings.',
    bad: 'ignores:\n  - rules: DL3008\n    until: 2020-01-01\n    reason: waiting for upstream',
    good: 'ignores:\n  - rules: DL3008\n    until: 2030-01-01\n    reason: waiting for upstream',
    tags: ['config']
  },
  {
    id: 'plugin-error',
    aliases: [],
    severity: 'error',
    title: 'A rule plugin could not be loaded',
    description:
      'A module listed under `plugins:` failed to import, or does not export rules with the built-in rule interface (`{ meta: { id, ... }, check(ctx) }`), or reuses a built-in rule id. The finding points at the plugin file; the other rules still run.',
    bad: 'plugins: ["./rules/broken.mjs"]',
    good: 'plugins: ["./rules/registry.mjs"]',
    tags: ['config']
  }
];
