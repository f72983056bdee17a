/** Rule documentation from rule metadata: the docs/rules pages and `container-guard rules`. */
import { CIS_CONTROLS, cisTags } from '../presets/index.js';
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
    `| Judges | ${(m.subjects ?? ['dockerfile']).map((x) => (x === 'image' ? 'built images' : 'Dockerfiles')).join(', ')} |`,
    `| Aliases | ${m.aliases.length ? m.aliases.map((a) => `\`${a}\``).join(', ') : '—'} |`,
    `| Tags | ${m.tags.filter((t) => !t.startsWith('cis:')).join(', ') || '—'} |`,
    `| CIS Docker Benchmark | ${
      cisTags(m.tags)
        .map((c) => `${c} ${CIS_CONTROLS[c] ?? ''}`.trim())
        .join('; ') || '—'
    } |`,
    ...(m.source ? [`| Defined in | ${m.source} |`] : []),
    '',
    '## Rule Details',
    '',
    m.description,
    ''
  ];
  if (m.bad) lines.push('Incorrect:', '', '```dockerfile', m.bad, '```', '');
  if (m.good) lines.push('Correct:', '', '```dockerfile', m.good, '```', '');
  lines.push('## Options', '', m.optionsDoc ?? (m.optionsSchema ? '```json\n' + JSON.stringify(m.optionsSchema, null, 2) + '\n```' : 'None.'), '');
  if (m.differences) lines.push('## Differences from upstream', '', m.differences, '');
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

function docsUrlFor(m: RuleMeta): string {
  return m.source ? m.source : `docs/rules/${m.id}.md`;
}

export function formatRuleList(metas: readonly RuleMeta[], format: 'text' | 'markdown' | 'json'): string {
  const sorted = [...metas].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === 'json') {
    return (
      JSON.stringify(
        sorted.map((m) => ({
          id: m.id,
          aliases: m.aliases,
          severity: m.severity,
          enabled: enabled(m),
          title: m.title,
          tags: m.tags,
          cis: cisTags(m.tags),
          source: m.source ?? 'built-in',
          docs: docsUrlFor(m)
        })),
        null,
        2
      ) + '\n'
    );
  }
  if (format === 'markdown') {
    const rows = sorted.map(
      (m) =>
        `| ${m.source ? `\`${m.id}\`` : `[\`${m.id}\`](${m.id}.md)`} | ${m.title.replace(/\|/g, '\\|')} | ${m.severity} | ${enabled(m) ? 'yes' : 'no'} | ${m.aliases.join(', ')} | ${cisTags(m.tags).join(', ')} |`
    );
    return [
      '# Rules',
      '',
      `${sorted.length} rules.`,
      '',
      '| Rule | What it checks | Severity | Default | Aliases | CIS |',
      '|---|---|---|---|---|---|',
      ...rows,
      ''
    ].join('\n');
  }
  const w = Math.max(...sorted.map((m) => m.id.length));
  return (
    sorted
      .map((m) => {
        const cis = cisTags(m.tags);
        return `${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${enabled(m) ? 'on ' : 'off'}  ${m.title}${m.aliases.length ? `  [${m.aliases.join(', ')}]` : ''}${cis.length ? `  (CIS ${cis.join(', ')})` : ''}${m.source ? `  <${m.source}>` : ''}`;
      })
      .join('\n') + '\n'
  );
}
