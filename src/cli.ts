#!/usr/bin/env node
/**
 * container-guard CLI: the same core the actions run, for a terminal or any CI.
 * inspect options (rules, severities and ignores from the same config as lint):
  -i, --image SOURCE             a registry reference, oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE (repeatable)
      --platform OS/ARCH         judge only these platforms of a multi-platform image (repeatable)
  -f, --format text|json|sarif   output format (default text)
      --fail-on LEVEL            error|warning|note|none (default error)
      --insecure-registry HOST   plain http for HOST:PORT (loopback registries always are)
      --docker-config FILE       registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config error or a file that cannot be read.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, parseBuildArgs, withBuildArgs } from './core/config/load.js';
import type { Config } from './core/config/types.js';
import { atOrAbove, parseThreshold, type Threshold } from './core/finding.js';
import { formatJson } from './core/report/json.js';
import type { RunReport } from './core/report/types.js';
import { formatSarif } from './core/report/sarif.js';
import { formatText } from './core/report/text.js';
import { BUILTIN_RULES } from './core/rules/index.js';
import { formatRuleList, ruleDocMarkdown } from './core/rules/docs.js';
import { ENGINE_RULE_META } from './core/rules/engine-rules.js';
import { initFiles } from './core/init.js';
import { FindingsFileError, mergeFindings } from './core/comment/findings-files.js';
import { splitGitDiff } from './core/comment/git-diff.js';
import { planComment } from './core/comment/plan.js';
import type { CommentMode, FilterMode } from './core/comment/types.js';
import { readFindingsFiles } from './io/findings.js';
import { discover } from './io/files.js';
import { formatGateJson, formatGateText, gateSarif } from './core/gate/output.js';
import { ReportError } from './core/gate/types.js';
import { loadConfig } from './io/config.js';
import { defaultConfig, rulesOf } from './core/config/types.js';
import { applyGateOverrides, runGate } from './io/gate-run.js';
import { writeFileAtomic } from './io/files.js';
import { runLint, UsageError } from './io/lint-run.js';
import { createPinClient, parseInsecureRegistries, runPin } from './io/pin-run.js';
import { formatVerifyText, toVerifyJson } from './core/verify/results.js';
import { TrustedRootError } from './core/verify/trusted-root.js';
import { runInspect } from './io/inspect-run.js';
import { runVerifyBundle } from './io/verify-bundle.js';
import { collectImages, runVerify } from './io/verify-run.js';
import { readAttestationFiles } from './io/registry/attestations.js';
import { defaultDockerConfig, parseDuration, setupCredentials } from './io/verify-setup.js';
import { TOOL } from './core/tool.js';

const HELP = `container-guard ${TOOL.version}

Usage:
  container-guard lint [PATH|GLOB...] [options]
  container-guard gate --report FILE... [--vex FILE...] [--baseline FILE] [options]
  container-guard comment --findings FILE... --dry-run [--diff FILE] [--format markdown|json]
  container-guard rules [--format text|markdown|json] [--config FILE]
  container-guard explain <rule-id>
  container-guard init [--force]
  container-guard pin [PATH...] [--write] [--insecure-registry HOST]... [--build-arg KEY=VALUE]...
  container-guard verify [--image REF]... [--images-file FILE] [--dockerfiles GLOB]... [options]
  container-guard inspect --image REF|oci:DIR[:TAG]|oci-archive:FILE[:TAG]|docker-archive:FILE [--platform OS/ARCH]... [options]
  container-guard verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                                [--trusted-root FILE] [--predicate-type TYPE [--condition PATH=GLOB]...] FILE_OR_DIGEST
  container-guard trusted-root --refresh [--cache DIR]   fetch the current Sigstore public-good root over TUF

lint options:
  -f, --format text|json|sarif   output format (default text)
  -c, --config FILE              config file (default .container-guard.yml if present)
      --fail-on LEVEL            error|warning|note|none (default error)
  -o, --output FILE              write the report to FILE instead of stdout
      --build-arg KEY=VALUE      resolve ARGs as docker build --build-arg would (repeatable)
      --shard K/N                lint only shard K of N (for CI matrices)
      --shellcheck auto|on|off   check RUN scripts with shellcheck (auto: when on PATH)
      --suggest-pins             look up current digests so unpinned images get a pinned fix
      --no-color                 plain text output
  -h, --help                     this help
  -v, --version                  print the version

gate options (policy from the config's gate: section; flags override it):
  -r, --report FILE              Trivy, Grype, Snyk or SARIF JSON (repeatable; format detected from content)
      --vex FILE                 OpenVEX or CycloneDX VEX (repeatable)
      --baseline FILE            report of the base branch: fail only on what is new
      --fail-on LEVEL            critical|high|medium|low|none (default critical)
      --max-cvss N               fail on a CVSS score above N
      --only-fixable             judge only findings with a fixed version
  -f, --format text|json|sarif   output format (default text)

verify options (policy from the config's verify: section):
  -i, --image REF                an image reference to verify (repeatable)
      --images-file FILE         references, one per line (# comments)
  -d, --dockerfiles GLOB         verify the base images of these Dockerfiles (repeatable)
      --trusted-root FILE        Sigstore trusted root JSON (default: public-good, shipped offline)
      --bundle FILE              attestation bundles for policies that require attestations: a Sigstore
                                 bundle or gh attestation download's JSON lines (repeatable)
      --registry HOST            the registry CONTAINER_GUARD_REGISTRY_USERNAME/PASSWORD are for
      --docker-config FILE       credentials from a Docker config.json, credential helpers included
                                 (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)
      --insecure-registry HOST   plain http for HOST:PORT (loopback registries always are)
      --registry-timeout TIME    longest wait for one registry request: 30s, 500ms, 2m (default 30s)
      --deadline TIME            longest time for all registry requests of the run (default 10m)
      --fail-on LEVEL            error|warning|none (default error)
  Environment: HTTPS_PROXY/HTTP_PROXY/NO_PROXY; COSIGN_REPOSITORY: where signatures are stored
  (registry/repository) for images whose policy names no signatures-repository.
  -f, --format text|json         output format (default text)

Exit codes: 0 clean, 1 findings at or above --fail-on (gate: the policy failed),
2 usage or config error, a Dockerfile that cannot be read (binary, invalid UTF-8,
over the size limit) or an unreadable report. Parse errors are findings: --fail-on none never fails on them.
`;

function fail(message: string): number {
  process.stderr.write(`container-guard: ${message}\n`);
  return 2;
}

async function lint(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      config: { type: 'string', short: 'c' },
      'fail-on': { type: 'string', default: 'error' },
      output: { type: 'string', short: 'o' },
      'build-arg': { type: 'string', multiple: true, default: [] },
      shard: { type: 'string' },
      shellcheck: { type: 'string' },
      'suggest-pins': { type: 'boolean', default: false },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      'no-color': { type: 'boolean', default: false }
    }
  });
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) return fail(`unknown --format "${format}" (text, json or sarif)`);
  let threshold: Threshold;
  try {
    threshold = parseThreshold(values['fail-on'] as string);
  } catch (e) {
    return fail(`--fail-on: ${(e as Error).message}`);
  }
  const cwd = process.cwd();
  const loaded = await loadConfig(cwd, values.config, BUILTIN_RULES);
  let config = loaded.config;
  if (values.shellcheck) {
    if (!['auto', 'on', 'off'].includes(values.shellcheck)) return fail(`unknown --shellcheck "${values.shellcheck}" (auto, on or off)`);
    config = { ...config, lint: { ...config.lint, shellcheck: values.shellcheck as Config['lint']['shellcheck'] } };
  }
  const buildArgs = (values['build-arg'] as string[]).join('\n');
  if (buildArgs) config = withBuildArgs(config, parseBuildArgs(buildArgs, '--build-arg'));
  const tty = process.stderr.isTTY === true;
  const report = await runLint({
    cwd,
    paths: positionals,
    config,
    rules: rulesOf(config, BUILTIN_RULES),
    shard: values.shard,
    pluginErrors: loaded.pluginErrors,
    suggestPins: values['suggest-pins'] ? { client: createPinClient(parseInsecureRegistries(values['insecure-registry'] as string[])) } : undefined,
    onProgress: tty
      ? (done, total) => total >= 50 && (done % 25 === 0 || done === total) && process.stderr.write(`\rlinting ${done}/${total}${done === total ? '\n' : ''}`)
      : undefined
  });
  return emitReport(report, format, values, threshold);
}

/**
 * Writes a lint-shaped report (lint, inspect) as text, JSON or SARIF to --output or stdout. Exit 2 when an
 * input could not be read, 1 for findings at or above --fail-on, else 0.
 */
