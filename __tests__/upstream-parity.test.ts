/**
 * container-guard is a superset of `docker build --check` and hadolint: each of their checks is an
 * alias of exactly one rule, as `container-guard rules --format json` lists them — so their names
 * work in suppressions (`# check=skip=…`, `# hadolint ignore=…`) and in the config.
 */
import { describe, expect, it } from '@jest/globals';
import { formatRuleList } from '../src/core/rules/docs.js';
import { ENGINE_RULE_META } from '../src/core/rules/engine-rules.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';
import { BUILDKIT_CHECKS, HADOLINT_RULES } from '../src/core/rules/upstream.js';
import { presetData } from '../src/core/presets/index.js';

const listed = JSON.parse(formatRuleList([...BUILTIN_RULES.map((r) => r.meta), ...ENGINE_RULE_META], 'json')) as {
  id: string;
  aliases: string[];
  enabled: boolean;
}[];
const owners = (name: string) => listed.filter((r) => r.aliases.includes(name)).map((r) => r.id);

describe('upstream parity', () => {
  it('the lists are complete: 22 BuildKit checks, every hadolint DL rule', () => {
    expect(BUILDKIT_CHECKS).toHaveLength(22);
    expect(HADOLINT_RULES.length).toBeGreaterThanOrEqual(66);
    expect(new Set(HADOLINT_RULES).size).toBe(HADOLINT_RULES.length);
  });

  it.each([...BUILDKIT_CHECKS])('BuildKit %s is an alias of exactly one rule', (name) => {
    expect(owners(name)).toHaveLength(1);
  });

  it.each([...HADOLINT_RULES])('hadolint %s is an alias of exactly one rule', (id) => {
    expect(owners(id)).toHaveLength(1);
  });

  it('no alias (upstream id or former id) names two rules', () => {
    const seen = new Map<string, string>();
    for (const r of listed) {
      for (const a of r.aliases) {
        expect([a, seen.get(a.toLowerCase()) ?? r.id]).toEqual([a, r.id]);
        seen.set(a.toLowerCase(), r.id);
      }
    }
  });

  it('recommended runs what BuildKit runs by default; strict runs every rule', () => {
    const experimental = new Set(['CopyIgnoredFile', 'InvalidDefinitionDescription']);
    for (const name of BUILDKIT_CHECKS) {
      const rule = listed.find((r) => r.aliases.includes(name))!;
      expect([name, rule.enabled]).toEqual([name, !experimental.has(name)]);
    }
    const strict = presetData('strict', BUILTIN_RULES).rules as Record<string, unknown>;
    const off = BUILTIN_RULES.filter((r) => strict[r.meta.id] === 'off').map((r) => r.meta.id);
    // trusted-registries needs the team's registry list to mean anything.
    expect(off).toEqual(['trusted-registries']);
  });
});
