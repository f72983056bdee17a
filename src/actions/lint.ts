/**
 * The `lint` action: inputs → core → annotations, job summary, SARIF and
 * findings files, outputs. All logic lives in src/core; this file only wires I/O.
 */
import * as core from '@actions/core';
import { ConfigError, withBuildArgs } from '../core/config/load.js';
import { atOrAbove } from '../core/finding.js';
import { hiddenNotice, toAnnotations } from '../core/report/annotations.js';
import { formatJson } from '../core/report/json.js';
import { formatMarkdownSummary } from '../core/report/markdown.js';
import { formatSarif } from '../core/report/sarif.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { rulesOf } from '../core/config/types.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { runLint, UsageError } from '../io/lint-run.js';
import { discover } from '../io/files.js';
import { createPinClient } from '../io/pin-run.js';
import { ANNOTATION_BUDGET, emit, emitAnnotations, locate } from './annotate.js';
import { annotatedStamp } from './stamp.js';
import { booleanInput, buildArgsInput, choiceInput, failWith, lintThresholdInput, listInput, SHELLCHECK_MODES, shardInput } from './inputs.js';

export { listInput } from './inputs.js';

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    // Every input is checked before any work: a bad value is one line naming it.
    const threshold = lintThresholdInput('error');
    const shellcheck = core.getInput('shellcheck') ? choiceInput('shellcheck', SHELLCHECK_MODES, 'auto') : undefined;
    const buildArgs = buildArgsInput();
    const shard = shardInput();
    const suggestPins = booleanInput('suggest-pins', false);
    const failOnEmpty = booleanInput('fail-on-empty', false);
    const paths = listInput('paths');

    const loaded = await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES);
    let config = loaded.config;
    if (shellcheck) config = { ...config, lint: { ...config.lint, shellcheck } };
    if (buildArgs) config = withBuildArgs(config, buildArgs);
    const report = await runLint({
      cwd,
      paths,
      config,
      rules: rulesOf(config, BUILTIN_RULES),
      shard,
      pluginErrors: loaded.pluginErrors,
      suggestPins: suggestPins ? { client: createPinClient([]) } : undefined
    });

    // Files that could not be linted first (they fail the step), then findings, within lint's share of the job's 50.
    const unreadable = report.errors.slice(0, 5);
    for (const e of unreadable)
      emit('error', `${e.file}: ${e.message}`, { ...locate(cwd, { title: 'container-guard: cannot lint this file', file: e.file, startLine: 1, endLine: 1 }) });
    // GitHub shows 10 errors per step, and the step's failure line is one of them.
    const { annotations, hidden } = toAnnotations(report, {
      total: ANNOTATION_BUDGET.lint - unreadable.length,
      limit: { error: 9 - unreadable.length, warning: 10, notice: 10 }
    });
    emitAnnotations(cwd, annotations);
    const notice = hiddenNotice(hidden + report.errors.length - unreadable.length);
    if (notice) core.info(notice);

    const sarifFile = core.getInput('sarif-file');
    if (sarifFile) writeFileAtomic(sarifFile, formatSarif(report, { category: 'container-guard/lint' }));
    const findingsFile = core.getInput('findings-file');
    if (findingsFile) writeFileAtomic(findingsFile, withStamp(formatJson(report)));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatMarkdownSummary(report)).write();

    core.setOutput('errors', report.counts.error);
    core.setOutput('warnings', report.counts.warning);
    core.setOutput('notes', report.counts.note);
    core.setOutput('total', report.findings.length);
    core.setOutput('files', report.files.length);
    core.setOutput('sarif-file', sarifFile);
    core.setOutput('findings-file', findingsFile);

    const failing = report.findings.filter((f) => atOrAbove(f.severity, threshold)).length;
    core.info(
      `container-guard lint: ${report.files.length} files, ${report.counts.error} errors, ${report.counts.warning} warnings, ${report.counts.note} notes`
    );
    const empty = report.files.length === 0 && report.errors.length === 0;
    // A shard may be empty when there are fewer files than shards: that is not "no Dockerfile".
    const inOtherShards = empty && shard ? discover(cwd, paths, config.lint.include, config.lint.exclude).files.length : 0;
    if (inOtherShards > 0) core.info(`container-guard lint: shard ${shard} has no file (the other shards have all ${inOtherShards})`);
    else if (empty) {
      const where = paths.length > 0 ? paths.join(', ') : 'the repository';
      const message = `no Dockerfile found in ${where} (looked for ${config.lint.include.join(', ')})`;
      if (failOnEmpty) core.setFailed(`${message}; fail-on-empty is true`);
      else core.warning(`${message}: nothing was linted (set fail-on-empty: true to fail instead)`, { title: 'container-guard lint: no Dockerfile' });
    } else if (report.errors.length > 0) core.setFailed(`${report.errors.length} file(s) could not be linted: ${report.errors.map((e) => e.file).join(', ')}`);
    else if (failing > 0) core.setFailed(`${failing} finding(s) at or above "${threshold}"`);
  } catch (e) {
    // User mistakes (bad config, bad input) fail with one clear line, no stack.
    failWith(e, (x) => x instanceof ConfigError || x instanceof UsageError || (x instanceof Error && /^(invalid shard|unknown severity)/.test(x.message)));
  }
}

/** The findings JSON with a stamp saying this job already annotated it (so `comment` does not annotate it again). */
export function withStamp(json: string): string {
  const stamp = annotatedStamp();
  if (!stamp) return json;
  const parsed = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, annotated: stamp }, null, 2) + '\n';
}
