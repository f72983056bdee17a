import type { Severity } from '../finding.js';
import { defineRule } from './types.js';

const LEVEL: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'note', style: 'note' };

/** Relays ShellCheck comments the I/O layer gathered (only when `shellcheck` runs: lint.shellcheck auto|on). */
export default defineRule({
  meta: {
    id: 'shellcheck',
    aliases: [],
    severity: 'warning',
    title: 'ShellCheck finding in a RUN script',
    description:
      'When `shellcheck` is on PATH (GitHub-hosted Ubuntu runners have it) and `lint.shellcheck` is `auto` (the default) or `on`, every shell-form RUN body is checked with ShellCheck in the dialect of the SHELL in force, with the ARG and ENV names of the Dockerfile declared. Findings carry the ShellCheck code as their rule id (`SC2086`), so `# hadolint ignore=SC2086` and `rules: { shellcheck: off }` both work. Severity follows ShellCheck (error, warning, info/style → note) unless the config sets one.',
    bad: 'FROM alpine:3.20\nRUN cd /app; make',
    good: 'FROM alpine:3.20\nWORKDIR /app\nRUN make',
    tags: ['correctness', 'shell']
  },
  defaultOptions: {},
  check({ model, external, report }) {
    const results = external.shellcheck;
    if (!results) return;
    for (const [index, comments] of results) {
      if (!model.instructions[index]) continue;
      for (const c of comments) {
        const id = `SC${c.code}`;
        report({
          line: c.line,
          endLine: c.endLine,
          column: c.column,
          message: `${id}: ${c.message}`,
          ruleId: id,
          aliases: ['shellcheck'],
          help: `https://www.shellcheck.net/wiki/${id}`,
          severity: LEVEL[c.level] ?? 'warning'
        });
      }
    }
  }
});
