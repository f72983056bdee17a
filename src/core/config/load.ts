/**
 * Config text → Config. Pure: the caller reads the file. Every problem is a
 * ConfigError naming file:line and the key; nothing falls back silently.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { KeyObject } from 'node:crypto';
import { load, YAMLException } from 'js-yaml';
import { configSchema as schema } from './schema.js';
import type { Rule } from '../rules/types.js';
import { compileCustomRules, CustomRuleError } from '../custom/compile.js';
import { defaultConfig, type Config, type GateConfig, type Ignore, type RuleSetting } from './types.js';
import { lineOf, yamlPositions } from './yaml-positions.js';
import { resolveConfigPath } from './paths.js';
import { loadPublicKey } from '../verify/cosign.js';
import { parseAttestationEntries } from '../verify/attestations.js';
import { IDENTITY_REGEXP_FLAGS } from '../verify/policy.js';
import type { KeylessIdentity, KeySpec, Requirement, SignScope, VerifyConfig, VerifyPolicy } from '../verify/types.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
// Compiled on first use: most runs have no config file, and compiling the schema costs start-up time.
let configValidator: ReturnType<typeof ajv.compile> | undefined;
const validateConfig = (data: unknown) => (configValidator ??= ajv.compile(schema))(data);
const optionValidators = new WeakMap<Rule, ReturnType<typeof ajv.compile>>();

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, '.')}"` : 'the top level';
  if (e.keyword === 'additionalProperties') {
    // Only a key that looks like one is quoted: a file that is not a config (extends: [/etc/shadow]) is never echoed.
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    return /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(key)
      ? `unknown key "${key}" in ${where}`
      : `an unknown key (not shown: not a config key name) in ${where}; is this file a container-guard config?`;
  }
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

function toSetting(value: unknown): RuleSetting {
  if (value === true || value === 'on') return { enabled: true };
  if (value === false || value === 'off') return { enabled: false };
  if (typeof value === 'string') return { enabled: true, severity: value as RuleSetting['severity'] };
  const v = value as { severity?: string; options?: Record<string, unknown> };
  const s: RuleSetting = {};
  if (v.severity === 'off') s.enabled = false;
  else if (v.severity === 'on') s.enabled = true;
  else if (v.severity) {
    s.enabled = true;
    s.severity = v.severity as RuleSetting['severity'];
  }
  if (v.options) s.options = v.options;
  return s;
}

/**
 * Parses and validates config text. `rules` are the known rules, for rule ids,
 * aliases and option schemas. `file` is only used in messages.
 */
const MAX_EXPANDED_NODES_BASE = 100_000;

/** Number of values in `v` with aliases expanded, counting stops once above `budget` (so it is cheap on a bomb). */
export function expandedSize(v: unknown, budget: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && n <= budget) {
    const x = stack.pop();
    n++;
    if (Array.isArray(x)) for (const y of x) stack.push(y);
    else if (x !== null && typeof x === 'object') for (const y of Object.values(x)) stack.push(y);
    if (n + stack.length > budget) return budget + 1;
  }
  return n;
}

