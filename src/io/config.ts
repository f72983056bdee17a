/**
 * Reads the config file (explicit path, or .container-guard.yml in cwd), resolves
 * `extends` (presets, relative files, npm packages; cycles are an error) and loads
 * `plugins`, then parses each layer with the pure loader, base first.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { minimatch } from 'minimatch';
import { ConfigError, configHeader, parseConfig } from '../core/config/load.js';
import { defaultConfig, type Config } from '../core/config/types.js';
import { presetData, presetName, PRESET_NAMES } from '../core/presets/index.js';
import type { Rule } from '../core/rules/types.js';
import { resolveConfigPath } from '../core/config/paths.js';
import { findConfig, toPosix, walkFiles } from './files.js';
import { dump } from 'js-yaml';

/** Bounds on plugin code (issue 15): a plugin rule that loops must cost one finding, not the run. */
export interface LoadConfigOptions {
  /** Longest one plugin rule may run on one file before it is stopped (a `rule-failure` finding). */
  pluginRuleBudgetMs?: number;
  /** Longest a plugin module may take to load (its top-level code) before it is reported and skipped. */
  pluginLoadBudgetMs?: number;
}

export const PLUGIN_RULE_BUDGET_MS = 5_000;
export const PLUGIN_LOAD_BUDGET_MS = 10_000;

export interface LoadedConfig {
  config: Config;
  /** Problems loading plugins: reported as findings against the plugin, not a crash. */
  pluginErrors: { file: string; message: string }[];
}

/** Largest config file read (issue 15): a config is a few KB; anything bigger is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a config file: only a regular file (a device such as /dev/zero, a FIFO or a directory would hang or
 * mislead) and at most MAX_CONFIG_BYTES (checked on the open descriptor, and on what is actually read).
 */
export function readConfigText(abs: string): string {
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ConfigError(abs, 1, 'cannot read config: not a regular file');
    if (st.size > MAX_CONFIG_BYTES) throw new ConfigError(abs, 1, `cannot read config: ${st.size} bytes, more than the ${MAX_CONFIG_BYTES} a config may have`);
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let len = 0;
    for (let r; len < buf.length && (r = fs.readSync(fd, buf, len, buf.length - len, null)) > 0;) len += r;
    if (len > MAX_CONFIG_BYTES) throw new ConfigError(abs, 1, `cannot read config: more than the ${MAX_CONFIG_BYTES} bytes a config may have`);
    return buf.toString('utf8', 0, len);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when `file` (symlinks resolved) is inside `root` (symlinks resolved); a missing file is judged by its path. */
function insideRepo(file: string, root: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const rel = path.relative(real(root), real(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function shown(cwd: string, abs: string): string {
  return toPosix(path.relative(cwd, abs)) || abs;
}

/** A file named by an extends entry: `./x.yml` relative to the config, or an npm package's container-guard.yml. */
function resolveExtends(spec: string, fromFile: string, line: number, shownFrom: string): string {
  const dir = path.dirname(fromFile);
  if (spec.startsWith('.') || spec.startsWith('/')) return path.resolve(dir, spec);
  const require = createRequire(path.join(dir, 'noop.js'));
  for (const candidate of [`${spec}/container-guard.yml`, `${spec}/container-guard.yaml`, `${spec}/.container-guard.yml`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next name
    }
  }
  throw new ConfigError(
    shownFrom,
    line,
    `cannot resolve extends "${spec}": not a preset (${PRESET_NAMES.join(', ')}), a relative path or an installed npm package with a container-guard.yml`
  );
}

/**
 * Runs `fn` with a deadline that also stops a synchronous endless loop: `vm`'s timeout watchdog terminates
 * whatever runs inside the script, including functions of this realm it calls (the plugin's `check`).
 */
const budgetContext = vm.createContext({ run: undefined as undefined | (() => void) });
const budgetScript = new vm.Script('run()');
/** Thrown when the budget ran out (so callers need not recognise the message). */
class BudgetExceeded extends Error {}
function withBudget(fn: () => void, ms: number, what: string): void {
  (budgetContext as { run?: () => void }).run = fn;
  try {
    budgetScript.runInContext(budgetContext, { timeout: ms });
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new BudgetExceeded(`${what} took longer than its ${ms} ms time budget and was stopped`, { cause: e });
    throw e;
  } finally {
    (budgetContext as { run?: () => void }).run = undefined;
  }
}

/** Heap a plugin's top-level code may use in the probe: a module that allocates without end costs one error. */
const PLUGIN_LOAD_HEAP_MB = 256;

/**
 * Evaluates the module once in a worker thread first, so that top-level code that never finishes (or takes
 * longer than `ms`), exits, or allocates without end is reported instead of hanging or ending every command
 * that loads the config. Its output is read and dropped, so it cannot pile up in this process.
 */
function loadsInTime(abs: string, ms: number): Promise<string | undefined> {
  const code =
    "const { parentPort, workerData } = require('node:worker_threads');" +
    "import(workerData).then(() => parentPort.postMessage(''), (e) => parentPort.postMessage(String((e && e.message) || e)));";
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: pathToFileURL(abs).href,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: PLUGIN_LOAD_HEAP_MB }
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (problem: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(problem);
    };
    const timer = setTimeout(() => settle(`loading took longer than the ${ms} ms time budget (top-level code that does not finish)`), ms);
    worker.once('message', (m: string) => settle(m === '' ? undefined : `failed to load: ${m}`));
    worker.once('error', (e) => settle(`failed to load: ${e.message}`));
    worker.once('exit', (code) => settle(`failed to load: its top-level code ended the process (exit code ${code})`));
  });
}

/** The folder part of a glob before its first magic character: where the walk for it starts. */
function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => /[*?[\]{}()!+@]/.test(p));
  return (i < 0 ? parts.slice(0, -1) : parts.slice(0, i)).join('/') || '.';
}

