/**
 * Compiles a custom rule definition (one item of `rules.custom`) into a normal Rule.
 * Everything is checked and built here, once: the schema, instruction keywords,
 * regexes, globs, which conditions can apply to the `when` subject, placeholders.
 * `check()` then only evaluates the compiled conditions on the model.
 *
 * Usage by the config loader:
 *
 *   const rule = compileCustomRule(def, (p) => ({ file, line: lineOf(positions, p) }), `/rules/custom/${i}`);
 *   // or, for the whole list (also rejects duplicate ids):
 *   const rules = compileCustomRules(list, at, '/rules/custom');
 *
 * A problem is thrown as CustomRuleError: `pointer` relative to the definition (or to
 * the list for compileCustomRules), `absolutePointer` = pointerBase + pointer, and
 * `location` = at(absolutePointer) when `at` was given.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { DockerfileModel } from '../dockerfile/model.js';
import type { Severity } from '../finding.js';
import type { Rule, RuleContext } from '../rules/types.js';
import { isSecretName, maskSecret, maskText } from '../secrets/detect.js';
import { compileCondition, compileKeywords, FILE_SUBJECT, type CompileEnv, type ConditionKind, type Evaluator, type Evidence } from './conditions.js';
import { CustomRuleError, pointerPath, pointerSegment, type ConfigLocation } from './errors.js';
import { Facts, finalStageIndexes, instructionImages, stageBaseImage, type Subject } from './facts.js';
import { customRuleSchema, type CustomRuleDefinition } from './schema.js';

export { CustomRuleError, type ConfigLocation } from './errors.js';
export type { CustomRuleDefinition } from './schema.js';

/** A compiled custom rule: a normal Rule, plus where it was defined. */
export interface CustomRule extends Rule {
  /** Where the definition starts, when the compiler was given `at` (`meta.source` is its file). */
  location?: ConfigLocation;
  /** The definition as written (after schema validation). */
  definition: CustomRuleDefinition;
}

export const PLACEHOLDERS = ['image', 'value', 'key', 'instruction', 'stage', 'line', 'program'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

// ---------------------------------------------------------------------------
// Schema validation, with messages that name the key and what is expected.

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(def: unknown): ErrorObject[] {
  // A private instance: the config loader's instance may embed the same schema ($id).
  validator ??= new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true }).compile(customRuleSchema);
  return validator(def) ? [] : [...(validator.errors ?? [])];
}

/** Messages for schemas with alternatives (oneOf/anyOf), by schema object: ajv's schemaPath depends on the $ref taken. */
const UNION_MESSAGES = (() => {
  const d = customRuleSchema.definitions;
  const c = d.condition.properties;
  return new Map<unknown, string>([
    [customRuleSchema, 'needs `require`, `forbid` or both'],
    [d.when, 'needs exactly one of `instruction` or `file: true`'],
    [d.when.properties.instruction, 'must be an instruction keyword or a list of keywords'],
    [d.match, 'must be a glob, a list of globs, { regex: "…" } or { glob: … }'],
    [d.pairs, 'must be a key glob, or { key: <match>, value: <match> }'],
    [d.port, 'must be a port number (0-65535) or a string such as "8080", "8000-8100" or "53/udp"'],
    [c.port, 'must be a port number, a string such as "8080", "8000-8100" or "53/udp", or a list of them'],
    [c.flag, 'must be a flag name (chmod) or { name: chmod, value: <match> }'],
    [c.mount, 'must be a mount type (secret, cache, bind, ssh, tmpfs) or an object of --mount options'],
    [c.run, 'must be a program glob, or { program, flag, arg, pipedTo }'],
    [c.run.oneOf[1].properties.flag, 'must be an option such as -k, or a list of options'],
    [c.instruction, 'must be an instruction keyword or a list of keywords']
  ]);
})();

/** Errors inside a oneOf/anyOf branch are noise once the union itself is reported. */
const inBranch = (e: ErrorObject) => /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath);

