/**
 * One rule for every path a config writes (src/core/config/paths.ts): absolute stays absolute,
 * relative is relative to the file that wrote it — checked on verify keys and trusted-root and on
 * gate VEX and ignore files, through a real extends chain loaded from disk, and on the verify run
 * reading the keys (a config mistake is exit 2 naming the path, before any request).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ConfigError } from '../../src/core/config/load.js';
import { isAbsoluteConfigPath, resolveConfigPath } from '../../src/core/config/paths.js';
import { loadConfig } from '../../src/io/config.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { runVerify } from '../../src/io/verify-run.js';
import { makeTree } from '../helpers/fixtures.js';

describe('resolveConfigPath', () => {
  test.each<[string, string, string]>([
    ['/etc/keys/a.pub', '.container-guard.yml', '/etc/keys/a.pub'],
    ['/etc/keys/a.pub', 'team/base.yml', '/etc/keys/a.pub'],
    ['keys/a.pub', '.container-guard.yml', 'keys/a.pub'],
    ['keys/a.pub', 'team/base.yml', 'team/keys/a.pub'],
    ['./keys/a.pub', 'team/base.yml', 'team/keys/a.pub'],
    ['../keys/a.pub', 'team/sub/base.yml', 'team/keys/a.pub'],
    ['../shared/a.pub', '.container-guard.yml', '../shared/a.pub'],
    ['keys/a.pub', '/abs/cfg/base.yml', '/abs/cfg/keys/a.pub'],
    ['C:\\keys\\a.pub', 'team/base.yml', 'C:\\keys\\a.pub'],
    ['keys/a.pub', 'preset:strict', 'keys/a.pub'],
    ['vex/*.json', 'team/base.yml', 'team/vex/*.json']
  ])('%s written in %s → %s', (value, file, expected) => {
    expect(resolveConfigPath(value, file)).toBe(expected);
  });

  test('absolute paths', () => {
    expect(isAbsoluteConfigPath('/a')).toBe(true);
    expect(isAbsoluteConfigPath('D:/a')).toBe(true);
    expect(isAbsoluteConfigPath('\\\\server\\share')).toBe(true);
    expect(isAbsoluteConfigPath('a/b')).toBe(false);
    expect(isAbsoluteConfigPath('./a')).toBe(false);
  });
});

describe('config paths through extends, keys and the verify run', () => {
  const key = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const outside = makeTree({ 'a.pub': key });
  const ws = makeTree({
    '.container-guard.yml': [
      'extends: ./team/base.yml',
      'verify:',
      '  policies:',
      '    - images: ["top.example/**"]',
      '      require: [digest, signature]',
      `      keys: ["${path.join(outside, 'a.pub')}", keys/top.pub]`,
      'gate:',
      '  vex: [vex/top.json]',
      ''
    ].join('\n'),
    'keys/top.pub': key,
    'team/base.yml': [
      'verify:',
      '  trusted-root: roots/trusted_root.json',
      '  policies:',
      '    - images: ["team.example/**"]',
      '      require: [digest, signature]',
      '      keys: [keys/team.pub, { path: ../keys/top.pub }]',
      'gate:',
      `  vex: [vex/team.json, "${path.join(outside, 'x.json')}"]`,
      '  ignore-files: [.trivyignore]',
      ''
    ].join('\n'),
    'team/keys/team.pub': key
  });
  afterAll(() => {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('each path is resolved against the file that wrote it; absolute ones are kept', async () => {
    const { config } = await loadConfig(ws, undefined, []);
    const keys = config.verify.policies.map((p) => p.keys.map((k) => k.path));
    expect(keys).toEqual([
      [path.join(outside, 'a.pub'), 'keys/top.pub'],
      ['team/keys/team.pub', 'keys/top.pub']
    ]);
    expect(config.verify.trustedRoot).toBe('team/roots/trusted_root.json');
    expect(config.gate.vex).toEqual(['team/vex/team.json', path.join(outside, 'x.json'), 'vex/top.json']);
    expect(config.gate.ignoreFiles).toEqual(['team/.trivyignore']);
  });

  test('the verify run reads an absolute key path as is (no join onto the config folder)', async () => {
    const { config } = await loadConfig(ws, undefined, []);
    config.verify.trustedRoot = undefined;
    // Every key loads; the run then fails on the unreachable registry, not on a key path.
    const r = await runVerify({ cwd: ws, config, client: createPinClient([]), images: ['team.example/a@sha256:' + 'a'.repeat(64)] }).catch((e: Error) => e);
    expect(r).not.toBeInstanceOf(ConfigError);
  });

  test('a missing absolute key is a config error naming that absolute path', async () => {
    const missing = path.join(outside, 'missing.pub');
    const cfg = makeTree({ 'c.yml': `verify:\n  policies:\n    - images: ["**"]\n      require: [digest, signature]\n      keys: ["${missing}"]\n` });
    try {
      const { config } = await loadConfig(cfg, 'c.yml', []);
      const e = await runVerify({ cwd: cfg, config, client: createPinClient([]), images: ['x.example/a:1'] }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain(`cannot read key file ${missing}:`);
      expect((e as Error).message).not.toContain(`${cfg}${missing}`);
    } finally {
      fs.rmSync(cfg, { recursive: true, force: true });
    }
  });
});