async function loadPlugins(
  specs: { value: string; line: number }[],
  configAbs: string,
  cwd: string,
  shownFile: string,
  errors: LoadedConfig['pluginErrors'],
  builtin: readonly Rule[],
  budgets: Required<LoadConfigOptions>
): Promise<Rule[]> {
  const out: Rule[] = [];
  for (const spec of specs) {
    // One path rule for every config path (absolute stays absolute, relative is relative to this file),
    // then confined to the repository as extends is: a config may not run code from elsewhere on the machine.
    const pattern = toPosix(path.resolve(cwd, resolveConfigPath(toPosix(spec.value), configAbs)));
    const base = globBase(pattern);
    if (!insideRepo(base, cwd)) throw new ConfigError(shownFile, spec.line, `plugins "${spec.value}" is outside the repository; copy the plugin into it`);
    let files: string[] = [];
    try {
      if (fs.statSync(base).isDirectory()) files = walkFiles(base).filter((f) => minimatch(`${base}/${f}`, pattern, { dot: true }));
    } catch {
      files = [];
    }
    files.sort();
    if (files.length === 0) throw new ConfigError(shownFile, spec.line, `plugins: "${spec.value}" matches no file`);
    for (const rel of files) {
      const abs = path.join(base, rel);
      const label = shown(cwd, abs);
      if (!insideRepo(abs, cwd)) {
        errors.push({ file: label, message: 'links to a file outside the repository; not loaded' });
        continue;
      }
      const loadProblem = await loadsInTime(abs, budgets.pluginLoadBudgetMs);
      if (loadProblem) {
        errors.push({ file: label, message: loadProblem });
        continue;
      }
      try {
        const mod = (await import(pathToFileURL(abs).href)) as { default?: unknown; rules?: unknown };
        const exported = mod.rules ?? mod.default;
        const list = Array.isArray(exported) ? exported : [exported];
        for (const r of list) {
          const rule = r as Rule;
          if (!rule || typeof rule !== 'object' || !rule.meta || typeof rule.meta.id !== 'string' || typeof rule.check !== 'function') {
            errors.push({ file: label, message: 'does not export a rule ({ meta: { id, ... }, check(ctx) }) or a list of rules as default or `rules`' });
            continue;
          }
          if (builtin.some((b) => b.meta.id === rule.meta.id)) {
            errors.push({ file: label, message: `rule id "${rule.meta.id}" is a built-in rule id; use a namespace (team/${rule.meta.id})` });
            continue;
          }
          // Fill what a plugin may leave out, and remember where it came from for failure messages.
          const meta: Partial<Rule['meta']> = rule.meta;
          const check = rule.check.bind(rule);
          const ms = budgets.pluginRuleBudgetMs;
          // A rule that ran out of time once is not run again in this process: a rule that loops on every
          // file would otherwise cost the budget once per file (hours on a large repository).
          let stoppedOn: string | undefined;
          out.push({
            defaultOptions: rule.defaultOptions ?? {},
            check: (ctx) => {
              if (stoppedOn !== undefined) throw new Error(`not run: the rule was stopped after exceeding its ${ms} ms time budget on ${stoppedOn}`);
              try {
                withBudget(() => check(ctx), ms, 'the rule');
              } catch (e) {
                if (e instanceof BudgetExceeded) stoppedOn = ctx.model.file;
                throw e;
              }
            },
            meta: {
              id: rule.meta.id,
              aliases: meta.aliases ?? [],
              severity: meta.severity ?? 'warning',
              title: meta.title ?? rule.meta.id,
              description: meta.description ?? '',
              bad: meta.bad ?? '',
              good: meta.good ?? '',
              enabledByDefault: meta.enabledByDefault,
              optionsSchema: meta.optionsSchema,
              optionsDoc: meta.optionsDoc,
              tags: [...(meta.tags ?? []), 'plugin'],
              source: label
            }
          });
        }
      } catch (e) {
        errors.push({ file: label, message: `failed to load: ${(e as Error)?.message ?? String(e)}` });
      }
    }
  }
  return out;
}

