/** Reads the config file (explicit path, or .container-guard.yml in cwd) and parses it. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseConfig } from '../core/config/load.js';
import { defaultConfig, type Config } from '../core/config/types.js';
import type { Rule } from '../core/rules/types.js';
import { findConfig, toPosix } from './files.js';

export function readConfig(cwd: string, explicit: string | undefined, rules: readonly Rule[]): Config {
  const file = explicit ? path.resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return defaultConfig();
  const shown = toPosix(path.relative(cwd, file)) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(shown, 1, `cannot read config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const config = parseConfig(text, shown, rules);
  const base = toPosix(path.relative(cwd, path.dirname(file)));
  config.baseDir = base === '' || base === '.' ? '' : base;
  return config;
}