function emitReport(report: RunReport, format: string, values: { output?: string; 'no-color'?: boolean }, threshold: Threshold): number {
  const color = format === 'text' && !values['no-color'] && !values.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const out = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : formatText(report, { color });
  if (values.output) {
    writeFileAtomic(values.output, out.endsWith('\n') ? out : out + '\n');
    process.stderr.write(`container-guard: wrote ${values.output} (${report.findings.length} findings in ${report.files.length} files)\n`);
  } else process.stdout.write(out.endsWith('\n') ? out : out + '\n');
  if (report.errors.length > 0) return 2;
  return report.findings.some((f) => atOrAbove(f.severity, threshold)) ? 1 : 0;
}

async function gate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      report: { type: 'string', short: 'r', multiple: true, default: [] },
      vex: { type: 'string', multiple: true, default: [] },
      baseline: { type: 'string' },
      config: { type: 'string', short: 'c' },
      format: { type: 'string', short: 'f', default: 'text' },
      'fail-on': { type: 'string' },
      'max-cvss': { type: 'string' },
      'only-fixable': { type: 'boolean' },
      output: { type: 'string', short: 'o' }
    }
  });
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) return fail(`unknown --format "${format}" (text, json or sarif)`);
  const cwd = process.cwd();
  const config = applyGateOverrides(
    (await loadConfig(cwd, values.config, BUILTIN_RULES)).config,
    {
      failOn: values['fail-on'] as string | undefined,
      maxCvss: values['max-cvss'] as string | undefined,
      onlyFixable: values['only-fixable'] ? true : undefined
    },
    (name) => `--${name}`
  );
  const { result } = await runGate({ cwd, reports: values.report as string[], vex: values.vex as string[], baseline: values.baseline, config });
  let out: string;
  if (format === 'json') out = formatGateJson(result);
  else if (format === 'sarif') {
    const sarif = gateSarif(result);
    if (sarif.note) process.stderr.write(`container-guard: ${sarif.note}\n`);
    out = JSON.stringify(sarif.log, null, 2) + '\n';
  } else out = formatGateText(result);
  if (values.output) {
    writeFileAtomic(values.output, out);
    process.stderr.write(`container-guard: wrote ${values.output}: ${result.passed ? 'passed' : 'failed'}\n`);
  } else process.stdout.write(out);
  return result.passed ? 0 : 1;
}

