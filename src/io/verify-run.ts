/**
 * `verify`, the I/O half: collect image references (inputs, an images file, the Dockerfiles), resolve each
 * distinct reference once through the registry, discover its signatures, check them against the policy
 * that matches it, and turn the verdicts into results and Findings.
 *
 * - References are verified a few at a time (`concurrency`, default 8) over one client, so tokens and
 *   connections are reused and a reference used by many Dockerfiles costs one lookup.
 * - A registry that cannot be reached, refuses the credentials or answers nonsense fails the image
 *   (the policy cannot be judged): never a pass by accident.
 * - Keys named by path are read relative to the config file; a malformed or expired key is a
 *   ConfigError naming the config line that declared it (exit 2), before any registry request.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config/types.js';
import { parseDockerfile } from '../core/dockerfile/model.js';
import type { Finding } from '../core/finding.js';
import { checkSignature, type PolicyKey } from '../core/verify/check.js';
import { groupByReference, imagesOfDockerfile, parseImageList, type ImageUse, type SkippedImage } from '../core/verify/images.js';
import { digestsInScope, evaluateImage, matchPolicy, signaturesNeeded, type AppliedPolicy, type ImageFacts } from '../core/verify/policy.js';
import { checkKeySpec, ConfigError } from '../core/config/load.js';
import type { TrustedRoot } from '../core/verify/trusted-root.js';
import type { SignatureCheck } from '../core/verify/types.js';
import { verifyFindings, type ImageResult } from '../core/verify/results.js';
import { mapLimit } from './concurrency.js';
import { discover } from './files.js';
import { UsageError } from './lint-run.js';
import { parseImageRef, type ImageRef } from '../core/image-ref.js';
import { BUILTIN_RULES } from '../core/rules/index.js';
import { runInspect } from './inspect-run.js';
import { RegistryError, type RegistryClient } from './registry/client.js';
import { discoverSignatures } from './registry/signatures.js';
import { checkAttestationKeys, verifyImageAttestations } from './registry/attestations.js';
import type { AttestationCheck, FoundAttestation } from '../core/verify/attestations.js';
import type { FoundSignature } from '../core/verify/cosign.js';
import { loadTrustedRoot } from './trusted-root.js';

const INSPECT_RULES: Record<'non-root' | 'no-secrets', string[]> = {
  'non-root': ['root-user'],
  'no-secrets': ['secret-in-env', 'credential-file-in-image']
};

/** `require: [non-root, no-secrets]`: the image's config, history and layers judged by those rules; any finding fails it. */
async function inspectRequirements(
  opts: VerifyRunOptions,
  client: RegistryClient,
  reference: string,
  digest: string,
  requirements: readonly ('non-root' | 'no-secrets')[]
): Promise<{ requirement: 'non-root' | 'no-secrets'; message: string }[]> {
  const ids = new Set(requirements.flatMap((r) => INSPECT_RULES[r]));
  const rules = BUILTIN_RULES.filter((r) => ids.has(r.meta.id));
  const config = { ...opts.config, rules: { ...opts.config.rules } };
  for (const id of ids) config.rules[id] = { ...config.rules[id], enabled: true };
  const at = `${reference.replace(/@sha256:[a-f0-9]{64}$/, '')}@${digest}`;
  const { report } = await runInspect({ images: [at], config, rules, registry: client });
  const out: { requirement: 'non-root' | 'no-secrets'; message: string }[] = [];
  for (const e of report.errors) for (const requirement of requirements) out.push({ requirement, message: `the image could not be inspected: ${e.message}` });
  for (const requirement of requirements) {
    const hit = report.findings.find((f) => INSPECT_RULES[requirement].includes(f.ruleId));
    if (hit) out.push({ requirement, message: `${requirement}: ${hit.message}` });
  }
  return out;
}

