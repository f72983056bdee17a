/**
 * The `verify` action: image references (inputs, a file, the Dockerfiles' base images) → digests and
 * signatures checked in the registry against the config's verify policy → annotations, job summary,
 * findings file, outputs. All logic lives in src/core and src/io/verify-run.ts; this file wires inputs.
 */
import * as core from '@actions/core';
import { ConfigError, withBuildArgs } from '../core/config/load.js';
import { atOrAbove } from '../core/finding.js';
import { toAnnotations } from '../core/report/annotations.js';
import { buildReport } from '../core/run.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { TrustedRootError } from '../core/verify/trusted-root.js';
import { formatVerifyMarkdown, toVerifyJson } from '../core/verify/results.js';
import { loadConfig } from '../io/config.js';
import { writeFileAtomic } from '../io/files.js';
import { UsageError } from '../io/lint-run.js';
import { runInspect } from '../io/inspect-run.js';
import { createPinClient, parseInsecureRegistries } from '../io/pin-run.js';
import { readAttestationFiles } from '../io/registry/attestations.js';
import { collectImages, runVerify } from '../io/verify-run.js';
import { defaultDockerConfig, parseDuration, setupCredentials } from '../io/verify-setup.js';
import { ANNOTATION_BUDGET, emitAnnotations } from './annotate.js';
import { booleanInput, buildArgsInput, failWith, lintThresholdInput, listInput } from './inputs.js';
import { annotatedStamp } from './stamp.js';

/** What findings about references given through the `images:` input point at: no file (they are annotated without one). */
export const IMAGES_INPUT = 'images input';

export async function run(): Promise<void> {
  // Masked before anything can print them.
  const password = core.getInput('registry-password');
  if (password) core.setSecret(password);
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const threshold = lintThresholdInput('error');
    const buildArgs = buildArgsInput();
    const timeoutMs = parseDuration(core.getInput('registry-timeout'), 'input registry-timeout');
    const deadlineMs = parseDuration(core.getInput('deadline'), 'input deadline');
    const inspect = booleanInput('inspect', false);
    const insecure = listInput('insecure-registries').map((v) => {
      try {
        return parseInsecureRegistries([v])[0]!;
      } catch {
        throw new UsageError(`input insecure-registries: "${v}" is not a host[:port] such as registry.local:5000 (no scheme, no path)`);
      }
    });
    let config = (await loadConfig(cwd, core.getInput('config') || undefined, BUILTIN_RULES)).config;
    if (buildArgs) config = withBuildArgs(config, buildArgs);
    const images = listInput('images');
    const imagesFiles = listInput('images-file');
    const dockerfilesInput = listInput('dockerfiles');
    const dockerfiles = dockerfilesInput.length > 0 ? dockerfilesInput : undefined;
    if (images.length === 0 && imagesFiles.length === 0 && !dockerfiles) throw new UsageError('nothing to verify: set images, images-file or dockerfiles');

    // References from the images: input have no file of their own: they are labelled as the input, never
    // as the config file (which may not exist), so no annotation points at a file they are not in.
    const fromInput = collectImages({ cwd, config: { ...config, file: IMAGES_INPUT }, images });
    const fromFiles = collectImages({ cwd, config, imagesFiles, dockerfiles });
    const collected = { uses: [...fromInput.uses, ...fromFiles.uses], skipped: [...fromInput.skipped, ...fromFiles.skipped] };
    // Files the workflow downloaded (gh attestation download): unreadable or malformed is a usage error, never "no attestation".
    const attestationBundles = readAttestationFiles(cwd, listInput('attestation-bundles'), (m) => new UsageError(`input attestation-bundles: ${m}`));
    const creds = setupCredentials(
      {
        cwd,
        username: core.getInput('registry-username') || undefined,
        password: password || undefined,
        registry: core.getInput('registry') || undefined,
        // What docker/login-action wrote ($DOCKER_CONFIG or ~/.docker/config.json) unless a file is named.
        dockerConfig: core.getInput('docker-config') || defaultDockerConfig(),
        onSecret: (s) => core.setSecret(s)
      },
      collected.uses.map((u) => u.image.registry)
    );
    for (const s of creds.secrets) core.setSecret(s);
    for (const w of creds.warnings) core.warning(w);
    const client = createPinClient(insecure, {
      credentials: creds.credentials,
      timeoutMs,
      deadlineMs
    });
    const result = await runVerify({ cwd, config, client, collected, attestationBundles, trustedRoot: core.getInput('trusted-root') || undefined });
    if (inspect) {
      // The image that ships, judged by the same rules: each verified image at the digest it was verified at.
      const refs = result.results.filter((r) => r.digest).map((r) => `${r.image.replace(/@sha256:[a-f0-9]{64}$/, '')}@${r.digest}`);
      const inspected = await runInspect({ images: refs, config, rules: BUILTIN_RULES, registry: client });
      result.findings.push(...inspected.report.findings);
      for (const i of inspected.images) core.info(`container-guard inspect: ${i.ref} (${i.platform}, ${i.layers} layers): ${i.findings} finding(s)`);
    }

    const { annotations, hidden } = toAnnotations(buildReport(result.findings, [], [], [], []), { total: ANNOTATION_BUDGET.verify });
    emitAnnotations(
      cwd,
      annotations.map((a) => ({ ...a, title: `container-guard ${a.title}` }))
    );
    if (hidden > 0) core.info(`${hidden} more verify finding(s) not shown as annotations; see the job summary or the findings file.`);
    const json = toVerifyJson(result.results, result.findings);
    const findingsFile = core.getInput('findings-file');
    const stamp = annotatedStamp();
    if (findingsFile) writeFileAtomic(findingsFile, JSON.stringify({ tool: 'verify', ...json, ...(stamp ? { annotated: stamp } : {}) }, null, 2) + '\n');
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
    failWith(e, (x) => x instanceof ConfigError || x instanceof UsageError || x instanceof TrustedRootError);
  }
}
