/**
 * The `lint` action: inputs → core → annotations, job summary, SARIF and
 * findings files, outputs. All logic lives in src/core; this file only wires I/O.
 */
import * as core from '@actions/core';
import { ConfigError, parseBuildArgs, withBuildArgs } from '../core/config/load.js';
import { atOrAbove, parseThreshold } from '../core/finding.js';
import { hiddenNotice, toAnnotations } from '../core/report/annotations.js';
import { formatJson } from '../core/report/json.js';
import { formatMarkdownSummary } from '../core/report/markdown.js';
import { formatSarif } from '../core/report/sarif.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { rulesOf } from '../core/config/types.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { runLint, UsageError } from '../io/lint-run.js';
import { createPinClient } from '../io/pin-run.js';

/** Splits a multi-line or space/comma separated input. */
export function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .flatMap((s) => s.trim().split(/\s+/))
    .filter(Boolean);
}

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const threshold = parseThreshold(core.getInput('fail-on') || 'error');
    const loaded = await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES);
    let config = loaded.config;
    const shellcheck = core.getInput('shellcheck');
    if (shellcheck) {
      if (!['auto', 'on', 'off'].includes(shellcheck)) throw new UsageError(`input shellcheck: "${shellcheck}" is not auto, on or off`);
      config = { ...config, lint: { ...config.lint, shellcheck: shellcheck as typeof config.lint.shellcheck } };
    }
    const buildArgs = core.getInput('build-args');
    if (buildArgs) config = withBuildArgs(config, parseBuildArgs(buildArgs, 'build-args input'));
    const report = await runLint({
      cwd,
      paths: listInput('paths'),
      config,
      rules: rulesOf(config, BUILTIN_RULES),
      shard: core.getInput('shard') || undefined,
      pluginErrors: loaded.pluginErrors,
      suggestPins: /^true$/i.test(core.getInput('suggest-pins').trim()) ? { client: createPinClient([]) } : undefined
    });

    const { annotations, hidden } = toAnnotations(report);
    for (const a of annotations) {
      const props = { title: a.title, file: a.file, startLine: a.startLine, endLine: a.endLine, startColumn: a.startColumn };
      if (a.level === 'error') core.error(a.message, props);
      else if (a.level === 'warning') core.warning(a.message, props);
      else core.notice(a.message, props);
    }
    const notice = hiddenNotice(hidden);
    if (notice) core.info(notice);
    for (const e of report.errors) core.error(`${e.file}: ${e.message}`, { file: e.file, title: 'container-guard: cannot lint this file' });

    const sarifFile = core.getInput('sarif-file');
    if (sarifFile) writeFileAtomic(sarifFile, formatSarif(report, { category: 'container-guard/lint' }));
    const findingsFile = core.getInput('findings-file');
    if (findingsFile) writeFileAtomic(findingsFile, formatJson(report));
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
    if (report.errors.length > 0) core.setFailed(`${report.errors.length} file(s) could not be linted: ${report.errors.map((e) => e.file).join(', ')}`);
    else if (failing > 0) core.setFailed(`${failing} finding(s) at or above "${threshold}"`);
  } catch (e) {
    // User mistakes (bad config, bad input) fail with one clear line, no stack.
    if (e instanceof ConfigError || e instanceof UsageError || (e instanceof Error && /^(invalid shard|unknown severity)/.test(e.message)))
      core.setFailed(e.message);
    else core.setFailed(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  }
}
