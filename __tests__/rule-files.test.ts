/**
 * The checkRuleFiles of this project (after ESLint's Makefile.js): every rule has
 * its module in the index, a table test, a generated docs page, well-formed
 * metadata, and documented examples that behave as documented.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../src/core/config/schema.js';
import { SEVERITIES } from '../src/core/finding.js';
import { ruleDocMarkdown } from '../src/core/rules/docs.js';
import { ENGINE_RULE_META } from '../src/core/rules/engine-rules.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';
import type { ExternalResults } from '../src/core/rules/types.js';
import { loadShellParser } from '../src/io/wasm.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { lintWith } from './helpers/rule-tester.js';

const rulesDir = path.join(REPO_ROOT, 'src/core/rules');
// Rule modules default-export a rule (as scripts/gen-rule-index.mjs finds them); the rest are helpers.
const isRuleModule = (f: string) =>
  f.endsWith('.ts') && f !== 'index.ts' && /^export default defineRule\b/m.test(fs.readFileSync(path.join(rulesDir, f), 'utf8'));
// Rules whose examples need options to mean anything.
const EXAMPLE_OPTIONS: Record<string, Record<string, unknown>> = {
  'trusted-registries': { registries: ['registry.acme.internal'] },
  'label-schema': { labels: { 'org.opencontainers.image.source': 'url' } }
};
// Rules whose examples need what the I/O layer reads (the build context's .dockerignore, image platforms).
const EXAMPLE_EXTERNAL: Record<string, ExternalResults> = {
  'copy-ignored-file': { dockerignore: { file: '.dockerignore', lines: ['tmp'] } },
  'invalid-base-image-platform': { imagePlatforms: new Map([['docker.io/library/mcr-only:1.0', ['windows/amd64']]]) }
};
// Rules the engine reports itself, or that relay an external tool: their examples are not checked through `check`
// (shellcheck's are exercised with the real binary in __tests__/shellcheck.test.ts).
const ENGINE_REPORTED = new Set(['unused-suppression', 'shellcheck']);

describe('rule files', () => {
  const files = fs
    .readdirSync(rulesDir)
    .filter(isRuleModule)
    .map((f) => f.slice(0, -3))
    .sort();
  const ids = BUILTIN_RULES.map((r) => r.meta.id);

  it('the index lists every rule module, sorted (run `npm run docs` if not)', () => {
    expect(ids).toEqual(files);
    expect(ids.length).toBeGreaterThanOrEqual(33);
  });

  it.each(files)('%s has a table test and a fresh docs page', (id) => {
    expect(fs.existsSync(path.join(REPO_ROOT, '__tests__/rules', `${id}.test.ts`))).toBe(true);
    const rule = BUILTIN_RULES.find((r) => r.meta.id === id);
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules', `${id}.md`), 'utf8');
    expect(doc).toBe(ruleDocMarkdown(rule!.meta));
  });

  it.each(BUILTIN_RULES.map((r) => [r.meta.id, r] as const))('%s has well-formed metadata', (_id, rule) => {
    const m = rule.meta;
    expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(SEVERITIES).toContain(m.severity);
    expect(m.title.length).toBeGreaterThan(5);
    expect(m.description.length).toBeGreaterThan(40);
    expect(new Set(m.aliases).size).toBe(m.aliases.length);
    // Upstream ids, BuildKit check names, or a former container-guard id of a merged rule (configs keep working).
    for (const a of m.aliases)
      expect(a).toMatch(/^(DL\d{4}|DS-\d{4}|CKV2?_DOCKER_\d+|SC\d{4}|(CIS|DKL)-[A-Z]{2}-\d{4}|[A-Z][A-Za-z]+|[a-z0-9]+(-[a-z0-9]+)+)$/);
    // A rule that judges images has checkImage; one that judges Dockerfiles is not an empty check.
    if ((m.subjects ?? ['dockerfile']).includes('image')) expect(typeof rule.checkImage).toBe('function');
    if (!ENGINE_REPORTED.has(m.id)) {
      expect(m.bad.length).toBeGreaterThan(0);
      expect(m.good.length).toBeGreaterThan(0);
    }
  });

  it('engine-reported findings have docs pages too', () => {
    for (const m of ENGINE_RULE_META) expect(fs.readFileSync(path.join(REPO_ROOT, 'docs/rules', `${m.id}.md`), 'utf8')).toBe(ruleDocMarkdown(m));
  });

  it('the published JSON Schema is the one the loader uses (run `npm run docs` if not)', () => {
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schema/config.schema.json'), 'utf8'))).toEqual(configSchema);
  });
});

describe('documented examples behave as documented', () => {
  beforeAll(loadShellParser);
  // Image-only rules document the Dockerfile that makes such an image; their tables run on image models.
  const cases = BUILTIN_RULES.filter((r) => !ENGINE_REPORTED.has(r.meta.id) && (r.meta.subjects ?? ['dockerfile']).includes('dockerfile')).map(
    (r) => [r.meta.id, r] as const
  );
  it.each(cases)('%s: the bad example is reported, the good one is not', (id, rule) => {
    const options = EXAMPLE_OPTIONS[id];
    const own = (code: string) => lintWith(rule, { code, options, external: EXAMPLE_EXTERNAL[id] }).findings.filter((f) => f.ruleId === id);
    expect(own(rule.meta.bad).length).toBeGreaterThan(0);
    expect(own(rule.meta.good)).toEqual([]);
  });
});
