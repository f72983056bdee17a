/**
 * The example, exactly as written, over the 684 real Dockerfiles of the shared
 * corpus. The expected findings are computed here independently of the rule code: from
 * the model's stages with a plain prefix check, and a plain scan of LABEL pairs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { defaultConfig } from '../../src/core/config/types.js';
import { compileCustomRule } from '../../src/core/custom/compile.js';
import { parseDockerfile, type DockerfileModel, type Stage } from '../../src/core/dockerfile/model.js';
import { lintFile } from '../../src/core/lint.js';
import type { Rule } from '../../src/core/rules/types.js';
import { loadShellParser } from '../../src/io/wasm.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'dockerfiles');

const EXAMPLE_YAML = `rules:
  custom:
    - id: org/approved-registry
      severity: error
      message: "Base image {{image}} is not from an approved registry"
      when: { instruction: FROM, stage: any }
      require:
        image: ["registry.example.com/**", "gcr.io/distroless/**"]
    - id: org/oci-source-label
      severity: warning
      message: "The final stage must declare org.opencontainers.image.source"
      when: { file: true }
      require:
        label: org.opencontainers.image.source
`;

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'SOURCES.md') out.push(p);
    }
  };
  walk(corpusDir);
  return out.sort();
}

const APPROVED_PREFIXES = ['registry.example.com/', 'gcr.io/distroless/'];

type FromKind = 'unapproved' | 'approved' | 'stage' | 'scratch' | 'unresolved' | 'invalid';

/** Independent classification of a FROM, from the model's stage data only. */
function classify(stage: Stage): FromKind {
  const f = stage.from;
  if (f.stageRef !== undefined) return 'stage';
  if (f.scratch) return 'scratch';
  if (f.image) {
    const name = `${f.image.registry}/${f.image.repository}`;
    return APPROVED_PREFIXES.some((p) => name.startsWith(p)) ? 'approved' : 'unapproved';
  }
  return f.unresolved.length > 0 ? 'unresolved' : 'invalid';
}

/** The final stage and the stages it is built FROM, by walking stageRef. */
function finalChain(model: DockerfileModel): Stage[] {
  const out: Stage[] = [];
  let s: Stage | undefined = model.stages[model.stages.length - 1];
  while (s && !out.includes(s)) {
    out.push(s);
    s = s.from.stageRef !== undefined ? model.stages[s.from.stageRef] : undefined;
  }
  return out;
}

function hasSourceLabel(model: DockerfileModel): boolean {
  return finalChain(model).some((s) => s.instructions.some((i) => i.keyword === 'LABEL' && i.pairs.some((p) => p.key === 'org.opencontainers.image.source')));
}

interface Counts {
  files: number;
  froms: number;
  unapproved: number;
  approved: number;
  stage: number;
  scratch: number;
  unresolved: number;
  invalid: number;
  withoutLabel: number;
  registryFindings: number;
  labelFindings: number;
}

function newCounts(): Counts {
  return {
    files: 0,
    froms: 0,
    unapproved: 0,
    approved: 0,
    stage: 0,
    scratch: 0,
    unresolved: 0,
    invalid: 0,
    withoutLabel: 0,
    registryFindings: 0,
    labelFindings: 0
  };
}

/** Lints one file with the example rules and compares with the independently computed expectation. */
function checkFile(rules: Rule[], rel: string, text: string, counts: Counts, mismatches: string[]): void {
  const model = parseDockerfile(rel, text);
  counts.files++;
  const expectedRegistry: number[] = [];
  for (const s of model.stages) {
    counts.froms++;
    const kind = classify(s);
    counts[kind]++;
    if (kind === 'unapproved') expectedRegistry.push(s.instruction.line);
  }
  const last = model.stages[model.stages.length - 1];
  const expectedLabel = hasSourceLabel(model) ? [] : [last ? last.instruction.line : 1];
  if (expectedLabel.length > 0) counts.withoutLabel++;

  const result = lintFile(rel, text, defaultConfig(), rules);
  // Nothing is hidden by an inline suppression: every finding counted is a visible one.
  expect(result.suppressed.filter((f) => f.ruleId.startsWith('org/'))).toEqual([]);
  const registry = result.findings.filter((f) => f.ruleId === 'org/approved-registry');
  const label = result.findings.filter((f) => f.ruleId === 'org/oci-source-label');
  counts.registryFindings += registry.length;
  counts.labelFindings += label.length;
  const got = registry.map((f) => f.line).sort((a, b) => a - b);
  if (JSON.stringify(got) !== JSON.stringify(expectedRegistry)) mismatches.push(`${rel}: approved-registry lines [${got}] != expected [${expectedRegistry}]`);
  const gotLabel = label.map((f) => f.line);
  if (JSON.stringify(gotLabel) !== JSON.stringify(expectedLabel))
    mismatches.push(`${rel}: oci-source-label lines [${gotLabel}] != expected [${expectedLabel}]`);
  for (const f of registry) {
    const stage = model.stages.find((s) => s.instruction.line === f.line);
    if (stage?.from.image === undefined) mismatches.push(`${rel}:${f.line}: reported a FROM that is not an external image`);
    else if (f.message !== `Base image ${stage.from.resolved} is not from an approved registry`) mismatches.push(`${rel}:${f.line}: message "${f.message}"`);
    if (f.severity !== 'error') mismatches.push(`${rel}:${f.line}: severity ${f.severity}`);
  }
  for (const f of label) {
    if (f.message !== 'The final stage must declare org.opencontainers.image.source' || f.severity !== 'warning')
      mismatches.push(`${rel}:${f.line}: ${f.severity} "${f.message}"`);
  }
}

