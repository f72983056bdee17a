/** extends (presets, files, npm packages, cycles) and plugins, through the real loader and file system. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/core/config/load.js';
import { rulesOf } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { lintAll } from '../../src/core/run.js';
import { loadConfig } from '../../src/io/config.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { makeTree } from '../helpers/fixtures.js';

const load = (files: Record<string, string>, explicit?: string) => loadConfig(makeTree(files), explicit, BUILTIN_RULES);

async function configError(files: Record<string, string>): Promise<ConfigError> {
  try {
    await load(files);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('presets', () => {
  it('recommended is the default: opt-in rules stay off', async () => {
    const { config } = await load({ '.container-guard.yml': 'extends: recommended\n' });
    expect(config.rules['healthcheck-missing']).toBeUndefined();
    expect(config.extendsChain).toEqual(['preset:recommended']);
  });
  it('strict turns every rule on, warnings into errors, and requires digests', async () => {
    const { config } = await load({ '.container-guard.yml': 'extends: strict\n' });
    expect(config.rules['healthcheck-missing']).toMatchObject({ enabled: true, severity: 'warning' });
    expect(config.rules['root-user']).toMatchObject({ enabled: true, severity: 'error' });
    expect(config.rules['unpinned-base-image']).toMatchObject({ severity: 'error', options: { 'require-digest': ['**'] } });
  });
  it('cis-docker enables only CIS-mapped rules and adds the setuid/setgid rule (4.8)', async () => {
    const { config } = await load({ '.container-guard.yml': 'extends: container-guard:cis-docker\n' });
    expect(config.rules['root-user']).toMatchObject({ enabled: true, severity: 'error' });
    expect(config.rules['healthcheck-missing']).toMatchObject({ enabled: true });
    expect(config.rules['apt-pin-versions']).toMatchObject({ enabled: false });
    expect(config.customRules.map((r) => r.meta.id)).toEqual(['cis/setuid-setgid']);
    await loadShellParser();
    const r = lintAll(
      [{ file: 'Dockerfile', content: 'FROM alpine:3.20\nRUN chmod u+s /usr/bin/tool && chmod 4755 /bin/x && chmod 1777 /tmp\nUSER 1\nHEALTHCHECK NONE\n' }],
      config,
      rulesOf(config, BUILTIN_RULES)
    );
    expect(r.findings.filter((f) => f.ruleId === 'cis/setuid-setgid').map((f) => f.line)).toEqual([2]);
  });
});

describe('layering: later entries override earlier ones, the file overrides them all', () => {
  it.each([
    ['preset then file', { '.container-guard.yml': 'extends: [strict]\nrules:\n  root-user: note\n' }, 'note'],
    ['strict then a base file that lowers it', { 'base.yml': 'rules:\n  root-user: off\n', '.container-guard.yml': 'extends: [strict, ./base.yml]\n' }, 'off'],
    ['a base file then strict', { 'base.yml': 'rules:\n  root-user: off\n', '.container-guard.yml': 'extends: [./base.yml, strict]\n' }, 'error'],
    ['nested extends', { 'a.yml': 'extends: ./b.yml\n', 'b.yml': 'rules:\n  root-user: warning\n', '.container-guard.yml': 'extends: ./a.yml\n' }, 'warning']
  ])('%s', async (_n, files, expected) => {
    const { config } = await load(files as Record<string, string>);
    const s = config.rules['root-user'];
    expect(s?.enabled === false ? 'off' : s?.severity).toBe(expected);
  });

  it('lists add up across layers (ignores, overrides, excludes, gate VEX)', async () => {
    const { config } = await load({
      'base.yml': 'lint:\n  exclude: ["vendor/**"]\nignores:\n  - rules: DL3008\n    reason: base\ngate:\n  vex: [a.json]\n',
      '.container-guard.yml':
        'extends: ./base.yml\nlint:\n  exclude: ["third_party/**"]\nignores:\n  - rules: DL3009\n    reason: mine\ngate:\n  vex: [b.json]\n  fail-on: high\n'
    });
    expect(config.lint.exclude).toEqual(expect.arrayContaining(['vendor/**', 'third_party/**']));
    expect(config.ignores.map((i) => `${i.rules[0]}@${i.source?.file}:${i.source?.line}`)).toEqual(['DL3008@base.yml:4', 'DL3009@.container-guard.yml:5']);
    expect(config.gate).toMatchObject({ vex: ['a.json', 'b.json'], failOn: 'high' });
  });

  it('a rule configured in a file may be a custom rule of the file it extends', async () => {
    const { config } = await load({
      'base.yml':
        'rules:\n  custom:\n    - id: org/no-latest\n      message: "no latest"\n      when: { instruction: FROM }\n      forbid: { image: "**:latest" }\n',
      '.container-guard.yml': 'extends: ./base.yml\nrules:\n  org/no-latest: error\n'
    });
    expect(config.rules['org/no-latest']).toEqual({ enabled: true, severity: 'error' });
  });

  it('an npm package can be extended', async () => {
    const { config } = await load({
      'node_modules/@acme/container-policy/package.json': '{"name": "@acme/container-policy", "version": "1.0.0"}',
      'node_modules/@acme/container-policy/container-guard.yml': 'rules:\n  root-user: error\n',
      '.container-guard.yml': 'extends: "@acme/container-policy"\n'
    });
    expect(config.rules['root-user']).toMatchObject({ severity: 'error' });
    expect(config.extendsChain).toEqual(['node_modules/@acme/container-policy/container-guard.yml']);
  });
});

describe('config errors name file:line', () => {
  it.each([
    [
      'a cycle',
      { 'a.yml': 'extends: ./b.yml\n', 'b.yml': 'rules: {}\nextends: ./a.yml\n', '.container-guard.yml': 'extends: ./a.yml\n' },
      'b.yml',
      2,
      /extends cycle: \.container-guard\.yml → a\.yml → b\.yml → a\.yml/
    ],
    ['extending itself', { '.container-guard.yml': 'extends: [recommended, ./.container-guard.yml]\n' }, '.container-guard.yml', 1, /extends cycle/],
    [
      'an unknown preset or package',
      { '.container-guard.yml': 'rules: {}\nextends:\n  - strict\n  - no-such-preset\n' },
      '.container-guard.yml',
      4,
      /cannot resolve extends "no-such-preset"/
    ],
    [
      'an error inside an extended file',
      { 'base.yml': 'rules:\n  nope: off\n', '.container-guard.yml': 'extends: ./base.yml\n' },
      'base.yml',
      2,
      /unknown rule "nope"/
    ],
    ['a plugin glob that matches nothing', { '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n' }, '.container-guard.yml', 1, /matches no file/]
  ])('%s', async (_n, files, file, line, message) => {
    const e = await configError(files as Record<string, string>);
    expect(e.file).toBe(file);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });
});

describe('plugins', () => {
  const plugin = `export default [{
  meta: { id: 'acme/no-add', severity: 'error', title: 'No ADD at all', description: 'ADD is banned here.', tags: ['policy'] },
  check({ model, report }) { for (const i of model.instructions) if (i.keyword === 'ADD') report({ line: i.line, message: 'ADD is banned: use COPY' }); }
}, {
  meta: { id: 'acme/throws' },
  check() { throw new Error('plugin bug'); }
}];
`;
  it('load rules with the built-in interface; a throwing rule is a finding, not a crash', async () => {
    const { config, pluginErrors } = await load({
      'rules/acme.mjs': plugin,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\nrules:\n  acme/no-add: warning\n'
    });
    expect(pluginErrors).toEqual([]);
    expect(config.pluginRules.map((r) => [r.meta.id, r.meta.source])).toEqual([
      ['acme/no-add', 'rules/acme.mjs'],
      ['acme/throws', 'rules/acme.mjs']
    ]);
    await loadShellParser();
    const r = lintAll([{ file: 'Dockerfile', content: 'FROM alpine:3.20\nADD x /x\n' }], config, rulesOf(config, BUILTIN_RULES));
    const mine = r.findings.filter((f) => f.ruleId.startsWith('acme/') || f.ruleId === 'rule-failure');
    expect(mine.map((f) => `${f.ruleId}@${f.line} ${f.severity}`)).toEqual(['rule-failure@1 warning', 'acme/no-add@2 warning']);
    expect(r.findings.find((f) => f.ruleId === 'rule-failure')?.message).toMatch(/rule acme\/throws \(from rules\/acme\.mjs\) failed on this file: plugin bug/);
  });
  it('a plugin that fails to load or exports no rule is reported against the plugin file', async () => {
    const { pluginErrors } = await load({
      'rules/broken.mjs': 'throw new Error("boom at import");\n',
      'rules/empty.mjs': 'export const nothing = 1;\n',
      'rules/clash.mjs': 'export default { meta: { id: "root-user" }, check() {} };\n',
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    expect(pluginErrors).toEqual([
      { file: 'rules/broken.mjs', message: 'failed to load: boom at import' },
      { file: 'rules/clash.mjs', message: expect.stringMatching(/"root-user" is a built-in rule id/) },
      { file: 'rules/empty.mjs', message: expect.stringMatching(/does not export a rule/) }
    ]);
  });
});
