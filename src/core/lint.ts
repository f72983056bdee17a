/**
 * The lint engine: bytes of one Dockerfile + config in, findings out.
 * Rules run on the model; then, once, in this order: severity and on/off from
 * config and overrides, inline suppressions, config ignores, secret masking.
 */
import { minimatch } from 'minimatch';
import type { Config, Ignore, RuleSetting } from './config/types.js';
import { parseDockerfile, type Instruction, type LimitHit } from './dockerfile/model.js';
import { setShellBudget, type ShellScript } from './shell/parser.js';
import { compareFindings, severityRank, type Finding, type Severity } from './finding.js';
import type { ExternalResults, Rule, ReportDescriptor } from './rules/types.js';
import { docsUrl } from './rules/types.js';
import { isBuildkitCheck } from './rules/upstream.js';
import { maskFindingText, maskSourceLine, secretInventory } from './secrets/mask.js';
import { checkErrorDirective, findSuppression, parseSuppressions } from './suppress.js';

export interface LintFileResult {
  file: string;
  findings: Finding[];
  /** Findings hidden by suppressions or ignores, kept for reporting. */
  suppressed: Finding[];
  /**
   * The file's text could not be had (binary, invalid UTF-8, over the size limit): exit code 2.
   * Parse errors and bounds hit while linting are findings (exit 1 at `--fail-on error`), not this.
   */
  error?: string;
}

/** Pseudo-rules the engine itself reports. */
export const ENGINE_RULES = {
  parseError: 'parse-error',
  limitExceeded: 'limit-exceeded',
  unknownInstruction: 'unknown-instruction',
  ruleFailure: 'rule-failure',
  unusedSuppression: 'unused-suppression',
  expiredIgnore: 'expired-ignore'
} as const;

const isMatch = (file: string, globs: string[]) => globs.some((g) => minimatch(file, g, { dot: true, matchBase: !g.includes('/') }));

/** Globs in overrides and ignores are relative to the config file's directory, as in ESLint. */
function configRelative(config: Config, file: string): string {
  const base = config.baseDir;
  return base && file.startsWith(base + '/') ? file.slice(base.length + 1) : file;
}

/** Index from lower-cased rule id or alias to rule ids. */
export function aliasIndex(rules: readonly Rule[]): Map<string, string[]> {
  const idx = new Map<string, string[]>();
  const add = (k: string, id: string) => {
    const key = k.toLowerCase();
    const list = idx.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    idx.set(key, list);
  };
  for (const r of rules) {
    add(r.meta.id, r.meta.id);
    for (const a of r.meta.aliases) add(a, r.meta.id);
  }
  return idx;
}

export function effectiveSetting(
  rule: Rule,
  config: Config,
  file: string
): { enabled: boolean; severity: Severity; explicitSeverity: boolean; options: object } {
  const base: RuleSetting = config.rules[rule.meta.id] ?? {};
  let enabled = base.enabled ?? rule.meta.enabledByDefault ?? true;
  let severity = base.severity ?? rule.meta.severity;
  let explicitSeverity = base.severity !== undefined;
  let options: Record<string, unknown> = { ...(rule.defaultOptions as Record<string, unknown>), ...(base.options ?? {}) };
  for (const o of config.overrides) {
    if (!isMatch(configRelative(config, file), o.files)) continue;
    const s = o.rules[rule.meta.id];
    if (!s) continue;
    if (s.enabled !== undefined) enabled = s.enabled;
    if (s.severity) {
      severity = s.severity;
      explicitSeverity = true;
    }
    if (s.options) options = { ...options, ...s.options };
  }
  return { enabled, severity, explicitSeverity, options };
}

type Setting = ReturnType<typeof effectiveSetting>;

/**
 * The settings of every rule for one file. A file that no override matches (the usual case) shares the
 * settings computed once per run (`LintOptions.settingsCache`); otherwise the overrides that match the file are found once, not once
 * per rule. Rules must treat `options` as read-only (they do: options are data from the config).
 */
function settingsFor(config: Config, file: string, cache: Map<Rule, Setting> | undefined): (rule: Rule) => Setting {
  const rel = configRelative(config, file);
  const matching = config.overrides.filter((o) => isMatch(rel, o.files));
  if (matching.length === 0) {
    const shared = cache ?? new Map<Rule, Setting>();
    return (rule) => {
      let s = shared.get(rule);
      if (!s) shared.set(rule, (s = effectiveSetting(rule, { ...config, overrides: [] }, file)));
      return s;
    };
  }
  const narrowed: Config = { ...config, overrides: matching };
  return (rule) => effectiveSetting(rule, narrowed, file);
}

