/** Metadata of the findings the engine reports itself (no check of their own). */
import type { RuleMeta } from './types.js';

export const ENGINE_RULE_META: RuleMeta[] = [
  {
    id: 'parse-error',
    aliases: [],
    severity: 'error',
    title: 'The file cannot be read or parsed as a Dockerfile',
    description:
      'What BuildKit itself rejects, on the line it would name: an empty or comment-only file, an unterminated heredoc, an unknown flag (`COPY --chmodd`), `ENV`/`LABEL` without a value, a `${…}` BuildKit cannot expand (`${x:i}`, `${}`), an exec form that is not valid JSON (BuildKit silently runs it as a shell command). Binary files and invalid UTF-8 are reported the same way and are the only ones that make the run exit with code 2 (the file could not be read); the others are findings like any error, so `--fail-on none` never fails on them. The other files are always linted.',
    bad: 'COPY --chmodd=755 app /app',
    good: 'COPY --chmod=755 app /app',
    tags: ['correctness']
  },
  {
    id: 'limit-exceeded',
    aliases: [],
    severity: 'error',
    title: 'A bound of the linter was hit: part of the file was not analysed',
    description:
      'Every stage of linting one file is bounded (see docs/limits.md): file size (`lint.max-file-size`), substitution depth and expanded length, a per-file budget for all expansions, the size of one RUN script, and a per-file time budget. When one is hit, the finding names the bound and what was not analysed (for a RUN script, the rules that could not check its commands, security rules first among them), and the rest of the file and every other file are still linted. A file over the size limit is not read at all and makes the run exit with code 2.',
    bad: 'ARG A1=xxxxxxxxxxxxxxxx\nARG A2=${A1}${A1}\n# … doubling 26 times',
    good: 'ARG A1=xxxxxxxxxxxxxxxx\nARG A2=${A1}${A1}',
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
