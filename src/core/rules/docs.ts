/** Rule documentation from rule metadata: the docs/rules pages and `container-guard rules`. */
import type { RuleMeta } from './types.js';

const enabled = (m: RuleMeta) => m.enabledByDefault !== false;

export function ruleDocMarkdown(m: RuleMeta): string {
  const lines = [
    `# ${m.id}`,
    '',
    `> ${m.title}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Default severity | ${m.severity} |`,
    `| Enabled by default | ${enabled(m) ? 'yes' : 'no'} |`,
    `| Aliases | ${m.aliases.length ? m.aliases.map((a) => `\`${a}\``).join(', ') : '—'} |`,
    `| Tags | ${m.tags.join(', ') || '—'} |`,
    '',
    '## Rule Details',
    '',
    m.description,
    ''
  ];
  if (m.bad) lines.push('Incorrect:', '', '```dockerfile', m.bad, '```', '');
  if (m.good) lines.push('Correct:', '', '```dockerfile', m.good, '```', '');
  lines.push('## Options', '', m.optionsDoc ?? (m.optionsSchema ? '```json\n' + JSON.stringify(m.optionsSchema, null, 2) + '\n```' : 'None.'), '');
  lines.push(
    '## Suppressing',
    '',
    `Inline, for the next instruction: \`# container-guard ignore=${m.id} -- reason\`` +
      (m.aliases[0] ? ` (or \`# hadolint ignore=${m.aliases.find((a) => a.startsWith('DL')) ?? m.aliases[0]}\`)` : '') +
      '.',
    `In \`.container-guard.yml\`: \`rules: { ${m.id}: off }\`, or an entry under \`ignores:\` with \`until:\` and \`reason:\`.`,
    ''
  );
  return lines.join('\n');
}

export function formatRuleList(metas: readonly RuleMeta[], format: 'text' | 'markdown' | 'json'): string {
  const sorted = [...metas].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === 'json') {
    return (
      JSON.stringify(
        sorted.map((m) => ({ id: m.id, aliases: m.aliases, severity: m.severity, enabled: enabled(m), title: m.title, tags: m.tags })),
        null,
        2
      ) + '\n'
    );
  }
  if (format === 'markdown') {
    const rows = sorted.map(
      (m) => `| [\`${m.id}\`](${m.id}.md) | ${m.title.replace(/\|/g, '\\|')} | ${m.severity} | ${enabled(m) ? 'yes' : 'no'} | ${m.aliases.join(', ')} |`
    );
    return [
      '# Rules',
      '',
      `${sorted.length} built-in rules.`,
      '',
      '| Rule | What it checks | Severity | Default | Aliases |',
      '|---|---|---|---|---|',
      ...rows,
      ''
    ].join('\n');
  }
  const w = Math.max(...sorted.map((m) => m.id.length));
  return (
    sorted
      .map(
        (m) => `${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${enabled(m) ? 'on ' : 'off'}  ${m.title}${m.aliases.length ? `  [${m.aliases.join(', ')}]` : ''}`
      )
      .join('\n') + '\n'
  );
}
