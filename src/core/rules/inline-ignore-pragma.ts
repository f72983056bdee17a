import { defineRule } from './types.js';

const PRAGMA = /^((hadolint|container-guard)\s+(global\s+|stage\s+)?ignore\s*=|check\s*=\s*skip\s*=|trivy:ignore:)/i;

export default defineRule({
  meta: {
    id: 'inline-ignore-pragma',
    aliases: ['DL1001'],
    severity: 'note',
    enabledByDefault: false,
    title: 'Inline suppression comments',
    description: [
      'For teams that want every exception in one reviewed place: this rule reports each suppression comment in a Dockerfile (`# hadolint ignore=…`, `# container-guard ignore=…`, `# check=skip=…` above an instruction, `# trivy:ignore:…`), so exceptions go to `ignores:` in `.container-guard.yml` with a reason and an expiry date instead.',
      '',
      'The suppression still applies; this rule only makes it visible. The `check` parser directive at the top of the file is not reported. Off by default (hadolint has DL1001 off too).'
    ].join('\n'),
    bad: 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*',
    tags: ['style', 'governance']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const c of model.comments) {
      if (!PRAGMA.test(c.text)) continue;
      report({
        line: c.line,
        column: 1,
        message: `Inline suppression "# ${c.text}": move the exception to ignores: in .container-guard.yml with a reason and an until date`
      });
    }
  }
});