async function comment(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      findings: { type: 'string', multiple: true, default: [] },
      diff: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      format: { type: 'string', short: 'f', default: 'markdown' },
      header: { type: 'string', default: 'container-guard' },
      mode: { type: 'string', default: 'both' },
      'filter-mode': { type: 'string', default: 'added' },
      'max-comments': { type: 'string', default: '25' },
      repo: { type: 'string', default: 'OWNER/REPO' },
      pr: { type: 'string', default: '1' },
      sha: { type: 'string', default: 'HEAD' }
    }
  });
  if (!values['dry-run']) return fail('comment posts to GitHub only from the action; use --dry-run to print what it would post');
  const format = values.format as string;
  if (!['markdown', 'json'].includes(format)) return fail(`unknown --format "${format}" (markdown or json)`);
  const mode = values.mode as CommentMode;
  if (!['summary', 'review', 'both'].includes(mode)) return fail(`unknown --mode "${mode}" (summary, review or both)`);
  const filterMode = values['filter-mode'] as FilterMode;
  if (!['added', 'diff_context', 'file', 'nofilter'].includes(filterMode)) return fail(`unknown --filter-mode "${filterMode}"`);
  const cwd = process.cwd();
  const files = readFindingsFiles(cwd, values.findings as string[]);
  const findings = mergeFindings(files.map((f) => f.findings));
  // Review comments need the PR's diff: `git diff origin/main...HEAD > pr.diff` gives the same lines the API would.
  const diff = values.diff ? splitGitDiff(readFileSync(path.resolve(cwd, values.diff), 'utf8')) : [];
  const [owner, repo] = (values.repo as string).split('/');
  const plan = planComment({
    findings,
    pr: { owner, repo, number: Number(values.pr), headSha: values.sha as string },
    diff,
    existing: [],
    existingReview: [],
    options: {
      header: values.header as string,
      mode,
      filterMode,
      maxComments: Number(values['max-comments']),
      allClear: 'update',
      serverUrl: 'https://github.com'
    },
    reports: files.map((f) => f.report).filter((r): r is NonNullable<typeof r> => r !== undefined)
  });
  const body = plan.sticky.action === 'create' || plan.sticky.action === 'update' ? plan.sticky.body : undefined;
  if (format === 'json') {
    process.stdout.write(
      JSON.stringify({ body: body ?? null, review: plan.review ?? null, outsideDiff: plan.outsideDiff.length, skipped: plan.skipped }, null, 2) + '\n'
    );
  } else {
    process.stdout.write(body ? `${body}\n` : '(no sticky comment: nothing to report)\n');
    for (const c of plan.review?.comments ?? [])
      process.stdout.write(`\n--- review comment on ${c.path}:${c.startLine ? `${c.startLine}-` : ''}${c.line} ---\n${c.body}\n`);
  }
  return 0;
}