/** Lower-cased id and aliases of a rule, the keys suppressions and ignores are matched against. */
const idKeys = new WeakMap<Rule, string[]>();
function ruleKeys(rule: Rule): string[] {
  let k = idKeys.get(rule);
  if (!k) idKeys.set(rule, (k = [rule.meta.id, ...rule.meta.aliases].map((x) => x.toLowerCase())));
  return k;
}

/** Why a file of `size` bytes is not read (the I/O layer says the same of files it does not read whole). */
export function oversizeMessage(size: number, maxSize: number): string {
  return `file is ${(size / 1048576).toFixed(1)} MiB, over the ${(maxSize / 1048576).toFixed(1)} MiB limit for a Dockerfile (raise lint.max-file-size if this is intended)`;
}

/** Bytes → text, or the reason the file is not a Dockerfile (size, binary, invalid UTF-8). */
export function decodeDockerfile(content: string | Uint8Array, maxSize: number): { text?: string; error?: string; line?: number; oversize?: boolean } {
  if (typeof content === 'string') {
    if (content.length > maxSize)
      return { error: `file has ${content.length} characters, over the ${maxSize}-byte limit for a Dockerfile (lint.max-file-size)`, oversize: true };
    return { text: content };
  }
  if (content.byteLength > maxSize) return { oversize: true, error: oversizeMessage(content.byteLength, maxSize) };
  const probe = content.subarray(0, 8192);
  if (probe.includes(0)) return { error: 'binary file (contains NUL bytes), not a Dockerfile' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content) };
  } catch {
    // Find the first bad byte to name its line.
    const loose = new TextDecoder('utf-8').decode(content);
    const bad = loose.indexOf('\uFFFD');
    const line = bad < 0 ? 1 : loose.slice(0, bad).split('\n').length;
    return { error: `invalid UTF-8 at line ${line}: save the file as UTF-8`, line };
  }
}

/** Per-file time budget of the lint engine (model, shell parses and rules together); see docs/limits.md. */
export const LINT_TIME_BUDGET_MS = 20_000;
/** Findings of one rule listed per file; more are summed up in one finding (see capPerRule). */
export const MAX_FINDINGS_PER_RULE = 1000;

export interface LintOptions {
  /** Findings of one rule listed per file (default MAX_FINDINGS_PER_RULE). */
  maxFindingsPerRule?: number;
  /** Per-file time budget in ms (default LINT_TIME_BUDGET_MS); tests lower it. */
  timeBudgetMs?: number;
  /** Today, for ignore expiry (injected so tests are deterministic). */
  now?: Date;
  /** Shared by the files of one run: identical RUN bodies are parsed once. */
  shellCache?: Map<string, ShellScript>;
  /**
   * Shared by the files of one run (lintAll makes one): the rule settings of files no override matches,
   * computed once per rule instead of once per rule per file. The config must not change during the run.
   */
  settingsCache?: Map<Rule, Setting>;
  /** External tool results per file (ShellCheck), gathered by the I/O layer. */
  external?: Map<string, ExternalResults>;
}

export function lintFile(file: string, content: string | Uint8Array, config: Config, rules: readonly Rule[], options: LintOptions = {}): LintFileResult {
  const decoded = decodeDockerfile(content, config.lint.maxFileSize);
  const base = {
    ruleId: ENGINE_RULES.parseError,
    aliases: [],
    severity: 'error' as Severity,
    file,
    column: 1,
    help: docsUrl(ENGINE_RULES.parseError),
    tool: 'lint'
  };
  if (decoded.error !== undefined) {
    const line = decoded.line ?? 1;
    const ruleId = decoded.oversize ? ENGINE_RULES.limitExceeded : ENGINE_RULES.parseError;
    return { file, findings: [{ ...base, ruleId, help: docsUrl(ruleId), line, endLine: line, message: decoded.error }], suppressed: [], error: decoded.error };
  }
  const start = performance.now();
  const deadline = start + (options.timeBudgetMs ?? LINT_TIME_BUDGET_MS);
  const prevBudget = setShellBudget({ deadline });
  try {
    return lintText(file, decoded.text as string, config, rules, options, deadline, base);
  } catch (e) {
    // Whatever a hostile file does to the model, it costs this file one finding; the run goes on.
    const message = `the file could not be analysed: ${(e as Error)?.message ?? String(e)}`;
    return {
      file,
      findings: [{ ...base, ruleId: ENGINE_RULES.limitExceeded, help: docsUrl(ENGINE_RULES.limitExceeded), line: 1, endLine: 1, message }],
      suppressed: []
    };
  } finally {
    setShellBudget(prevBudget);
  }
}

