/** The suppression comments of every tool container-guard stands in for, through rule aliases. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../src/core/config/types.js';
import { lintFile } from '../src/core/lint.js';
import { BUILTIN_RULES } from '../src/core/rules/index.js';
import { loadShellParser } from '../src/io/wasm.js';

beforeAll(loadShellParser);

function lint(code: string) {
  const config = defaultConfig();
  config.rules['unused-suppression'] = { enabled: true };
  const r = lintFile('Dockerfile', code, config, BUILTIN_RULES);
  return { shown: r.findings.map((f) => `${f.ruleId}@${f.line}`), hidden: r.suppressed.map((f) => `${f.ruleId}@${f.line}`) };
}

const TWO_CMDS = 'FROM alpine:3.20\nUSER 1\nCMD ["a"]\nCMD ["b"]\n';

describe('suppression comments', () => {
  it.each([
    ['BuildKit directive at the top: whole file', `# check=skip=MultipleInstructionsDisallowed\n${TWO_CMDS}`],
    ['BuildKit check=skip above the instruction', TWO_CMDS.replace('CMD ["a"]', '# check=skip=MultipleInstructionsDisallowed\nCMD ["a"]')],
    ['BuildKit check=skip=all above the instruction', TWO_CMDS.replace('CMD ["a"]', '# check=skip=all\nCMD ["a"]')],
    ['hadolint ignore by DL id', TWO_CMDS.replace('CMD ["a"]', '# hadolint ignore=DL4003\nCMD ["a"]')],
    ['Trivy ignore by DS id', TWO_CMDS.replace('CMD ["a"]', '# trivy:ignore:DS-0016\nCMD ["a"]')],
    ['container-guard by id', TWO_CMDS.replace('CMD ["a"]', '# container-guard ignore=multiple-instructions -- both kept on purpose\nCMD ["a"]')]
  ])('%s', (_n, code) => {
    const r = lint(code);
    expect(r.shown.filter((s) => s.startsWith('multiple-instructions') || s.startsWith('unused-suppression'))).toEqual([]);
    // Hidden, at the CMD that has no effect.
    expect(r.hidden).toEqual([`multiple-instructions@${code.split('\n').indexOf('CMD ["a"]') + 1}`]);
  });

  it('a per-instruction skip covers only the next instruction', () => {
    const code = 'FROM alpine:3.20\nUSER 1\n# check=skip=MultipleInstructionsDisallowed\nRUN true\nCMD ["a"]\nCMD ["b"]\n';
    const r = lint(code);
    expect(r.shown).toEqual(expect.arrayContaining(['multiple-instructions@5', 'unused-suppression@3']));
  });

  it('a skip that names another rule hides nothing and is reported unused', () => {
    const r = lint(TWO_CMDS.replace('CMD ["a"]', '# trivy:ignore:DS-0002\nCMD ["a"]'));
    expect(r.shown).toEqual(expect.arrayContaining(['multiple-instructions@4', 'unused-suppression@3']));
  });

  it('check=error=true makes BuildKit checks errors, and only them', () => {
    const config = defaultConfig();
    const code = '# check=error=true\nFROM alpine:3.20\nENV A 1\nRUN apk add curl\nUSER 1\nCMD ["a"]\n';
    const sev = (c: string) => lintFile('Dockerfile', c, config, BUILTIN_RULES).findings.map((f) => `${f.ruleId}:${f.severity}`);
    expect(sev(code)).toEqual(expect.arrayContaining(['legacy-key-value-format:error', 'apk-pin-versions:warning']));
    expect(sev(code.replace('# check=error=true\n', ''))).toEqual(expect.arrayContaining(['legacy-key-value-format:note']));
  });

  it('check=error=true is a directive, not a skip', () => {
    const r = lint(`# check=error=true\n${TWO_CMDS}`);
    expect(r.shown).toContain('multiple-instructions@4');
    expect(r.shown.filter((s) => s.startsWith('unused-suppression'))).toEqual([]);
  });
});