async function rules(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', short: 'f', default: 'text' }, config: { type: 'string', short: 'c' } } });
  const format = values.format as string;
  if (!['text', 'markdown', 'json'].includes(format)) return fail(`unknown --format "${format}" (text, markdown or json)`);
  const { config } = await loadConfig(process.cwd(), values.config, BUILTIN_RULES);
  // Built-in, custom (from the config and what it extends) and plugin rules.
  process.stdout.write(
    formatRuleList(
      rulesOf(config, BUILTIN_RULES).map((r) => r.meta),
      format as 'text' | 'markdown' | 'json'
    )
  );
  return 0;
}

async function explain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' } } });
  if (positionals.length !== 1) return fail('usage: container-guard explain <rule-id or alias>');
  const { config } = await loadConfig(process.cwd(), values.config, BUILTIN_RULES);
  const wanted = positionals[0].toLowerCase();
  const metas = [...rulesOf(config, BUILTIN_RULES).map((r) => r.meta), ...ENGINE_RULE_META];
  const found = metas.filter((m) => m.id.toLowerCase() === wanted || m.aliases.some((a) => a.toLowerCase() === wanted));
  if (found.length === 0) return fail(`no rule "${positionals[0]}" (see \`container-guard rules\`)`);
  process.stdout.write(found.map((m) => ruleDocMarkdown(m)).join('\n---\n\n'));
  return 0;
}

function init(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { force: { type: 'boolean', default: false } } });
  const cwd = process.cwd();
  const defaults = defaultConfig().lint;
  const { files } = discover(cwd, [], defaults.include, defaults.exclude);
  const out = initFiles({ dockerfiles: files.map((file) => ({ file, text: readFileSync(path.join(cwd, file), 'utf8') })) });
  const targets: [string, string][] = [
    ['.container-guard.yml', out.config],
    ['.github/workflows/container-guard.yml', out.workflow]
  ];
  const existing = targets.filter(([f]) => existsSync(path.join(cwd, f))).map(([f]) => f);
  if (existing.length > 0 && !values.force)
    return fail(`${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: nothing written (use --force to overwrite)`);
  for (const [f, text] of targets) writeFileAtomic(path.join(cwd, f), text);
  process.stdout.write(
    `wrote .container-guard.yml (${files.length} Dockerfile(s); registries in use: ${out.registries.join(', ') || 'none'}) and .github/workflows/container-guard.yml\n`
  );
  return 0;
}