function errorPointer(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${pointerSegment((e.params as { additionalProperty: string }).additionalProperty)}`;
  if (e.keyword === 'required' && !inBranch(e)) return `${e.instancePath}/${pointerSegment((e.params as { missingProperty: string }).missingProperty)}`;
  return e.instancePath;
}

function where(pointer: string): string {
  return pointer === '' ? 'the rule' : `"${pointerPath(pointer)}"`;
}

function schemaProblem(errors: ErrorObject[]): CustomRuleError {
  // The most specific place: the deepest pointer (an unknown key counts as one level deeper).
  const depth = (e: ErrorObject) => errorPointer(e).split('/').length;
  const max = Math.max(...errors.map(depth));
  const here = errors.filter((e) => depth(e) === max);
  const pick = (kw: string, branch = false) => here.find((e) => e.keyword === kw && (branch || !inBranch(e)));
  const add = pick('additionalProperties', true);
  if (add) {
    const p = errorPointer(add);
    const parent = add.parentSchema as { properties?: Record<string, unknown> } | undefined;
    const allowed = parent?.properties ? ` (allowed: ${Object.keys(parent.properties).join(', ')})` : '';
    return new CustomRuleError(p, `unknown key "${(add.params as { additionalProperty: string }).additionalProperty}" in ${where(add.instancePath)}${allowed}`);
  }
  const req = pick('required');
  if (req) return new CustomRuleError(errorPointer(req), `${where(errorPointer(req))} is missing`);
  if (pick('dependencies')) {
    return new CustomRuleError(`${here[0].instancePath}/stage`, '"when.stage" is for instruction rules; a file-level rule judges the stages that ship');
  }
  // ajv reports the outer union after the inner ones.
  const union = here.findLast((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  if (union) {
    const msg = UNION_MESSAGES.get(union.parentSchema) ?? 'has an invalid form';
    return new CustomRuleError(union.instancePath, `${where(union.instancePath)} ${msg}`);
  }
  const e = here.find((x) => !inBranch(x)) ?? here[0];
  if (e.keyword === 'pattern' && e.instancePath === '/id') {
    return new CustomRuleError('/id', 'id must be lower case with a namespace, such as org/approved-registry (built-in rule ids have no slash)');
  }
  if (e.keyword === 'enum') {
    return new CustomRuleError(
      e.instancePath,
      `${where(e.instancePath)} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    );
  }
  return new CustomRuleError(e.instancePath, `${where(e.instancePath)} ${e.message ?? 'is invalid'}`);
}

// ---------------------------------------------------------------------------
// Placeholders

const KEY_SOURCES: ConditionKind[] = ['env', 'arg', 'label', 'flag', 'mount', 'run', 'instruction'];
const IMAGE_SUBJECTS = ['FROM', 'COPY', 'ADD', 'RUN', FILE_SUBJECT];

function checkPlaceholders(message: string, env: CompileEnv): void {
  for (const m of message.matchAll(PLACEHOLDER_RE)) {
    const name = m[1];
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new CustomRuleError('/message', `unknown placeholder {{${name}}} in message (known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`);
    }
    if (name === 'image' && !env.subjects.some((s) => IMAGE_SUBJECTS.includes(s))) {
      throw new CustomRuleError(
        '/message',
        `{{image}} has no value for ${env.subjects.join(', ')} rules: only FROM, COPY/ADD --from, RUN --mount and file-level rules have an image`
      );
    }
    if (name === 'program' && !env.used.has('run')) throw new CustomRuleError('/message', '{{program}} needs a `run` condition, which names the program');
    if (name === 'key' && !KEY_SOURCES.some((k) => env.used.has(k))) {
      throw new CustomRuleError('/message', '{{key}} needs an env, arg, label, flag, mount, run or instruction condition, which names the key');
    }
  }
}

/** `{{value}}` never shows a secret: values under secret-looking keys are masked whole, others by pattern. */
export function maskValue(value: string, key: string | undefined): string {
  if (value !== '' && key !== undefined && isSecretName(key.replace(/^--/, ''))) return maskSecret(value);
  return maskText(value);
}

function render(message: string, values: Record<Placeholder, string | undefined>): string {
  return message.replace(PLACEHOLDER_RE, (_m, name: string) => values[name as Placeholder] ?? '');
}

// ---------------------------------------------------------------------------

interface Compiled {
  keywords?: Set<string>;
  file: boolean;
  finalOnly: boolean;
  require?: Evaluator;
  forbid?: Evaluator;
}

function* subjectsOf(model: DockerfileModel, c: Compiled): Generator<Subject> {
  if (c.file) {
    // No FROM: nothing ships, but the file is still judged (at line 1) so `require` is not silently met.
    if (model.stages.length === 0) yield { file: true, keyword: 'FROM', line: 1, column: 1, images: [] };
    for (const s of model.stages) {
      if (!model.isShipped(s)) continue;
      yield { file: true, keyword: 'FROM', stage: s, line: s.instruction.line, column: s.instruction.column, images: stageBaseImage(model, s) };
    }
    return;
  }
  const final = c.finalOnly ? finalStageIndexes(model) : undefined;
  for (const instr of model.instructions) {
    if (!c.keywords?.has(instr.keyword)) continue;
    if (final && !final.has(instr.stage)) continue;
    yield {
      file: false,
      keyword: instr.keyword,
      instr,
      stage: instr.stage >= 0 ? model.stages[instr.stage] : undefined,
      line: instr.line,
      column: instr.column,
      images: instructionImages(model, instr)
    };
  }
}

function titleOf(message: string): string {
  return message
    .replace(PLACEHOLDER_RE, (_m, name: string) => `<${name}>`)
    .split('\n')[0]
    .trim();
}

/**
 * Compiles one custom rule definition. `at` maps an absolute JSON pointer to its place
 * in the config file; `pointerBase` is the definition's pointer (`/rules/custom/0`).
 */