const TAIL_LABEL = 'LABEL org.opencontainers.image.source=https://github.com/acme/app';

/**
 * A corpus file with external bases moved to approved registries (by position: none,
 * registry.example.com/mirror/, gcr.io/distroless/) and a tail of stages appended.
 * Undefined when the file ends inside a line continuation (the tail would join it).
 */
function rewrite(rel: string, text: string, k: number): string | undefined {
  const lines = text.split('\n');
  const model = parseDockerfile(rel, text);
  let n = k;
  for (const s of model.stages) {
    if (!s.from.image || s.from.text.includes('$')) continue;
    const prefix = ['', 'registry.example.com/mirror/', 'gcr.io/distroless/'][n++ % 3];
    const i = s.instruction.line - 1;
    const at = lines[i].indexOf(s.from.text);
    if (prefix && at >= 0) lines[i] = lines[i].slice(0, at) + prefix + lines[i].slice(at);
  }
  const body = lines.join('\n').replace(/\s+$/, '');
  if (body.endsWith(model.escape)) return undefined;
  const tail = ['FROM scratch AS cg-scratch', 'FROM ${CG_UNSET_BASE} AS cg-unresolved', 'FROM alpine:3.20 AS cg-base'];
  if (k % 2 === 0) tail.push(TAIL_LABEL);
  tail.push('FROM cg-base AS cg-final', 'RUN true');
  return `${body}\n\n${tail.join('\n')}\n`;
}

describe('the issue example over the corpus', () => {
  let rules: Rule[];
  const files = corpusFiles();

  beforeAll(async () => {
    await loadShellParser();
    const data = load(EXAMPLE_YAML) as { rules: { custom: unknown[] } };
    rules = data.rules.custom.map((def, i) => compileCustomRule(def, () => ({ file: '.container-guard.yml', line: 1 }), `/rules/custom/${i}`));
  });

  it('reads every corpus file', () => {
    expect(files).toHaveLength(684);
  });

  it('reports exactly the unapproved external base images, once each, and exactly the final stages without the source label', () => {
    const counts = newCounts();
    const mismatches: string[] = [];
    for (const file of files) {
      const rel = path.relative(corpusDir, file);
      checkFile(rules, rel, fs.readFileSync(file, 'utf8'), counts, mismatches);
    }
    process.stdout.write(`corpus-example (as is): ${JSON.stringify(counts)}\n`);
    expect(mismatches).toEqual([]);
    expect(counts.files).toBe(684);
    expect(counts.registryFindings).toBe(counts.unapproved);
    expect(counts.labelFindings).toBe(counts.withoutLabel);
    expect(counts.scratch).toBeGreaterThan(0);
  });

  // The corpus as is has no approved image, no FROM <stage>, no unresolvable FROM and no
  // source label. The same 684 files, rewritten: every second or third external base moved
  // to an approved registry, and a tail of stages appended that the rule must leave alone
  // (scratch, an unresolvable ${VAR}, a stage alias), with the label in a parent stage of
  // the final stage in every second file (inherited through FROM <stage>).
  it('gets the same answer on rewritten corpus files with approved images, stage aliases, unresolvable FROMs and inherited labels', () => {
    const counts = newCounts();
    const mismatches: string[] = [];
    let skipped = 0;
    files.forEach((file, k) => {
      const rel = path.relative(corpusDir, file);
      const variant = rewrite(rel, fs.readFileSync(file, 'utf8'), k);
      if (variant === undefined) {
        skipped++;
        return;
      }
      checkFile(rules, rel, variant, counts, mismatches);
    });
    process.stdout.write(`corpus-example (rewritten): ${JSON.stringify({ ...counts, skipped })}\n`);
    expect(mismatches).toEqual([]);
    expect(skipped).toBe(0);
    expect(counts.files).toBe(684);
    expect(counts.registryFindings).toBe(counts.unapproved);
    expect(counts.labelFindings).toBe(counts.withoutLabel);
    for (const kind of ['approved', 'unapproved', 'stage', 'scratch', 'unresolved'] as const) expect(counts[kind]).toBeGreaterThan(100);
    expect(counts.withoutLabel).toBeGreaterThan(300);
    expect(counts.files - counts.withoutLabel).toBeGreaterThan(300);
  });
});