/** `pin`: resolve unpinned images to digests; a diff by default, --write rewrites. Exit 1: something could not be pinned. */
async function pin(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      write: { type: 'boolean', default: false },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      'build-arg': { type: 'string', multiple: true, default: [] }
    }
  });
  const buildArgs = parseBuildArgs((values['build-arg'] as string[]).join('\n'), '--build-arg');
  const result = await runPin({
    cwd: process.cwd(),
    paths: positionals,
    write: values.write as boolean,
    insecureRegistries: values['insecure-registry'] as string[],
    buildArgs
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

/** `verify`: digests and signatures of image references against the config's verify policy. */
async function verify(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string', short: 'i', multiple: true, default: [] },
      'images-file': { type: 'string', multiple: true, default: [] },
      dockerfiles: { type: 'string', short: 'd', multiple: true },
      config: { type: 'string', short: 'c' },
      'trusted-root': { type: 'string' },
      bundle: { type: 'string', multiple: true, default: [] },
      registry: { type: 'string' },
      'docker-config': { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      'registry-timeout': { type: 'string' },
      deadline: { type: 'string' },
      'build-arg': { type: 'string', multiple: true, default: [] },
      'fail-on': { type: 'string', default: 'error' },
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' }
    }
  });
  const format = values.format as string;
  if (!['text', 'json'].includes(format)) return fail(`unknown --format "${format}" (text or json)`);
  let threshold: Threshold;
  try {
    threshold = parseThreshold(values['fail-on'] as string);
  } catch (e) {
    return fail(`--fail-on: ${(e as Error).message}`);
  }
  const images = values.image as string[];
  const imagesFiles = values['images-file'] as string[];
  const dockerfiles = values.dockerfiles as string[] | undefined;
  if (images.length === 0 && imagesFiles.length === 0 && !dockerfiles) return fail('nothing to verify: give --image, --images-file or --dockerfiles');
  const cwd = process.cwd();
  let config = (await loadConfig(cwd, values.config, BUILTIN_RULES)).config;
  const buildArgs = (values['build-arg'] as string[]).join('\n');
  if (buildArgs) config = withBuildArgs(config, parseBuildArgs(buildArgs, '--build-arg'));
  const insecure = parseInsecureRegistries(values['insecure-registry'] as string[]);
  let attestationBundles;
  try {
    attestationBundles = readAttestationFiles(cwd, values.bundle as string[], (m) => new Error(`--bundle ${m}`));
  } catch (e) {
    return fail((e as Error).message);
  }
  const collected = collectImages({ cwd, config, images, imagesFiles, dockerfiles });
  const creds = setupCredentials(
    {
      cwd,
      username: process.env.CONTAINER_GUARD_REGISTRY_USERNAME,
      password: process.env.CONTAINER_GUARD_REGISTRY_PASSWORD,
      registry: values.registry,
      dockerConfig: values['docker-config'] ?? defaultDockerConfig()
    },
    collected.uses.map((u) => u.image.registry)
  );
  for (const w of creds.warnings) process.stderr.write(`container-guard: ${w}\n`);
  const client = createPinClient(insecure, {
    credentials: creds.credentials,
    timeoutMs: parseDuration(values['registry-timeout'], '--registry-timeout'),
    deadlineMs: parseDuration(values.deadline, '--deadline')
  });
  const run = await runVerify({
    cwd,
    config,
    client,
    collected,
    trustedRoot: values['trusted-root'],
    signaturesRepository: process.env.COSIGN_REPOSITORY || undefined,
    attestationBundles
  });
  const out = format === 'json' ? JSON.stringify(toVerifyJson(run.results, run.findings), null, 2) + '\n' : formatVerifyText(run.results, run.skipped);
  if (values.output) writeFileAtomic(values.output, out);
  else process.stdout.write(out);
  return run.findings.some((f) => atOrAbove(f.severity, threshold)) ? 1 : 0;
}

/**
 * `inspect`: judges built images — from a registry, an OCI layout (`oci:DIR[:TAG]`), or a tarball
 * (`oci-archive:FILE`, `docker-archive:FILE`) — with the image rules. Exit codes as lint.
 */
