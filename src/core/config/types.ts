/** The resolved configuration the pure core works with (after YAML + schema + defaults). */
import { DOCKERFILE_GLOBS } from '../discover.js';
import type { Severity } from '../finding.js';
import type { Rule } from '../rules/types.js';
import type { VerifyConfig } from '../verify/types.js';

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface Override {
  files: string[];
  rules: Record<string, RuleSetting>;
}

export interface Ignore {
  /** Rule ids or aliases. */
  rules: string[];
  files?: string[];
  /** YYYY-MM-DD; the ignore stops hiding after this day. */
  until?: string;
  reason: string;
  /** Where it was written, for messages. */
  source?: { file: string; line: number };
}

export interface LintSettings {
  include: string[];
  exclude: string[];
  buildArgs: Record<string, string>;
  /** Stages that ship; empty = the last stage of each file. */
  targets: string[];
  /** Target platforms (`linux/amd64`, `linux/arm64`…) BuildKit's platform ARGs are resolved for; empty = linux/amd64. */
  platforms: string[];
  /** Build context per Dockerfile glob (repository-relative); default: the Dockerfile's folder. */
  context: Record<string, string>;
  maxFileSize: number;
  shellcheck: 'auto' | 'on' | 'off';
}

export interface GateConfig {
  failOn?: 'critical' | 'high' | 'medium' | 'low' | 'none';
  maxCvss?: number;
  max?: Partial<Record<'critical' | 'high' | 'medium' | 'low' | 'unknown', number>>;
  onlyFixable?: boolean;
  newOnly?: boolean;
  kinds?: ('vulnerability' | 'misconfiguration' | 'secret')[];
  vex: string[];
  ignoreFiles: string[];
  ignores: { id: string; package?: string; image?: string; until?: string; reason: string; source: { file: string; line: number } }[];
  overrides: {
    images: string[];
    failOn?: GateConfig['failOn'];
    maxCvss?: number;
    max?: GateConfig['max'];
    onlyFixable?: boolean;
    kinds?: GateConfig['kinds'];
  }[];
}

export interface Config {
  /** Path of the file it came from, when any. */
  file?: string;
  /** Presets and files this config extends, in the order they were applied. */
  extendsChain: string[];
  /** Rules declared in `rules.custom` (this file and the configs it extends). */
  customRules: Rule[];
  /** Rules loaded from `plugins`. */
  pluginRules: Rule[];
  /** Directory of that file relative to the working directory ('' = same): `overrides` and `ignores` globs are relative to it. */
  baseDir?: string;
  rules: Record<string, RuleSetting>;
  overrides: Override[];
  ignores: Ignore[];
  lint: LintSettings;
  /** Image verification policy; key and trusted-root paths are as written (relative to the file that wrote them). */
  verify: VerifyConfig;
  gate: GateConfig;
  /** Sections owned by later actions, kept verbatim. */
  comment?: unknown;
}

/** Dockerfile names, matched in any case (see DOCKERFILE_GLOBS in src/core/discover.ts). */
export const DEFAULT_INCLUDE = [...DOCKERFILE_GLOBS];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

export function defaultConfig(): Config {
  return {
    rules: {},
    overrides: [],
    ignores: [],
    lint: {
      include: [...DEFAULT_INCLUDE],
      exclude: [...DEFAULT_EXCLUDE],
      buildArgs: {},
      targets: [],
      platforms: [],
      context: {},
      maxFileSize: 2 * 1024 * 1024,
      shellcheck: 'auto'
    },
    verify: defaultVerifyConfig(),
    gate: { vex: [], ignoreFiles: [], ignores: [], overrides: [] },
    extendsChain: [],
    customRules: [],
    pluginRules: []
  };
}

/** No policies; every image gets the built-in default: it must resolve, and a pinned tag must not have moved. */
export function defaultVerifyConfig(): VerifyConfig {
  return { policies: [], default: { require: ['digest'], keys: [], keyless: [], count: 1, signScope: 'index' } };
}

/** Every rule a config can run: built-in, custom and plugin rules. */
export function rulesOf(config: Config, builtin: readonly Rule[]): Rule[] {
  return [...builtin, ...config.customRules, ...config.pluginRules];
}
