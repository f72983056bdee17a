import { defineRule } from './types.js';

/** Reported by the engine after suppressions are applied; `check` has nothing to do. */
export default defineRule({
  meta: {
    id: 'unused-suppression',
    aliases: [],
    severity: 'note',
    enabledByDefault: false,
    title: 'A suppression comment hides nothing',
    description:
      'An inline `# container-guard ignore=...` (or `# hadolint ignore=...`) names a rule that reported nothing where the comment applies. Stale suppressions hide future problems; remove them.',
    bad: 'FROM alpine:3.20\n# container-guard ignore=sudo\nRUN echo hello',
    good: 'FROM alpine:3.20\nRUN echo hello',
    tags: ['maintainability']
  },
  defaultOptions: {},
  check() {}
});
