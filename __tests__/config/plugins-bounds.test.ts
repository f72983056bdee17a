/**
 * Issue 15: plugins are code, so a config may only run plugins from the repository, a plugin rule that
 * loops costs one `rule-failure` finding on the file it looped on (every other rule and file still
 * reported), and a plugin whose top-level code never finishes is reported instead of hanging the load.
 * Through the real loader, file system and module loader.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { ConfigError } from '../../src/core/config/load.js';
import { rulesOf } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { lintAll } from '../../src/core/run.js';
import { loadConfig } from '../../src/io/config.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { makeTree } from '../helpers/fixtures.js';

const rule = (id: string, body: string) => `{ meta: { id: '${id}', severity: 'error' }, check({ model, report }) { ${body} } }`;
const banAdd = rule('acme/no-add', "for (const i of model.instructions) if (i.keyword === 'ADD') report({ line: i.line, message: 'ADD is banned' });");

async function configError(cwd: string, explicit?: string): Promise<ConfigError> {
  try {
    await loadConfig(cwd, explicit, BUILTIN_RULES);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('plugins are confined to the repository', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-plugin-outside-'));
  fs.writeFileSync(path.join(outside, 'evil.mjs'), `export default ${banAdd};\n`);

  it.each([
    ['an absolute path outside the repository', `${outside}/evil.mjs`],
    ['an absolute glob outside the repository', `${outside}/*.mjs`],
    ['a relative path that climbs out of it', `../../../../../../../../..${outside}/evil.mjs`]
  ])('%s is a config error naming the entry, and nothing is loaded', async (_n, spec) => {
    const cwd = makeTree({ '.container-guard.yml': `rules: {}\nplugins:\n  - "${spec}"\n` });
    const e = await configError(cwd);
    expect(e.file).toBe('.container-guard.yml');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/is outside the repository/);
  });

  it('an absolute path inside the repository stays absolute and loads (the one path rule)', async () => {
    const cwd = makeTree({ 'rules/acme.mjs': `export default ${banAdd};\n` });
    fs.writeFileSync(path.join(cwd, '.container-guard.yml'), `plugins: ["${cwd}/rules/*.mjs"]\n`);
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES);
    expect(pluginErrors).toEqual([]);
    expect(config.pluginRules.map((r) => [r.meta.id, r.meta.source])).toEqual([['acme/no-add', 'rules/acme.mjs']]);
  });

  it('a relative path is relative to the config file that wrote it, not to the working directory', async () => {
    const cwd = makeTree({
      'ci/rules/acme.mjs': `export default ${banAdd};\n`,
      'ci/base.yml': 'plugins: ["./rules/*.mjs"]\n',
      '.container-guard.yml': 'extends: ./ci/base.yml\n'
    });
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES);
    expect(pluginErrors).toEqual([]);
    expect(config.pluginRules.map((r) => r.meta.source)).toEqual(['ci/rules/acme.mjs']);
  });

  it('symlinks in the repository that point outside it are never followed', async () => {
    const cwd = makeTree({ 'rules/ok.mjs': `export default ${banAdd};\n`, '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n' });
    fs.symlinkSync(path.join(outside, 'evil.mjs'), path.join(cwd, 'rules', 'link.mjs'));
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES);
    expect(pluginErrors).toEqual([]);
    expect(config.pluginRules.map((r) => r.meta.source)).toEqual(['rules/ok.mjs']);

    fs.symlinkSync(outside, path.join(cwd, 'vendor'));
    fs.writeFileSync(path.join(cwd, '.container-guard.yml'), 'plugins: ["./vendor/*.mjs"]\n');
    expect((await configError(cwd)).message).toMatch(/plugins "\.\/vendor\/\*\.mjs" is outside the repository/);
  });
});

describe('plugins have a time budget', () => {
  it('a rule that loops forever is stopped: one rule-failure finding per file, every other rule and file still reported', async () => {
    const cwd = makeTree({
      'rules/acme.mjs': `export default [${banAdd}, ${rule('acme/spin', "if (model.instructions.some((i) => i.keyword === 'ADD')) for (;;) {}")}];\n`,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    const { config } = await loadConfig(cwd, undefined, BUILTIN_RULES, { pluginRuleBudgetMs: 150 });
    await loadShellParser();
    const r = lintAll(
      [
        { file: 'a/Dockerfile', content: 'FROM alpine:3.20\nADD x /x\nUSER app\n' },
        { file: 'b/Dockerfile', content: 'FROM alpine:3.20\nCOPY x /x\nUSER app\n' }
      ],
      config,
      rulesOf(config, BUILTIN_RULES)
    );
    const mine = r.findings.filter((f) => f.ruleId.startsWith('acme/') || f.ruleId === 'rule-failure');
    // a/ (with an ADD) made the rule loop; b/ came next and the stopped rule was not run on it again, which says so.
    expect(mine.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort()).toEqual([
      'a/Dockerfile:1 rule-failure',
      'a/Dockerfile:2 acme/no-add',
      'b/Dockerfile:1 rule-failure'
    ]);
    expect(mine.find((f) => f.ruleId === 'rule-failure')?.message).toMatch(
      /rule acme\/spin \(from rules\/acme\.mjs\) failed on this file: the rule took longer than its 150 ms time budget and was stopped/
    );
    // The built-in rules still ran on the file the plugin looped on.
    expect(r.findings.some((f) => f.file === 'a/Dockerfile' && f.ruleId === 'add-instead-of-copy')).toBe(true);
  });

  it('a rule that ran out of time once is not run again, so a rule that loops on every file costs the budget once', async () => {
    const cwd = makeTree({
      'rules/acme.mjs': `export default ${rule('acme/spin-always', 'for (;;) {}')};\n`,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    const { config } = await loadConfig(cwd, undefined, BUILTIN_RULES, { pluginRuleBudgetMs: 200 });
    await loadShellParser();
    const files = Array.from({ length: 20 }, (_, i) => ({ file: `s${String(i).padStart(2, '0')}/Dockerfile`, content: 'FROM alpine:3.20\nUSER app\n' }));
    const r = lintAll(files, config, rulesOf(config, BUILTIN_RULES));
    const failures = r.findings.filter((f) => f.ruleId === 'rule-failure');
    expect(failures.map((f) => f.file)).toEqual(files.map((f) => f.file));
    expect(failures[0]!.message).toMatch(/took longer than its 200 ms time budget and was stopped/);
    // Every later file says the rule was not run on it (and why): the budget was spent once, not twenty times.
    for (const f of failures.slice(1)) expect(f.message).toMatch(/not run: the rule was stopped after exceeding its 200 ms time budget on s00\/Dockerfile/);
  });

  it('a plugin whose top-level code never finishes is reported against the plugin, and the others load', async () => {
    const cwd = makeTree({
      'rules/a-hang.mjs': 'for (;;) {}\nexport default {};\n',
      'rules/b-ok.mjs': `export default ${banAdd};\n`,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES, { pluginLoadBudgetMs: 300 });
    expect(pluginErrors).toEqual([
      { file: 'rules/a-hang.mjs', message: 'loading took longer than the 300 ms time budget (top-level code that does not finish)' }
    ]);
    expect(config.pluginRules.map((r) => r.meta.id)).toEqual(['acme/no-add']);
  });

  // The budget is a minute: a probe that waited for it instead of settling would fail on the test's own timeout.
  const LONG = { pluginLoadBudgetMs: 60_000 };

  it('a plugin whose top-level code ends the process is reported as soon as it does, and this process goes on', async () => {
    const cwd = makeTree({
      'rules/a-exit.mjs': 'process.exit(3);\nexport default {};\n',
      'rules/b-ok.mjs': `export default ${banAdd};\n`,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES, LONG);
    expect(pluginErrors).toEqual([{ file: 'rules/a-exit.mjs', message: 'failed to load: its top-level code ended the process (exit code 3)' }]);
    expect(config.pluginRules.map((r) => r.meta.id)).toEqual(['acme/no-add']);
  });

  it('a plugin whose top-level code allocates without end is stopped at the probe heap limit and reported', async () => {
    const cwd = makeTree({
      'rules/a-hog.mjs': 'const keep = [];\nfor (;;) keep.push(new Array(1e5).fill(keep.length));\nexport default {};\n',
      'rules/b-ok.mjs': `export default ${banAdd};\n`,
      '.container-guard.yml': 'plugins: ["./rules/*.mjs"]\n'
    });
    const { config, pluginErrors } = await loadConfig(cwd, undefined, BUILTIN_RULES, LONG);
    expect(pluginErrors).toHaveLength(1);
    expect(pluginErrors[0]).toMatchObject({ file: 'rules/a-hog.mjs' });
    expect(pluginErrors[0]!.message).toMatch(/^failed to load: .*out of memory/i);
    expect(config.pluginRules.map((r) => r.meta.id)).toEqual(['acme/no-add']);
  }, 30_000);

  it("what a plugin prints while it loads in the probe is read and dropped, never written to this process's output", async () => {
    const cwd = makeTree({
      // 32 MiB on stdout and stderr: more than any pipe holds, so an unread probe output would stall or pile up.
      'rules/noisy.mjs':
        "import { isMainThread } from 'node:worker_threads';\n" +
        "if (!isMainThread) { const line = 'probe-' + 'x'.repeat(1 << 20); for (let i = 0; i < 32; i++) { process.stdout.write(line + '\\n'); process.stderr.write(line + '\\n'); } }\n" +
        `export default ${banAdd};\n`,
      '.container-guard.yml': 'plugins: ["./rules/noisy.mjs"]\n'
    });
    const writes: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        writes.push(String(chunk).slice(0, 100));
        return true;
      })
    );
    try {
      const probed = await loadConfig(cwd, undefined, BUILTIN_RULES, LONG);
      expect(probed.pluginErrors).toEqual([]);
      expect(probed.config.pluginRules.map((r) => r.meta.id)).toEqual(['acme/no-add']);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    // Wait a moment for anything still in flight from the worker, then look: nothing of the probe's arrived.
    await new Promise((r) => setTimeout(r, 200));
    expect(writes.filter((w) => w.startsWith('probe-'))).toEqual([]);
  }, 30_000);
});