type BaseFinding = Omit<Finding, 'line' | 'endLine' | 'message'>;

function lintText(
  file: string,
  text: string,
  config: Config,
  rules: readonly Rule[],
  options: LintOptions,
  deadline: number,
  base: BaseFinding
): LintFileResult {
  const model = parseDockerfile(file, text, {
    buildArgs: config.lint.buildArgs,
    targets: config.lint.targets,
    shellCache: options.shellCache
  });
  const secrets = secretInventory(model);
  const raw: Finding[] = [];
  const limitFinding = (line: number, message: string): Finding => ({
    ...base,
    ruleId: ENGINE_RULES.limitExceeded,
    help: docsUrl(ENGINE_RULES.limitExceeded),
    line,
    endLine: line,
    message
  });

  if (model.instructions.length === 0) {
    // BuildKit: "file with no instructions".
    raw.push({ ...base, line: 1, endLine: 1, message: 'file with no instructions: an empty or comment-only Dockerfile cannot be built' });
  }
  for (const p of model.problems) {
    const ruleId = p.kind === 'syntax' ? ENGINE_RULES.parseError : ENGINE_RULES.unknownInstruction;
    raw.push({ ...base, ruleId, help: docsUrl(ruleId), line: p.line, endLine: p.line, message: p.message });
  }

  // Which rules asked for a RUN script that hit a bound, per instruction: they could not check it.
  const askedBy = new Map<Instruction, Set<string>>();
  const nestedLimits: { rule: string; message: string }[] = [];
  let current = '';
  model.onUnanalysed = (instr) => {
    const set = askedBy.get(instr) ?? new Set<string>();
    set.add(current);
    askedBy.set(instr, set);
  };
  setShellBudget({ deadline, onLimit: (message) => nestedLimits.push({ rule: current, message }) });

  const skipped: string[] = [];
  const maxPerRule = options.maxFindingsPerRule ?? MAX_FINDINGS_PER_RULE;
  const rawCount = new Map<string, number>();
  const overflow: Overflow = new Map();
  const settingOf = settingsFor(config, file, options.settingsCache);
  // Lower-cased ids of each finding's rule, kept beside it so the loop below does not rebuild them per finding.
  const keysOf = new Map<Finding, string[]>();
  for (const rule of rules) {
    const setting = settingOf(rule);
    if (!setting.enabled) continue;
    const keys = ruleKeys(rule);
    if (performance.now() > deadline) {
      skipped.push(rule.meta.id);
      continue;
    }
    current = rule.meta.id;
    const report = (d: ReportDescriptor) => {
      const ruleId = d.ruleId ?? rule.meta.id;
      const severity = setting.explicitSeverity ? setting.severity : (d.severity ?? setting.severity);
      // Past a few times the listed maximum, findings are only counted (memory stays bounded; see capPerRule).
      const n = (rawCount.get(ruleId) ?? 0) + 1;
      rawCount.set(ruleId, n);
      if (n > maxPerRule * 4) {
        const o = overflow.get(ruleId);
        if (!o) {
          const template: Finding = {
            ruleId,
            aliases: rule.meta.aliases,
            severity,
            file,
            line: d.line,
            column: 1,
            endLine: d.line,
            message: '',
            help: d.help ?? docsUrl(rule.meta.id),
            tool: 'lint'
          };
          overflow.set(ruleId, { n: 1, severity, template });
        } else {
          o.n++;
          if (severityRank(severity) > severityRank(o.severity)) o.severity = severity;
        }
        return;
      }
      const finding: Finding = {
        ruleId,
        aliases: d.aliases ? [...d.aliases, ...rule.meta.aliases] : rule.meta.aliases,
        severity,
        file,
        line: d.line,
        column: d.column ?? 1,
        endLine: d.endLine ?? d.line,
        message: d.message,
        help: d.help ?? docsUrl(rule.meta.id),
        fix: d.fix,
        tool: 'lint'
      };
      raw.push(finding);
      if (!d.ruleId && !d.aliases) keysOf.set(finding, keys);
    };
    try {
      rule.check({ model, options: setting.options, external: options.external?.get(file) ?? {}, platforms: config.lint.platforms, report });
    } catch (e) {
      // A rule bug must not take the other rules (or files) down with it.
      raw.push({
        ...base,
        ruleId: ENGINE_RULES.ruleFailure,
        severity: 'warning',
        help: docsUrl(ENGINE_RULES.ruleFailure),
        line: 1,
        endLine: 1,
        message: `rule ${rule.meta.id}${rule.meta.source ? ` (from ${rule.meta.source})` : ''} failed on this file: ${(e as Error)?.message ?? String(e)}`
      });
    }
  }
  model.onUnanalysed = undefined;
  current = '';

  for (const f of limitFindings(model.limits, askedBy, rules, limitFinding)) raw.push(f);
  const nestedByRule = new Map<string, string>();
  for (const n of nestedLimits) if (!nestedByRule.has(n.rule)) nestedByRule.set(n.rule, n.message);
  for (const [rule, message] of nestedByRule) {
    raw.push(limitFinding(1, `rule ${rule} could not analyse a shell script nested in a RUN (sh -c '…', $(…)): ${message}`));
  }
  if (skipped.length > 0) {
    const budget = Math.round((options.timeBudgetMs ?? LINT_TIME_BUDGET_MS) / 1000);
    raw.push(limitFinding(1, `linting this file took longer than the ${budget} s time budget; these rules did not run: ${skipped.join(', ')}`));
  }

  const sups = parseSuppressions(model);
  // `# check=error=true`: BuildKit's own checks fail the build, so they are errors here too.
  const buildkitErrors = checkErrorDirective(model);
  const now = options.now ?? new Date();
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const relFile = configRelative(config, file);
  for (const f of raw) {
    const ids = keysOf.get(f) ?? [f.ruleId, ...f.aliases].map((s) => s.toLowerCase());
    const unsuppressible = f.ruleId === ENGINE_RULES.parseError || f.ruleId === ENGINE_RULES.limitExceeded;
    const hiddenInline = !unsuppressible && sups.length > 0 && findSuppression(sups, ids, f.line);
    const hiddenByConfig = !hiddenInline && config.ignores.length > 0 && config.ignores.some((ig) => ignoreApplies(ig, ids, relFile, now));
    const line = model.lines[f.line - 1];
    // Built field by field (no spread-then-delete, which leaves slow dictionary-mode objects for the sort).
    // Masked by span (secrets/mask.ts): a name-only secret is masked in findings about its own instruction.
    const masked: Finding = {
      ruleId: f.ruleId,
      aliases: f.aliases,
      severity: buildkitErrors && isBuildkitCheck(ids) ? 'error' : f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      message: maskFindingText(f.message, secrets, f),
      help: maskFindingText(f.help, secrets, f)
    };
    if (f.tool !== undefined) masked.tool = f.tool;
    if (line !== undefined) masked.snippet = maskSourceLine(line, f.line, secrets);
    if (f.fix) masked.fix = { ...f.fix, replacement: maskFindingText(f.fix.replacement, secrets, f.fix) };
    if (hiddenInline) suppressed.push({ ...masked, suppressedBy: 'inline' });
    else if (hiddenByConfig) suppressed.push({ ...masked, suppressedBy: 'config' });
    else findings.push(masked);
  }

  const unusedRule = rules.find((r) => r.meta.id === ENGINE_RULES.unusedSuppression);
  if (unusedRule) {
    const setting = effectiveSetting(unusedRule, config, file);
    if (setting.enabled) {
      for (const s of sups) {
        for (const id of s.ids) {
          if (s.used.has(id) || s.used.has('all')) continue;
          findings.push({
            ruleId: unusedRule.meta.id,
            aliases: [],
            severity: setting.severity,
            file,
            line: s.line,
            column: 1,
            endLine: s.line,
            message: `suppression of "${id}" matched no finding; remove it`,
            help: docsUrl(unusedRule.meta.id),
            tool: 'lint'
          });
        }
      }
    }
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  // Counted-only findings go with their first one: suppressed if it is (a global or stage ignore usually).
  const overflowShown: Overflow = new Map();
  const overflowHidden: Overflow = new Map();
  for (const [ruleId, o] of overflow) {
    const ids = [ruleId, ...o.template.aliases].map((x) => x.toLowerCase());
    const inline = findSuppression(sups, ids, o.template.line);
    const byConfig = !inline && config.ignores.some((ig) => ignoreApplies(ig, ids, configRelative(config, file), now));
    if (inline || byConfig) overflowHidden.set(ruleId, { ...o, template: { ...o.template, suppressedBy: inline ? 'inline' : 'config' } });
    else overflowShown.set(ruleId, o);
  }
  return { file, findings: capPerRule(findings, maxPerRule, overflowShown), suppressed: capPerRule(suppressed, maxPerRule, overflowHidden) };
}

/**
 * At most `max` findings of one rule per file (they are sorted, so the first ones by line); the rest
 * (and those the engine only counted, past 4× `max`)
 * become one finding of that rule, at the most severe level among them, saying how many were not
 * listed. A 2 MB file of 150,000 `MAINTAINER` lines made a 100 MB JSON and a 250 MB SARIF report.
 */
type Overflow = Map<string, { n: number; severity: Severity; template: Finding }>;

function capPerRule(findings: Finding[], max: number, overflow: Overflow = new Map()): Finding[] {
  const count = new Map<string, number>();
  for (const f of findings) count.set(f.ruleId, (count.get(f.ruleId) ?? 0) + 1);
  if (overflow.size === 0 && [...count.values()].every((n) => n <= max)) return findings;
  const kept: Finding[] = [];
  const seen = new Map<string, number>();
  const dropped = new Map<string, { first: Finding; n: number; severity: Severity }>();
  for (const f of findings) {
    const k = (seen.get(f.ruleId) ?? 0) + 1;
    seen.set(f.ruleId, k);
    if (k <= max) {
      kept.push(f);
      continue;
    }
    const d = dropped.get(f.ruleId);
    if (!d) dropped.set(f.ruleId, { first: f, n: 1, severity: f.severity });
    else {
      d.n++;
      if (severityRank(f.severity) > severityRank(d.severity)) d.severity = f.severity;
    }
  }
  // Findings only counted (past 4× the maximum, never checked against suppressions): added to the sum.
  for (const [ruleId, o] of overflow) {
    const d = dropped.get(ruleId);
    if (d) {
      d.n += o.n;
      if (severityRank(o.severity) > severityRank(d.severity)) d.severity = o.severity;
    } else dropped.set(ruleId, { first: o.template, n: o.n, severity: o.severity });
  }
  for (const [ruleId, d] of dropped) {
    kept.push({
      ...d.first,
      severity: d.severity,
      column: 1,
      endLine: d.first.line,
      message: `${d.n} more ${ruleId} findings in this file from this line on are not listed (${max} per rule per file) [bound: findings-per-rule]`,
      fix: undefined
    });
    const last = kept[kept.length - 1];
    delete last.fix;
  }
  kept.sort(compareFindings);
  return kept;
}

/** One `limit-exceeded` finding per bound hit per line, naming the bound and the rules that could not check the instruction. */
function limitFindings(
  hits: readonly LimitHit[],
  askedBy: Map<Instruction, Set<string>>,
  rules: readonly Rule[],
  make: (line: number, message: string) => Finding
): Finding[] {
  const security = new Set(rules.filter((r) => r.meta.tags.includes('security')).map((r) => r.meta.id));
  return hits.map((h) => {
    let message = `${h.message} [bound: ${h.bound}]`;
    const asked = h.instruction ? askedBy.get(h.instruction) : undefined;
    if (h.bound === 'shell-script') {
      const list = asked ? [...asked].sort() : [];
      const sec = list.filter((id) => security.has(id));
      message +=
        list.length === 0
          ? '; no rule read its commands'
          : `; these rules could not check its commands: ${list.join(', ')}${sec.length > 0 ? ` (security rules: ${sec.join(', ')})` : ''}`;
    } else if (h.bound === 'substitution' || h.bound === 'expansion-budget') {
      message += '; values that depend on it are treated as unknown';
    }
    return make(h.line, message);
  });
}

export function ignoreApplies(ig: Ignore, ids: string[], file: string, now: Date): boolean {
  if (ig.until && isExpired(ig.until, now)) return false;
  if (ig.files && ig.files.length > 0 && !isMatch(file, ig.files)) return false;
  return ig.rules.some((r) => ids.includes(r.toLowerCase()));
}

export function isExpired(until: string, now: Date): boolean {
  // An ignore is valid through the whole `until` day (UTC).
  return now.toISOString().slice(0, 10) > until;
}

/** One warning per expired ignore, pointing at the config line: it no longer hides anything. */
export function expiredIgnoreFindings(config: Config, now: Date = new Date()): Finding[] {
  return config.ignores
    .filter((ig) => ig.until && isExpired(ig.until, now))
    .map((ig) => ({
      ruleId: ENGINE_RULES.expiredIgnore,
      aliases: [],
      severity: 'warning' as Severity,
      file: ig.source?.file ?? config.file ?? '.container-guard.yml',
      line: ig.source?.line ?? 1,
      column: 1,
      endLine: ig.source?.line ?? 1,
      message: `ignore of ${ig.rules.join(', ')} expired on ${ig.until} and no longer hides findings (reason was: ${ig.reason})`,
      help: docsUrl(ENGINE_RULES.expiredIgnore),
      tool: 'lint'
    }));
}