async function inspect(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string', short: 'i', multiple: true, default: [] },
      platform: { type: 'string', multiple: true, default: [] },
      config: { type: 'string', short: 'c' },
      format: { type: 'string', short: 'f', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      output: { type: 'string', short: 'o' },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      'docker-config': { type: 'string' },
      'no-color': { type: 'boolean', default: false }
    }
  });
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) return fail(`unknown --format "${format}" (text, json or sarif)`);
  let threshold: Threshold;
  try {
    threshold = parseThreshold(values['fail-on'] as string);
  } catch (e) {
    return fail(`--fail-on: ${(e as Error).message}`);
  }
  const images = values.image as string[];
  if (images.length === 0) return fail('nothing to inspect: give --image REF|oci:DIR[:TAG]|oci-archive:FILE|docker-archive:FILE');
  const platforms = values.platform as string[];
  for (const p of platforms) if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) return fail(`--platform "${p}" is not os/arch[/variant]`);
  const cwd = process.cwd();
  const loaded = await loadConfig(cwd, values.config, BUILTIN_RULES);
  const remote = images.filter((i) => !/^(oci|oci-archive|docker-archive):/.test(i));
  const creds = setupCredentials({ cwd, registry: undefined, dockerConfig: values['docker-config'] ?? defaultDockerConfig() }, []);
  for (const w of creds.warnings) process.stderr.write(`container-guard: ${w}\n`);
  const registry = remote.length
    ? createPinClient(parseInsecureRegistries(values['insecure-registry'] as string[]), { credentials: creds.credentials })
    : undefined;
  const { report, images: inspected } = await runInspect({ images, platforms, config: loaded.config, rules: rulesOf(loaded.config, BUILTIN_RULES), registry });
  for (const i of inspected)
    process.stderr.write(
      `container-guard: inspected ${i.ref} (${i.platform}, ${i.layers} layers, ${(i.bytes / 1048576).toFixed(1)} MiB): ${i.findings} findings\n`
    );
  return emitReport(report, format, values, threshold);
}

/**
 * `trusted-root --refresh`: the one explicit network step of Sigstore verification. It writes the current
 * public-good trusted root (fetched and checked through TUF) for `--trusted-root` / the action input.
 */
async function trustedRoot(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { refresh: { type: 'boolean', default: false }, cache: { type: 'string', default: '.container-guard/tuf' } }
  });
  if (!values.refresh) return fail('usage: container-guard trusted-root --refresh [--cache DIR] (verify uses the root shipped offline unless told otherwise)');
  const { refreshTrustedRoot } = await import('./io/trusted-root-refresh.js');
  const { file } = await refreshTrustedRoot(path.resolve(process.cwd(), values.cache as string));
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
  process.stderr.write(`container-guard: wrote the refreshed trusted root; pass it with --trusted-root (or the trusted-root input)\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await lint(rest);
      case 'rules':
        return await rules(rest);
      case 'explain':
        return await explain(rest);
      case 'init':
        return init(rest);
      case 'gate':
        return await gate(rest);
      case 'comment':
        return await comment(rest);
      case 'pin':
        return await pin(rest);
      case '-v':
      case '--version':
        process.stdout.write(`${TOOL.version}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      case 'inspect':
        return await inspect(rest);
      case 'verify':
        return await verify(rest);
      case 'trusted-root':
        return await trustedRoot(rest);
      case 'verify-bundle':
        return await runVerifyBundle(rest, {
          readFile: (f) => readFileSync(path.resolve(process.cwd(), f)),
          stdout: (t) => process.stdout.write(t),
          stderr: (t) => process.stderr.write(t)
        });
      default:
        return fail(`unknown command "${command}"\n\n${HELP}`);
    }
  } catch (e) {
    // User mistakes get one clear line; only real bugs get a stack.
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof ReportError || e instanceof FindingsFileError || e instanceof TrustedRootError)
      return fail(e.message);
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) return fail(`${e.message}\n\n${HELP}`);
    if (e instanceof Error && /^invalid shard/.test(e.message)) return fail(e.message);
    throw e;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `container-guard … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`container-guard: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    }
  );
}
