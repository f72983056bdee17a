/**
 * The `gate` action: scanner reports + one policy → pass or fail, with the
 * exact rule that failed, counts before and after policy, job summary,
 * findings file and filtered SARIF. Every policy field is also an input.
 */
import * as core from '@actions/core';
import { ConfigError } from '../core/config/load.js';
import { defaultConfig, type Config } from '../core/config/types.js';
import { formatGateJson, formatGateMarkdown, gateSarif, toGateJson } from '../core/gate/output.js';
import { toFinding } from '../core/gate/policy.js';
import { ReportError } from '../core/gate/types.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { applyGateOverrides, runGate } from '../io/gate-run.js';
import { UsageError } from '../io/lint-run.js';
import { ANNOTATION_BUDGET, emit, locate } from './annotate.js';
import { booleanInput, failWith, listInput } from './inputs.js';
import { annotatedStamp } from './stamp.js';

/** Action inputs override the config's gate: section, field by field. */
export function gateInputs(config: Config): Config {
  return applyGateOverrides(
    config,
    {
      failOn: core.getInput('fail-on'),
      maxCvss: core.getInput('max-cvss'),
      max: core.getInput('max'),
      onlyFixable: booleanInput('only-fixable', undefined),
      newOnly: booleanInput('new-only', undefined)
    },
    (name) => `input ${name}`
  );
}

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    // Inputs are checked before the config is read, so a bad value is blamed on the input.
    gateInputs(defaultConfig());
    const baseline = core.getInput('baseline') || undefined;
    if (booleanInput('new-only', undefined) && !baseline)
      throw new UsageError('input new-only: true needs a baseline report: set the baseline input to a scan of the base branch');
    const config = gateInputs((await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES)).config);
    const { result } = await runGate({
      cwd,
      reports: listInput('reports'),
      vex: listInput('vex'),
      ignoreFiles: listInput('ignore-files'),
      baseline,
      config
    });
    const json = toGateJson(result);

    const findingsFile = core.getInput('findings-file');
    if (findingsFile) {
      // The shared findings shape the comment action merges, plus the gate's verdict.
      writeFileAtomic(
        findingsFile,
        JSON.stringify(
          {
            findings: json.findings,
            summary: { passed: json.passed, reason: json.reason, counts: json.counts, suppressed: json.suppressed.length },
            ...(annotatedStamp() ? { annotated: annotatedStamp() } : {})
          },
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
    // Within gate's share of the job's 50 annotations: the most severe remaining findings, then unused ignores.
    // A finding is located only at a real file (a Dockerfile a misconfiguration scan names), never at an image name.
    // At most 8: with the step's failure line GitHub's 10 errors per step are never exceeded.
    let room: number = ANNOTATION_BUDGET.gate;
    for (const f of result.remaining.slice(0, room)) {
      const finding = toFinding(f);
      const level = finding.severity === 'note' ? 'notice' : finding.severity;
      const located = f.location?.file
        ? locate(cwd, { title: `container-guard gate: ${f.id}`, file: f.location.file, startLine: f.location.line ?? 1, endLine: f.location.line ?? 1 })
        : undefined;
      emit(level, located?.file ? finding.message : `${finding.file}: ${finding.message}`, located ?? { title: `container-guard gate: ${f.id}` });
      room--;
    }
    for (const r of result.unusedIgnores.slice(0, Math.max(0, room)))
      emit(
        'notice',
        `ignore of ${r.id} matched nothing; remove it`,
        locate(cwd, { title: 'container-guard gate: unused ignore', file: r.source.file, startLine: r.source.line, endLine: r.source.line })
      );

    core.setOutput('passed', String(result.passed));
    core.setOutput('reason', result.reason);
    core.setOutput('counts', JSON.stringify(result.counts));
    for (const s of ['critical', 'high', 'medium', 'low', 'unknown'] as const) core.setOutput(s, result.counts.after[s]);
    core.setOutput('findings-file', findingsFile);
    core.setOutput('sarif-file', sarifFile);

    core.info(`container-guard gate: ${result.reason}`);
    if (!result.passed) core.setFailed(`gate failed: ${result.reason}`);
  } catch (e) {
    failWith(e, (x) => x instanceof ConfigError || x instanceof UsageError || x instanceof ReportError);
  }
}
