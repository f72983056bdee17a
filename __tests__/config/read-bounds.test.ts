/** Issue 15 (config): config files are read only when regular and at most MAX_CONFIG_BYTES; no content is echoed. */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/core/config/load.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { loadConfig, MAX_CONFIG_BYTES, readConfigText } from '../../src/io/config.js';
import { makeTree } from '../helpers/fixtures.js';

async function loadError(files: Record<string, string>): Promise<ConfigError> {
  const dir = makeTree(files);
  const e = await loadConfig(dir, undefined, BUILTIN_RULES).then(
    () => undefined,
    (x: unknown) => x
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('config reads are bounded (issue 15)', () => {
  it('/dev/zero, a directory and an oversized file are refused without reading them whole', () => {
    expect(() => readConfigText('/dev/zero')).toThrow(/not a regular file/);
    const dir = makeTree({ 'big.yml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n` });
    expect(() => readConfigText(dir)).toThrow(/not a regular file/);
    expect(() => readConfigText(path.join(dir, 'big.yml'))).toThrow(/more than the 1048576/);
    fs.writeFileSync(path.join(dir, 'ok.yml'), 'lint: {}\n');
    expect(readConfigText(path.join(dir, 'ok.yml'))).toBe('lint: {}\n');
  });

  it('extends: [/dev/zero] is a ConfigError at once, not a hang', async () => {
    const e = await loadError({ '.container-guard.yml': 'extends: [/dev/zero]\n' });
    expect(e.message.includes('\u0000')).toBe(false);
  });

  it('an extended file that is not a config is never echoed', async () => {
    const e = await loadError({ '.container-guard.yml': 'extends: [./secret.txt]\n', 'secret.txt': 'root:$6$SECRETHASH:19000:0:99999:7:::\n' });
    expect(e.message).not.toMatch(/SECRETHASH/);
  });

  it('extends is confined to the repository: an absolute path or a symlink out of it is a ConfigError', async () => {
    expect((await loadError({ '.container-guard.yml': 'extends: [/etc/passwd]\n' })).message).toMatch(/extends "\/etc\/passwd" is outside the repository/);
    const dir = makeTree({ '.container-guard.yml': 'extends: [./link.yml]\n' });
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link.yml'));
    const e = await loadConfig(dir, undefined, BUILTIN_RULES).then(
      () => undefined,
      (x: unknown) => x
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toMatch(/outside the repository/);
  });
});
