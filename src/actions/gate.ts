/**
 * The `gate` action: scanner reports + one policy → pass or fail, with the
 * exact rule that failed, counts before and after policy, job summary,
 * findings file and filtered SARIF. Every policy field is also an input.
 */
import * as core from '@actions/core';
import { ConfigError } from '../core/config/load.js';
import type { Config } from '../core/config/types.js';
import { formatGateJson, formatGateMarkdown, gateSarif, toGateJson } from '../core/gate/output.js';
import { toFinding } from '../core/gate/policy.js';
import { ReportError } from '../core/gate/types.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { applyGateOverrides, runGate } from '../io/gate-run.js';
import { UsageError } from '../io/lint-run.js';
import { listInput } from './lint.js';

/** Action inputs override the config's gate: section, field by field. */
export function gateInputs(config: Config): Config {
  return applyGateOverrides(
    config,
    {
      failOn: core.getInput('fail-on'),
      maxCvss: core.getInput('max-cvss'),
      max: core.getInput('max'),
      onlyFixable: core.getInput('only-fixable') ? core.getBooleanInput('only-fixable') : undefined,
      newOnly: core.getInput('new-only') ? core.getBooleanInput('new-only') : undefined
    },
    (name) => `input ${name}`
  );
}

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const config = gateInputs((await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES)).config);
    const { result } = await runGate({
      cwd,
      reports: listInput('reports'),
      vex: listInput('vex'),
      ignoreFiles: listInput('ignore-files'),
      baseline: core.getInput('baseline') || undefined,
      config
    });
    const json = toGateJson(result);

    const findingsFile = core.getInput('findings-file');
    if (findingsFile) {
      // The shared findings shape the comment action merges, plus the gate's verdict.
      writeFileAtomic(
        findingsFile,
        JSON.stringify(
          { findings: json.findings, summary: { passed: json.passed, reason: json.reason, counts: json.counts, suppressed: json.suppressed.length } },
          null,
          2
        ) + '\n'
      );
    }
    const sarifFile = core.getInput('sarif-file');
    if (sarifFile) {
      const sarif = gateSarif(result);
      if (sarif.note) core.warning(sarif.note);
      writeFileAtomic(sarifFile, JSON.stringify(sarif.log) + '\n');
    }
    const resultFile = core.getInput('result-file');
    if (resultFile) writeFileAtomic(resultFile, formatGateJson(result));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatGateMarkdown(result)).write();
    for (const r of result.unusedIgnores)
      core.notice(`ignore of ${r.id} matched nothing; remove it`, {
        file: r.source.file,
        startLine: r.source.line,
        title: 'container-guard gate: unused ignore'
      });
    for (const f of result.remaining.slice(0, 10)) {
      const finding = toFinding(f);
      (finding.severity === 'error' ? core.error : finding.severity === 'warning' ? core.warning : core.notice)(finding.message, {
        title: `container-guard gate: ${f.id}`
      });
    }

    core.setOutput('passed', String(result.passed));
    core.setOutput('reason', result.reason);
    core.setOutput('counts', JSON.stringify(result.counts));
    for (const s of ['critical', 'high', 'medium', 'low', 'unknown'] as const) core.setOutput(s, result.counts.after[s]);
    core.setOutput('findings-file', findingsFile);
    core.setOutput('sarif-file', sarifFile);

    core.info(`container-guard gate: ${result.reason}`);
    if (!result.passed) core.setFailed(`gate failed: ${result.reason}`);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof ReportError) core.setFailed(e.message);
    else core.setFailed(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  }
}
