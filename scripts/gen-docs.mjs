// `npm run docs`: regenerates what is derived from the source, so it never drifts:
//   src/core/rules/index.ts, docs/rules/*.md (from rule metadata), schema/config.schema.json.
// __tests__/rule-files.test.ts fails when any of them is stale.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { importTs } from './bundle-ts.mjs';

execFileSync(process.execPath, ['scripts/gen-rule-index.mjs'], { stdio: 'inherit' });
const m = await importTs(
  'gen-docs',
  "export { BUILTIN_RULES } from './src/core/rules/index.ts'; export { ENGINE_RULE_META } from './src/core/rules/engine-rules.ts'; export { ruleDocMarkdown, formatRuleList } from './src/core/rules/docs.ts'; export { configSchema } from './src/core/config/schema.ts';",
  { external: ['web-tree-sitter'] }
);
const metas = [...m.BUILTIN_RULES.map((r) => r.meta), ...m.ENGINE_RULE_META];
fs.rmSync('docs/rules', { recursive: true, force: true });
fs.mkdirSync('docs/rules', { recursive: true });
for (const meta of metas) fs.writeFileSync(`docs/rules/${meta.id}.md`, m.ruleDocMarkdown(meta));
fs.writeFileSync('docs/rules/README.md', m.formatRuleList(metas, 'markdown'));
fs.writeFileSync('schema/config.schema.json', JSON.stringify(m.configSchema, null, 2) + '\n');
console.log(`docs: ${metas.length} rule pages, schema/config.schema.json`);