export function compileCustomRule(def: unknown, at?: (pointer: string) => ConfigLocation, pointerBase = ''): CustomRule {
  try {
    return compile(def, at, pointerBase);
  } catch (e) {
    if (e instanceof CustomRuleError) {
      e.absolutePointer = pointerBase + e.pointer;
      if (at) e.location = locate(at, e.absolutePointer);
      if (!e.message.startsWith('"') && isObject(def) && typeof def.id === 'string' && e.pointer !== '/id') e.message = `"${def.id}": ${e.message}`;
    }
    throw e;
  }
}

/** Compiles `rules.custom` (pointerBase `/rules/custom`); a second rule with the same id is an error at its `id`. */
export function compileCustomRules(defs: readonly unknown[], at?: (pointer: string) => ConfigLocation, pointerBase = ''): CustomRule[] {
  const seen = new Map<string, number>();
  return defs.map((def, i) => {
    let rule: CustomRule;
    try {
      rule = compileCustomRule(def, at, `${pointerBase}/${i}`);
    } catch (e) {
      if (e instanceof CustomRuleError) e.pointer = `/${i}${e.pointer}`;
      throw e;
    }
    const first = seen.get(rule.meta.id);
    if (first !== undefined) {
      const err = new CustomRuleError(`/${i}/id`, `"${rule.meta.id}" is defined twice (first at item ${first}); custom rule ids must be unique`);
      err.absolutePointer = `${pointerBase}/${i}/id`;
      if (at) err.location = locate(at, err.absolutePointer);
      throw err;
    }
    seen.set(rule.meta.id, i);
    return rule;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function locate(at: (pointer: string) => ConfigLocation, pointer: string): ConfigLocation | undefined {
  try {
    return at(pointer);
  } catch {
    return undefined;
  }
}

function compile(def: unknown, at: ((pointer: string) => ConfigLocation) | undefined, pointerBase: string): CustomRule {
  const errors = validate(def);
  if (errors.length > 0) throw schemaProblem(errors);
  const d = def as CustomRuleDefinition;
  const file = d.when.file === true;
  const keywords = d.when.instruction === undefined ? undefined : compileKeywords(d.when.instruction, '/when/instruction');
  const env: CompileEnv = { subjects: file ? [FILE_SUBJECT] : [...new Set(keywords)], used: new Set() };
  const compiled: Compiled = {
    file,
    keywords: keywords ? new Set(keywords) : undefined,
    finalOnly: d.when.stage === 'final',
    require: d.require ? compileCondition(d.require, '/require', env) : undefined,
    forbid: d.forbid ? compileCondition(d.forbid, '/forbid', env) : undefined
  };
  checkPlaceholders(d.message, env);

  const location = at ? locate(at, pointerBase) : undefined;
  const title = titleOf(d.message);
  const where = location ? `\n\nCustom rule defined in \`${location.file}\` line ${location.line}.` : '';
  const help = d.help ?? (location ? `${location.file}#L${location.line}` : '');
  const severity: Severity = d.severity ?? 'warning';

  const check = ({ model, report }: RuleContext<object>): void => {
    for (const subject of subjectsOf(model, compiled)) {
      const facts = new Facts(model, subject);
      const slots = subject.images.length > 0 ? subject.images : [undefined];
      for (const image of slots) {
        const ctx = { facts, image };
        let ev: Evidence | undefined;
        let hit = false;
        if (compiled.forbid) {
          const r = compiled.forbid(ctx);
          if (r.v === true) [hit, ev] = [true, r.ev];
        }
        if (!hit && compiled.require) {
          const r = compiled.require(ctx);
          if (r.v === false) [hit, ev] = [true, r.ev];
        }
        if (!hit) continue;
        // Instruction rules point at the offending ENV/ARG/LABEL pair's line; file rules at the shipped stage's FROM.
        const line = !subject.file && ev?.line !== undefined ? ev.line : subject.line;
        const stage = subject.stage ? (subject.stage.name ?? String(subject.stage.index)) : subject.instr ? 'global' : '';
        const message = render(d.message, {
          image: image?.text,
          value: ev?.value === undefined ? undefined : maskValue(ev.value, ev.key),
          key: ev?.key,
          instruction: subject.stage || subject.instr ? subject.keyword : '',
          stage,
          line: String(line),
          program: ev?.program
        });
        report({ line, column: line === subject.line ? subject.column : 1, message, help });
        break; // once per subject
      }
    }
  };

  return {
    meta: {
      id: d.id,
      aliases: [...(d.aliases ?? [])],
      severity,
      enabledByDefault: true,
      title,
      description: `${d.description ?? (/[.!?]$/.test(title) ? title : `${title}.`)}${where}`,
      bad: '',
      good: '',
      tags: [...new Set([...(d.tags ?? []), 'custom'])],
      ...(location ? { source: location.file } : {})
    },
    defaultOptions: {},
    check,
    location,
    definition: d
  };
}
