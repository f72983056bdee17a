/**
 * Masking by span, over every output format (text, JSON, SARIF, job summary, annotations, PR comment):
 * no 8-character piece of a secret anywhere — also when a message cut it short or a continuation split
 * it — and the ordinary text of other findings intact (`POSTGRES_PASSWORD=postgres` must not turn
 * `FROM postgres` into `FROM po****`).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { renderBody } from '../../src/core/comment/body.js';
import { defaultConfig } from '../../src/core/config/types.js';
import { toAnnotations } from '../../src/core/report/annotations.js';
import { formatJson } from '../../src/core/report/json.js';
import { formatMarkdownSummary } from '../../src/core/report/markdown.js';
import { formatSarif } from '../../src/core/report/sarif.js';
import { formatText } from '../../src/core/report/text.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { lintAll } from '../../src/core/run.js';
import { loadShellParser } from '../../src/io/wasm.js';

const GHP = 'ghp_' + 'Q7w8E9r0'.repeat(5);
const SPLIT = 'glpat-' + 'Zx9Yw8Vu7T' + 'sR6qP5oN4m';
const URL_PW = 'N0t-In-Any-Output';
const WEAK = 'postgres';

const DOCKERFILE = [
  'FROM postgres',
  `ENV POSTGRES_PASSWORD=${WEAK}`,
  'ADD postgres.init /docker-entrypoint-initdb.d/',
  `RUN curl -fsSL -H "Authorization: token ${GHP}" https://example.com/install-a-very-long-script-name-here.sh | sh`,
  `ENV GITLAB_TOKEN=${SPLIT.slice(0, 14)}\\`,
  `${SPLIT.slice(14)}`,
  `ADD https://ci:${URL_PW}@artifacts.example.com/app.tgz /tmp/`,
  'USER postgres'
].join('\n');

function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let k = 0; k + 8 <= secret.length; k++) out.push(secret.slice(k, k + 8));
  return out;
}

describe('masking by span in every output', () => {
  beforeAll(loadShellParser);
  const outputs = () => {
    const config = defaultConfig();
    config.lint.shellcheck = 'off';
    const report = lintAll([{ file: 'db/Dockerfile', content: DOCKERFILE }], config, BUILTIN_RULES);
    const comment = renderBody({
      findings: report.findings,
      pr: { owner: 'acme', repo: 'db', number: 1, headSha: 'a'.repeat(40) } as never,
      options: { header: 'container-guard', serverUrl: 'https://github.com' }
    });
    return {
      report,
      all: {
        text: formatText(report),
        json: formatJson(report),
        sarif: formatSarif(report),
        summary: formatMarkdownSummary(report),
        annotations: JSON.stringify(toAnnotations(report)),
        comment
      }
    };
  };

  it('shows no 8-character piece of a strong secret in any format', () => {
    const { all, report } = outputs();
    expect(report.findings.filter((f) => f.ruleId === 'secret-in-env').length).toBeGreaterThanOrEqual(3);
    for (const [format, text] of Object.entries(all)) {
      for (const secret of [GHP, SPLIT, URL_PW]) {
        const leaked = pieces(secret).filter((p) => text.includes(p));
        expect([format, leaked]).toEqual([format, []]);
      }
    }
  });

  it('masks a name-only secret in its own instruction, and nowhere else', () => {
    const { report } = outputs();
    const own = report.findings.filter((f) => f.line === 2);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) expect(`${f.message} ${f.snippet}`).not.toMatch(/=postgres\b/);
    const from = report.findings.find((f) => f.line === 1 && f.ruleId === 'unpinned-base-image');
    const add = report.findings.find((f) => f.line === 3);
    const user = report.findings.find((f) => f.line === 8);
    for (const f of [from, add, user].filter((x) => x !== undefined)) {
      expect(f!.snippet).not.toContain('****');
      expect(f!.message).not.toMatch(/po\*\*\*\*/);
    }
    expect(from?.snippet).toBe('FROM postgres');
    expect(from?.message).toMatch(/postgres/);
    expect(add?.snippet).toBe('ADD postgres.init /docker-entrypoint-initdb.d/');
  });

  it('masks the two halves of a secret split by a line continuation', () => {
    const { report } = outputs();
    const split = report.findings.filter((f) => f.line === 5 || f.line === 6);
    expect(split.length).toBeGreaterThan(0);
    for (const f of split) for (const p of pieces(SPLIT)) expect(`${f.snippet} ${f.message}`).not.toContain(p.slice(0, 6));
  });
});