export interface VerifyRunOptions {
  cwd: string;
  config: Config;
  client: RegistryClient;
  /** References given directly (CLI --image, action input `images`). */
  images?: readonly string[];
  /** Files listing references, one per line. */
  imagesFiles?: readonly string[];
  /** Dockerfiles, directories or globs whose base images are verified; `undefined`: none. */
  dockerfiles?: readonly string[];
  /** Trusted root JSON (overrides the config's `verify.trusted-root`). */
  trustedRoot?: string;
  /**
   * Where signatures are stored for images whose policy names no `signatures-repository` (the CLI's
   * COSIGN_REPOSITORY): `registry/repository`.
   */
  signaturesRepository?: string;
  concurrency?: number;
  now?: Date;
  /** Attestation bundles from files (`--bundle`), offered to every image whose policy requires attestations. */
  attestationBundles?: readonly FoundAttestation[];
  /** Already collected references (the caller needed them to set up credentials). */
  collected?: { uses: ImageUse[]; skipped: SkippedImage[] };
}

export interface VerifyRunResult {
  results: ImageResult[];
  findings: Finding[];
  skipped: SkippedImage[];
  /** ref → digest of everything that resolved. */
  digests: Record<string, string>;
}

function readText(cwd: string, file: string, what: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Every reference to verify, with where it is used. */
export function collectImages(opts: Pick<VerifyRunOptions, 'cwd' | 'config' | 'images' | 'imagesFiles' | 'dockerfiles'>): {
  uses: ImageUse[];
  skipped: SkippedImage[];
} {
  const uses: ImageUse[] = [];
  const skipped: SkippedImage[] = [];
  const add = (c: { uses: ImageUse[]; skipped: SkippedImage[] }) => {
    uses.push(...c.uses);
    skipped.push(...c.skipped);
  };
  // Inline references have no file of their own: findings point at the file that holds the policy.
  if (opts.images && opts.images.length > 0) add(parseImageList(opts.images.join('\n'), opts.config.file ?? '.container-guard.yml'));
  if (opts.images && opts.images.length > 0 && uses.length === 0 && skipped.length === 0)
    throw new UsageError('nothing to verify: the images given are empty (no image reference)');
  for (const f of opts.imagesFiles ?? []) {
    const list = parseImageList(readText(opts.cwd, f, 'the images file'), f);
    // A file with only comments or blank lines is unusable input, not an empty success (exit 2).
    if (list.uses.length === 0 && list.skipped.length === 0) throw new UsageError(`${f}: no image reference in the images file (only comments or blank lines)`);
    add(list);
  }
  if (opts.dockerfiles) {
    const lint = opts.config.lint;
    const { files, missing } = discover(opts.cwd, opts.dockerfiles, lint.include, lint.exclude);
    if (missing.length > 0) throw new UsageError(`no such file or no match: ${missing.join(', ')}`);
    for (const file of files) add(imagesOfDockerfile(parseDockerfile(file, readText(opts.cwd, file, 'the Dockerfile'), { buildArgs: lint.buildArgs })));
  }
  return { uses, skipped };
}

/** Keys of a policy, read and checked once per run. The loader made paths relative to cwd (config/paths.ts). */
function keyLoader(cwd: string, now: Date | undefined): (policy: AppliedPolicy) => PolicyKey[] {
  const cache = new Map<object, PolicyKey[]>();
  return (policy) => {
    let keys = cache.get(policy);
    if (!keys) {
      keys = policy.keys.map((spec, i) => {
        if (spec.path === undefined) return { name: `inline key #${i + 1}`, key: checkKeySpec(spec.pem ?? '', spec, now) };
        const name = spec.path;
        let pem: string;
        try {
          pem = fs.readFileSync(path.resolve(cwd, name), 'utf8');
        } catch (e) {
          throw new ConfigError(
            spec.source.file,
            spec.source.line,
            `cannot read key file ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
          );
        }
        return { name, key: checkKeySpec(pem, spec, now) };
      });
      cache.set(policy, keys);
    }
    return keys;
  };
}

/**
 * The repository signatures are read from, per policy: its `signatures-repository`, else `fallback`
 * (COSIGN_REPOSITORY), else the image's own. A value that is not `registry/repository` (no tag, no digest)
 * is a ConfigError at the policy (a UsageError for the environment variable), before any request.
 */
function signaturesRepositories(fallback: string | undefined): (policy: AppliedPolicy) => ImageRef | undefined {
  const parse = (value: string, fail: (detail: string) => Error): ImageRef => {
    const r = parseImageRef(value.trim());
    if (!r || r.tag !== undefined || r.digest !== undefined) throw fail(`"${value}" is not a repository such as ghcr.io/acme/signatures (no tag, no digest)`);
    return { raw: r.raw, registry: r.registry, repository: r.repository };
  };
  const env = fallback?.trim() ? parse(fallback, (d) => new UsageError(`COSIGN_REPOSITORY: ${d}`)) : undefined;
  return (policy) => {
    if (policy.signaturesRepository === undefined) return env;
    const at = policy.source ?? { file: '.container-guard.yml', line: 1 };
    return parse(policy.signaturesRepository, (d) => new ConfigError(at.file, at.line, `signatures-repository: ${d}`));
  };
}

export async function runVerify(opts: VerifyRunOptions): Promise<VerifyRunResult> {
  const { config, client } = opts;
  const { uses, skipped } = opts.collected ?? collectImages(opts);
  const groups = groupByReference(uses);
  const keysOf = keyLoader(opts.cwd, opts.now);
  // Keys are checked before any request: a config mistake is exit 2, not a registry verdict.
  const matched = new Map([...groups].map(([ref, list]) => [ref, matchPolicy(config.verify, list[0]!.image)]));
  for (const m of matched.values()) keysOf(m.policy);
  const sigRepoOf = signaturesRepositories(opts.signaturesRepository);
  for (const m of matched.values()) sigRepoOf(m.policy);
  for (const m of matched.values()) checkAttestationKeys(m.policy, opts.cwd, opts.now);

  // The loader resolved the config's trusted-root against the file that wrote it (config/paths.ts).
  const rootPath = opts.trustedRoot ?? config.verify.trustedRoot;
  let root: TrustedRoot | undefined;
  const trustedRoot = () => (root ??= loadTrustedRoot(rootPath === undefined ? undefined : path.resolve(opts.cwd, rootPath)));
  if (rootPath !== undefined) trustedRoot(); // a broken root file is a usage error up front

  const results: ImageResult[] = [];
  const digests: Record<string, string> = {};
  await mapLimit([...groups.keys()], opts.concurrency ?? 8, async (reference) => {
    const list = groups.get(reference)!;
    const image = list[0]!.image;
    const { policy, index } = matched.get(reference)!;
    const facts: ImageFacts = { reference, pinned: image.digest !== undefined, resolution: { ok: false, error: 'not resolved' }, signatures: {} };
    let platforms: { platform: string; digest: string }[] | undefined;
    let manifest: unknown;
    const foundSignatures = new Map<string, FoundSignature[]>();
    try {
      const r = await client.resolve(image);
      if (!r.found) {
        facts.resolution = { ok: false, missing: true, error: `${r.digest} does not exist in ${image.registry}/${image.repository}` };
      } else {
        platforms = r.platforms?.map((p) => ({ platform: p.platform, digest: p.digest }));
        manifest = r.manifest;
        facts.resolution = {
          ok: true,
          digest: r.digest,
          ...(platforms ? { platforms } : {}),
          ...(r.tag?.drift ? { drift: { tag: r.tag.tag, ...(r.tag.digest ? { now: r.tag.digest } : {}) } } : {})
        };
        digests[reference] = r.digest;
      }
    } catch (e) {
      facts.resolution = { ok: false, error: e instanceof RegistryError ? e.detail : (e as Error).message };
    }
    if (facts.resolution.ok && signaturesNeeded(policy)) {
      const signers = { keys: keysOf(policy), keyless: policy.keyless, trustedRoot, now: opts.now };
      for (const digest of digestsInScope(policy, facts.resolution)) {
        let checks: SignatureCheck[];
        try {
          const repository = sigRepoOf(policy);
          const found = await discoverSignatures(client, image, digest, repository ? { repository } : {});
          foundSignatures.set(digest, found);
          checks = found.map((sig) => checkSignature(sig, digest, signers));
        } catch (e) {
          const detail = e instanceof RegistryError ? e.detail : (e as Error).message;
          checks = [
            { format: 'registry', kind: 'simple-signing', digest, ok: false, reason: 'registry-error', detail: `signatures could not be read: ${detail}` }
          ];
        }
        facts.signatures[digest] = checks;
      }
    }
    const verdict = evaluateImage(policy, facts);
    // Attestations (issue 13): checked when the policy requires them; their failures join the verdict.
    let attestations: AttestationCheck[] | undefined;
    if (facts.resolution.ok && policy.require.includes('attestation')) {
      const a = await verifyImageAttestations({
        source: client,
        image,
        digest: facts.resolution.digest,
        manifest,
        platforms: (platforms ?? []).map((p) => p.digest),
        policy,
        policyKeys: keysOf(policy),
        cwd: opts.cwd,
        trustedRoot,
        now: opts.now,
        repository: sigRepoOf(policy),
        found: foundSignatures,
        offline: opts.attestationBundles
      });
      attestations = a.checks;
      if (a.failures.length > 0) {
        const all = [...verdict.failures, ...a.failures];
        const more = all.length > 1 ? ` (and ${all.length - 1} more problem${all.length === 2 ? '' : 's'})` : '';
        Object.assign(verdict, { passed: false, failures: all, reason: `${all[0]!.message}${more}` });
      } else if (verdict.passed) {
        const n = policy.attestations?.length ?? 0;
        verdict.reason += `, ${n} attestation${n === 1 ? '' : 's'} verified`;
      }
    }
    // The image itself (issue 16): inspected at the verified digest with the rules the requirement names.
    const inspections = (['non-root', 'no-secrets'] as const).filter((r) => policy.require.includes(r));
    if (inspections.length > 0) {
      const failures = facts.resolution.ok
        ? await inspectRequirements(opts, client, reference, facts.resolution.digest, inspections)
        : inspections.map((requirement) => ({ requirement, message: 'the image could not be inspected: its reference did not resolve' }));
      if (failures.length > 0) {
        const all = [...verdict.failures, ...failures];
        const more = all.length > 1 ? ` (and ${all.length - 1} more problem${all.length === 2 ? '' : 's'})` : '';
        Object.assign(verdict, { passed: false, failures: all, reason: `${all[0]!.message}${more}` });
      } else if (verdict.passed) verdict.reason += `, inspected: ${inspections.join(', ')}`;
    }
    results.push({
      image: reference,
      digest: facts.resolution.ok ? facts.resolution.digest : undefined,
      pinned: facts.pinned,
      platforms,
      policy: index === 'default' ? 'default' : `policies[${index}]`,
      signatures: Object.values(facts.signatures).flat(),
      ...(attestations ? { attestations } : {}),
      passed: verdict.passed,
      reason: verdict.reason,
      failures: verdict.failures,
      uses: list.map((u) => ({ file: u.file, line: u.line, column: u.column, via: u.via }))
    });
  });
  // Concurrency finishes in any order; results read in the order references were found (positions in a
  // map: indexOf in the comparator made the sort quadratic in the number of references).
  const order = new Map([...groups.keys()].map((ref, i) => [ref, i]));
  results.sort((a, b) => order.get(a.image)! - order.get(b.image)!);
  return { results, findings: verifyFindings(results, skipped), skipped, digests };
}