async function loadFile(
  abs: string,
  cwd: string,
  builtin: readonly Rule[],
  base: Config,
  stack: string[],
  errors: LoadedConfig['pluginErrors'],
  budgets: Required<LoadConfigOptions>
): Promise<Config> {
  const label = shown(cwd, abs);
  let text: string;
  try {
    text = readConfigText(abs);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(label, 1, e.detail);
    throw new ConfigError(label, 1, `cannot read config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const header = configHeader(text, label);
  let config = base;
  for (const ext of header.extends) {
    const preset = presetName(ext.value);
    if (preset) {
      config = parseConfig(dump(presetData(preset, builtin)), `preset:${preset}`, builtin, config);
      config.extendsChain.push(`preset:${preset}`);
      continue;
    }
    const target = resolveExtends(ext.value, abs, ext.line, label);
    // Confined to the repository (issue 15): extends may not read files elsewhere on the machine.
    if (!insideRepo(target, cwd)) throw new ConfigError(label, ext.line, `extends "${ext.value}" is outside the repository; copy the file into it`);
    if (stack.includes(target)) throw new ConfigError(label, ext.line, `extends cycle: ${[...stack, target].map((f) => shown(cwd, f)).join(' → ')}`);
    config = await loadFile(target, cwd, builtin, config, [...stack, target], errors, budgets);
    config.extendsChain.push(shown(cwd, target));
  }
  if (header.plugins.length > 0) {
    const plugins = await loadPlugins(header.plugins, abs, cwd, label, errors, builtin, budgets);
    config = { ...config, pluginRules: [...config.pluginRules, ...plugins] };
  }
  const parsed = parseConfig(text, label, builtin, config);
  const baseDir = toPosix(path.relative(cwd, path.dirname(abs)));
  parsed.baseDir = baseDir === '' || baseDir === '.' ? '' : baseDir;
  return parsed;
}

export async function loadConfig(cwd: string, explicit: string | undefined, builtin: readonly Rule[], options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const budgets: Required<LoadConfigOptions> = {
    pluginRuleBudgetMs: options.pluginRuleBudgetMs ?? PLUGIN_RULE_BUDGET_MS,
    pluginLoadBudgetMs: options.pluginLoadBudgetMs ?? PLUGIN_LOAD_BUDGET_MS
  };
  const file = explicit ? path.resolve(cwd, explicit) : findConfig(cwd);
  const errors: LoadedConfig['pluginErrors'] = [];
  if (!file) return { config: defaultConfig(), pluginErrors: errors };
  const config = await loadFile(file, cwd, builtin, defaultConfig(), [file], errors, budgets);
  return { config, pluginErrors: errors };
}
