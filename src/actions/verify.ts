/**
 * The `verify` action: image references (inputs, a file, the Dockerfiles' base images) → digests and
 * signatures checked in the registry against the config's verify policy → annotations, job summary,
 * findings file, outputs. All logic lives in src/core and src/io/verify-run.ts; this file wires inputs.
 */
import * as core from '@actions/core';
import { ConfigError, parseBuildArgs, withBuildArgs } from '../core/config/load.js';
import { atOrAbove, parseThreshold } from '../core/finding.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { TrustedRootError } from '../core/verify/trusted-root.js';
import { formatVerifyMarkdown, toVerifyJson } from '../core/verify/results.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { UsageError } from '../io/lint-run.js';
import { createPinClient, parseInsecureRegistries } from '../io/pin-run.js';
import { collectImages, runVerify } from '../io/verify-run.js';
import { setupCredentials } from '../io/verify-setup.js';
import { listInput } from './lint.js';

export async function run(): Promise<void> {
  // Masked before anything can print them.
  const password = core.getInput('registry-password');
  if (password) core.setSecret(password);
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const threshold = parseThreshold(core.getInput('fail-on') || 'error');
    let config = (await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES)).config;
    const buildArgs = core.getInput('build-args');
    if (buildArgs) config = withBuildArgs(config, parseBuildArgs(buildArgs, 'build-args input'));
    const images = listInput('images');
    const imagesFiles = listInput('images-file');
    const dockerfilesInput = listInput('dockerfiles');
    const dockerfiles = dockerfilesInput.length > 0 ? dockerfilesInput : undefined;
    if (images.length === 0 && imagesFiles.length === 0 && !dockerfiles) throw new UsageError('nothing to verify: set images, images-file or dockerfiles');

    const collected = collectImages({ cwd, config, images, imagesFiles, dockerfiles });
    const creds = setupCredentials(
      {
        cwd,
        username: core.getInput('registry-username') || undefined,
        password: password || undefined,
        registry: core.getInput('registry') || undefined,
        dockerConfig: core.getInput('docker-config') || undefined
      },
      collected.uses.map((u) => u.image.registry)
    );
    for (const s of creds.secrets) core.setSecret(s);
    for (const w of creds.warnings) core.warning(w);
    const client = createPinClient(parseInsecureRegistries(listInput('insecure-registries')), { credentials: creds.credentials });
    const result = await runVerify({ cwd, config, client, collected, trustedRoot: core.getInput('trusted-root') || undefined });

    for (const f of result.findings) {
      const props = { title: `container-guard ${f.ruleId}`, file: f.file, startLine: f.line, endLine: f.endLine, startColumn: f.column };
      if (f.severity === 'error') core.error(f.message, props);
      else core.warning(f.message, props);
    }
    const json = toVerifyJson(result.results, result.findings);
    const findingsFile = core.getInput('findings-file');
    if (findingsFile) writeFileAtomic(findingsFile, JSON.stringify({ tool: 'verify', ...json }, null, 2) + '\n');
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatVerifyMarkdown(result.results, result.skipped)).write();

    const failed = result.results.filter((r) => !r.passed);
    core.setOutput('verified', result.results.length - failed.length);
    core.setOutput('failed', failed.length);
    core.setOutput('digests', JSON.stringify(result.digests));
    core.setOutput('findings-file', findingsFile);
    core.info(`container-guard verify: ${result.results.length} image(s), ${result.results.length - failed.length} verified, ${failed.length} failed`);

    const failing = result.findings.filter((f) => atOrAbove(f.severity, threshold)).length;
    if (failing > 0) core.setFailed(`${failed.length} image(s) failed verification: ${failed.map((r) => `${r.image} (${r.reason})`).join('; ')}`);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof TrustedRootError || (e instanceof Error && /^unknown severity/.test(e.message)))
      core.setFailed(e.message);
    else core.setFailed(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  }
}