export function parseConfig(text: string, file: string, rules: readonly Rule[], base?: Config, options: ParseOptions = {}): Config {
  const data = loadYaml(text, file);
  const config = base ? cloneConfig(base) : defaultConfig();
  config.file = file;
  if (data === undefined || data === null) return config;
  // YAML aliases share nodes: a few hundred bytes of anchors can stand for billions of nodes once walked (issue 15).
  // Every later step (schema validation, custom rule compilation) walks the expanded tree, so bound it first.
  const budget = MAX_EXPANDED_NODES_BASE + text.length;
  if (expandedSize(data, budget) > budget)
    throw new ConfigError(
      file,
      1,
      `the configuration expands to more than ${budget.toLocaleString('en-US')} values through YAML aliases (anchors that repeat each other); write the conditions out or share less`
    );
  const positions = options.positions ?? yamlPositions(text);
  const fail = (pointer: string, detail: string): never => {
    throw new ConfigError(file, lineOf(positions, pointer), detail);
  };
  if (!validateConfig(data)) {
    const errs = configValidator?.errors ?? [];
    // oneOf reports every branch; the most specific error is the deepest one.
    // An unknown key explains more than a missing one it may be a typo of.
    const e = [...errs].sort(
      (a, b) => b.instancePath.length - a.instancePath.length || Number(b.keyword === 'additionalProperties') - Number(a.keyword === 'additionalProperties')
    )[0];
    const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
    fail(e.instancePath + extra, describe(e));
  }
  const d = data as Record<string, unknown>;
  // Custom rules compile first: this file's `rules:` may configure them, and so may files that extend it.
  const custom = ((d.rules as Raw | undefined)?.custom ?? []) as unknown[];
  if (custom.length > 0) {
    for (const rule of compileCustom(custom, file, positions, fail, rules)) {
      // A later layer may redefine a custom rule of a file it extends (same id): the later one wins.
      config.customRules = [...config.customRules.filter((r) => r.meta.id !== rule.meta.id), rule];
    }
  }
  const known = [...rules, ...config.customRules, ...config.pluginRules];
  const byKey = new Map<string, Rule[]>();
  for (const r of known) {
    for (const k of [r.meta.id, ...r.meta.aliases]) byKey.set(k.toLowerCase(), [...(byKey.get(k.toLowerCase()) ?? []), r]);
  }
  const resolveRules = (section: Record<string, unknown>, base: string): Record<string, RuleSetting> => {
    const out: Record<string, RuleSetting> = {};
    for (const [key, value] of Object.entries(section)) {
      if (key === 'custom' && base === '/rules') continue;
      const targets = byKey.get(key.toLowerCase());
      if (!targets) fail(`${base}/${key}`, `unknown rule "${key}" (see \`container-guard rules\` for ids and aliases)`);
      const setting = toSetting(value);
      for (const r of targets as Rule[]) {
        if (setting.options) {
          if (!r.meta.optionsSchema) fail(`${base}/${key}/options`, `rule "${r.meta.id}" takes no options`);
          let v = optionValidators.get(r);
          if (!v) {
            v = ajv.compile({ type: 'object', additionalProperties: false, ...r.meta.optionsSchema });
            optionValidators.set(r, v);
          }
          if (!v(setting.options)) {
            const e = (v.errors ?? [])[0];
            const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
            fail(
              `${base}/${key}/options${e.instancePath}${extra}`,
              `rule "${r.meta.id}" option ${describe(e).replace(/^the top level/, '')}`.replace(/option "/, 'option "')
            );
          }
        }
        out[r.meta.id] = { ...out[r.meta.id], ...setting };
      }
    }
    return out;
  };
  // Later layers override earlier ones rule by rule (extends: base first, this file last).
  if (d.rules) {
    for (const [id, setting] of Object.entries(resolveRules(d.rules as Record<string, unknown>, '/rules')))
      config.rules[id] = { ...config.rules[id], ...setting };
  }
  const lint = (d.lint ?? {}) as Record<string, unknown>;
  if (lint.include) config.lint.include = lint.include as string[];
  if (lint.exclude) config.lint.exclude = [...config.lint.exclude, ...(lint.exclude as string[])];
  if (lint['build-args']) {
    config.lint.buildArgs = {
      ...config.lint.buildArgs,
      ...Object.fromEntries(Object.entries(lint['build-args'] as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
    };
  }
  if (lint.targets) config.lint.targets = lint.targets as string[];
  if (lint.platforms) config.lint.platforms = lint.platforms as string[];
  if (lint.context) config.lint.context = { ...config.lint.context, ...(lint.context as Record<string, string>) };
  if (lint['max-file-size']) config.lint.maxFileSize = lint['max-file-size'] as number;
  if (lint.shellcheck) config.lint.shellcheck = lint.shellcheck as Config['lint']['shellcheck'];
  config.overrides = [
    ...config.overrides,
    ...((d.overrides ?? []) as { files: string[]; rules: Record<string, unknown> }[]).map((o, i) => ({
      files: o.files,
      rules: resolveRules(o.rules, `/overrides/${i}/rules`)
    }))
  ];
  const ignores = ((d.ignores ?? []) as { rules: string | string[]; files?: string[]; until?: string; reason: string }[]).map((ig, i): Ignore => {
    const ids = Array.isArray(ig.rules) ? ig.rules : [ig.rules];
    for (const id of ids) if (!byKey.has(id.toLowerCase())) fail(`/ignores/${i}/rules`, `unknown rule "${id}" in ignores`);
    if (ig.until && Number.isNaN(Date.parse(`${ig.until}T00:00:00Z`))) fail(`/ignores/${i}/until`, `"${ig.until}" is not a valid date (YYYY-MM-DD)`);
    return { rules: ids, files: ig.files, until: ig.until, reason: ig.reason, source: { file, line: lineOf(positions, `/ignores/${i}`) } };
  });
  config.ignores = [...config.ignores, ...ignores];
  if (d.verify) config.verify = mergeVerify(config.verify, parseVerify(d.verify as Raw, file, positions, fail, options.now ?? new Date()));
  if (d.gate) config.gate = mergeGate(config.gate, parseGate(d.gate as Raw, file, positions, fail));
  if (d.comment !== undefined) config.comment = d.comment;
  return config;
}

/**
 * YAML text → data; an empty or comments-only file is `undefined` (js-yaml 5 rejects it),
 * a syntax error a ConfigError at its line.
 */
function loadYaml(text: string, file: string): unknown {
  if (text.split(/\r?\n/).every((l) => l.trim() === '' || l.trim().startsWith('#'))) return undefined;
  try {
    return load(text);
  } catch (e) {
    if (e instanceof YAMLException) {
      const mark = (e as YAMLException & { mark?: { line?: number } }).mark;
      throw new ConfigError(file, (mark?.line ?? 0) + 1, `invalid YAML: ${e.reason}`);
    }
    throw e;
  }
}

export interface ParseOptions {
  /** Source lines by JSON pointer, when the caller has them (presets built from objects have none). */
  positions?: Map<string, number>;
  /** For the validity of inline certificates in `verify` keys (default: now). */
  now?: Date;
}

/** A copy safe to extend: later layers never mutate a base that other configs share. */
export function cloneConfig(c: Config): Config {
  return {
    ...c,
    rules: Object.fromEntries(Object.entries(c.rules).map(([k, v]) => [k, { ...v }])),
    overrides: [...c.overrides],
    ignores: [...c.ignores],
    lint: {
      ...c.lint,
      include: [...c.lint.include],
      exclude: [...c.lint.exclude],
      buildArgs: { ...c.lint.buildArgs },
      targets: [...c.lint.targets],
      platforms: [...c.lint.platforms],
      context: { ...c.lint.context }
    },
    verify: { ...c.verify, policies: [...c.verify.policies] },
    gate: { ...c.gate, vex: [...c.gate.vex], ignoreFiles: [...c.gate.ignoreFiles], ignores: [...c.gate.ignores], overrides: [...c.gate.overrides] },
    customRules: [...c.customRules],
    pluginRules: [...c.pluginRules],
    extendsChain: [...c.extendsChain]
  };
}

/** Scalars of a later layer win; lists add up. */
function mergeGate(base: GateConfig, layer: GateConfig): GateConfig {
  const out: GateConfig = { ...base };
  for (const k of ['failOn', 'maxCvss', 'max', 'onlyFixable', 'newOnly', 'kinds'] as const) {
    if (layer[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = layer[k];
  }
  out.vex = [...base.vex, ...layer.vex];
  out.ignoreFiles = [...base.ignoreFiles, ...layer.ignoreFiles];
  out.ignores = [...base.ignores, ...layer.ignores];
  out.overrides = [...base.overrides, ...layer.overrides];
  return out;
}

/** Compiles a file's `rules.custom` list; a problem becomes a ConfigError at its line. */
function compileCustom(
  defs: unknown[],
  file: string,
  positions: Map<string, number>,
  fail: (pointer: string, detail: string) => never,
  builtin: readonly Rule[]
): Rule[] {
  let compiled: Rule[];
  try {
    compiled = compileCustomRules(defs, (pointer) => ({ file, line: lineOf(positions, pointer) }), '/rules/custom');
  } catch (e) {
    if (e instanceof CustomRuleError) fail(e.absolutePointer, `custom rule ${e.message}`);
    throw e;
  }
  compiled.forEach((rule, i) => {
    if (builtin.some((r) => r.meta.id === rule.meta.id)) fail(`/rules/custom/${i}/id`, `custom rule id "${rule.meta.id}" is a built-in rule id`);
  });
  return compiled;
}

export interface ConfigHeader {
  extends: { value: string; line: number }[];
  plugins: { value: string; line: number }[];
}

/**
 * The `extends` and `plugins` entries of a config text, validated, with their lines: the I/O layer
 * resolves them before it parses the file itself (whose `rules:` may name rules they define).
 */
export function configHeader(text: string, file: string): ConfigHeader {
  const d = (loadYaml(text, file) ?? {}) as Raw;
  const positions = yamlPositions(text);
  const list = (key: string) => {
    const v = d[key];
    if (v === undefined) return [];
    const arr = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(arr) || arr.some((x) => typeof x !== 'string' || x === ''))
      throw new ConfigError(file, lineOf(positions, `/${key}`), `"${key}" must be a name or a list of names`);
    return (arr as string[]).map((value, i) => ({ value, line: lineOf(positions, typeof v === 'string' ? `/${key}` : `/${key}/${i}`) }));
  };
  return { extends: list('extends'), plugins: list('plugins') };
}

type Raw = Record<string, unknown>;

function parseGate(g: Raw, file: string, positions: Map<string, number>, fail: (pointer: string, detail: string) => never): GateConfig {
  const ignores = ((g.ignores ?? []) as Raw[]).map((ig, i) => {
    const until = ig.until as string | undefined;
    if (until && Number.isNaN(Date.parse(`${until}T00:00:00Z`))) fail(`/gate/ignores/${i}/until`, `"${until}" is not a valid date (YYYY-MM-DD)`);
    return {
      id: ig.id as string,
      package: ig.package as string | undefined,
      image: ig.image as string | undefined,
      until,
      reason: ig.reason as string,
      source: { file, line: lineOf(positions, `/gate/ignores/${i}`) }
    };
  });
  const overrides = ((g.overrides ?? []) as Raw[]).map((o) => ({
    images: o.images as string[],
    failOn: o['fail-on'] as GateConfig['failOn'],
    maxCvss: o['max-cvss'] as number | undefined,
    max: o.max as GateConfig['max'],
    onlyFixable: o['only-fixable'] as boolean | undefined,
    kinds: o.kinds as GateConfig['kinds']
  }));
  return {
    failOn: g['fail-on'] as GateConfig['failOn'],
    maxCvss: g['max-cvss'] as number | undefined,
    max: g.max as GateConfig['max'],
    onlyFixable: g['only-fixable'] as boolean | undefined,
    newOnly: g['new-only'] as boolean | undefined,
    kinds: g.kinds as GateConfig['kinds'],
    // Paths are relative to the file that wrote them (paths.ts); the gate run resolves them against cwd.
    vex: ((g.vex ?? []) as string[]).map((p) => resolveConfigPath(p, file)),
    ignoreFiles: ((g['ignore-files'] ?? []) as string[]).map((p) => resolveConfigPath(p, file)),
    ignores,
    overrides
  };
}

type Fail = (pointer: string, detail: string) => never;

/** What one file's `verify:` section says; unset parts are left to the configs it extends. */
interface VerifyLayer {
  policies: VerifyPolicy[];
  default?: VerifyConfig['default'];
  trustedRoot?: string;
}

/**
 * An extending file's policies come first: it is the more specific one, and the first matching policy
 * decides. Its `default` and `trusted-root` replace the base's when set.
 */
function mergeVerify(base: VerifyConfig, layer: VerifyLayer): VerifyConfig {
  const out: VerifyConfig = { policies: [...layer.policies, ...base.policies], default: layer.default ?? base.default };
  const trustedRoot = layer.trustedRoot ?? base.trustedRoot;
  if (trustedRoot !== undefined) out.trustedRoot = trustedRoot;
  return out;
}

function parseVerify(v: Raw, file: string, positions: Map<string, number>, fail: Fail, now: Date): VerifyLayer {
  const policies = ((v.policies ?? []) as Raw[]).map((p, i): VerifyPolicy => {
    const images = typeof p.images === 'string' ? [p.images] : (p.images as string[]);
    return { images, ...parseVerifyPolicy(p, `/verify/policies/${i}`, file, positions, fail, now) };
  });
  const layer: VerifyLayer = { policies };
  if (v.default) layer.default = parseVerifyPolicy(v.default as Raw, '/verify/default', file, positions, fail, now);
  if (v['trusted-root'] !== undefined) layer.trustedRoot = resolveConfigPath(v['trusted-root'] as string, file);
  return layer;
}

/** One policy (or `default`) at `at`; the schema has checked the types, this checks what it cannot. */
function parseVerifyPolicy(p: Raw, at: string, file: string, positions: Map<string, number>, fail: Fail, now: Date): Omit<VerifyPolicy, 'images'> {
  const source = { file, line: lineOf(positions, at) };
  const require = (p.require ?? ['digest']) as Requirement[];
  const keys = ((p.keys ?? []) as (string | { path?: string; pem?: string })[]).map((k, j): KeySpec => {
    const ptr = `${at}/keys/${j}`;
    const spec: KeySpec = { source: { file, line: lineOf(positions, ptr) } };
    if (typeof k === 'string') spec.path = resolveConfigPath(k, file);
    else if ((k.path === undefined) === (k.pem === undefined)) fail(ptr, 'a key needs exactly one of "path" or "pem"');
    else if (k.path !== undefined) spec.path = resolveConfigPath(k.path, file);
    else {
      spec.pem = k.pem as string;
      // Inline keys are checked now; key files when the verify run reads them (checkKeySpec).
      checkKeySpec(spec.pem, spec, now);
    }
    return spec;
  });
  const keyless = ((p.keyless ?? []) as Raw[]).map((k, j): KeylessIdentity => {
    const ptr = `${at}/keyless/${j}`;
    const identity = k.identity as string | undefined;
    const identityRegexp = k['identity-regexp'] as string | undefined;
    if ((identity === undefined) === (identityRegexp === undefined)) fail(ptr, 'a keyless signer needs exactly one of "identity" or "identity-regexp"');
    if (identityRegexp !== undefined) {
      const problem = regexpProblem(identityRegexp);
      if (problem) fail(`${ptr}/identity-regexp`, `invalid identity-regexp ${JSON.stringify(identityRegexp)}: ${problem}`);
    }
    const issuer = k.issuer as string | undefined;
    const issuerRegexp = k['issuer-regexp'] as string | undefined;
    if ((issuer === undefined) === (issuerRegexp === undefined)) fail(ptr, 'a keyless signer needs exactly one of "issuer" or "issuer-regexp"');
    if (issuerRegexp !== undefined) {
      const problem = regexpProblem(issuerRegexp);
      if (problem) fail(`${ptr}/issuer-regexp`, `invalid issuer-regexp ${JSON.stringify(issuerRegexp)}: ${problem}`);
    }
    const out: KeylessIdentity = issuer !== undefined ? { issuer } : { issuerRegexp };
    if (identity !== undefined) out.identity = identity;
    if (identityRegexp !== undefined) out.identityRegexp = identityRegexp;
    if (k.github) out.github = { ...(k.github as KeylessIdentity['github']) };
    return out;
  });
  const where = `"${at.slice(1).replace(/\//g, '.')}"`;
  if (require.includes('signature') && keys.length === 0 && keyless.length === 0)
    fail(at, `${where} requires "signature" but names no "keys" or "keyless" signers to check it against`);
  if (!require.includes('signature') && !require.includes('attestation') && (keys.length > 0 || keyless.length > 0))
    fail(at, `${where} names signers but does not require "signature": add it to "require" or remove the signers`);
  // Attestations (issue 13): entries without signers of their own are checked against the policy's.
  const attestations =
    p.attestations === undefined
      ? undefined
      : parseAttestationEntries(p.attestations as unknown[], `${at}/attestations`, {
          file,
          fail,
          line: (ptr) => lineOf(positions, ptr),
          resolvePath: (x) => resolveConfigPath(x, file),
          checkInlineKey: (pem, spec) => checkKeySpec(pem, spec, now),
          regexpProblem,
          policyHasSigners: keys.length > 0 || keyless.length > 0
        });
  if (require.includes('attestation') && !attestations?.length)
    fail(at, `${where} requires "attestation" but lists no "attestations" (e.g. - type: slsaprovenance1)`);
  if (attestations?.length && !require.includes('attestation'))
    fail(at, `${where} lists attestations but does not require "attestation": add it to "require" or remove them`);
  return {
    require,
    keys,
    keyless,
    count: (p.count ?? 1) as number,
    signScope: (p['sign-scope'] ?? 'index') as SignScope,
    ...(p['signatures-repository'] !== undefined ? { signaturesRepository: p['signatures-repository'] as string } : {}),
    ...(attestations ? { attestations } : {}),
    source
  };
}

function regexpProblem(source: string): string | undefined {
  try {
    // Alone first: `a)|(b` must not slip through by closing the anchoring group.
    new RegExp(source, IDENTITY_REGEXP_FLAGS);
    new RegExp(`^(?:${source})$`, IDENTITY_REGEXP_FLAGS);
    return undefined;
  } catch (e) {
    // `Invalid regular expression: /(a/u: Unterminated group` → `unterminated group`
    const what = (/: ([^:]+)$/.exec((e as Error).message)?.[1] ?? (e as Error).message).trim();
    return what.charAt(0).toLowerCase() + what.slice(1);
  }
}

/**
 * A configured verification key as a KeyObject; a key that can verify nothing (malformed, a private key,
 * not EC P-256, a certificate outside its validity at `now`) is a ConfigError at the line the key was
 * written. The parser checks inline `pem` keys; the verify run calls it (as policy.ts checkKeySpec) with
 * the text of each key file.
 */
export function checkKeySpec(pem: string, spec: KeySpec, now: Date = new Date()): KeyObject {
  const r = loadPublicKey(pem, now);
  if (r.ok) return r.value;
  const what = spec.path !== undefined ? `key ${spec.path}` : 'inline key';
  const head =
    r.reason === 'expired-key'
      ? /not valid before/.test(r.detail)
        ? `certificate of ${what} is not valid yet`
        : `expired certificate in ${what}`
      : r.reason === 'unsupported-key-type'
        ? `unsupported ${what}`
        : `malformed ${what}`;
  throw new ConfigError(spec.source.file, spec.source.line, `${head}: ${r.detail}`);
}

/** Merges action inputs / CLI flags over a loaded config. */
export function withBuildArgs(config: Config, buildArgs: Record<string, string>): Config {
  return { ...config, lint: { ...config.lint, buildArgs: { ...config.lint.buildArgs, ...buildArgs } } };
}

/** Parses `KEY=value` lines or comma/space separated pairs (the action input and --build-arg). */
export function parseBuildArgs(text: string, source = 'build-args'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigError(source, 1, `"${part}" is not KEY=value`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
