import type { Fix } from '../finding.js';
import { applyPins, pinKey, pinPlan } from '../pin.js';
import { PLATFORM_ARGS, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/model.js';
import { substitute } from '../dockerfile/words.js';
import { parseImageRef, type ImageRef } from '../image-ref.js';
import { defineRule } from './types.js';
import {
  classifyFrom,
  describeSource,
  fromSources,
  globMatches,
  imageNames,
  isTemplated,
  repoText,
  sourceSubject,
  variableNames,
  wordPosition,
  type Position
} from './util/stages.js';

interface Options {
  'require-digest': string[];
}

/** Representative values for BuildKit's automatic platform ARGs, enough to judge the tag. */
const PLATFORM_SAMPLE: Record<string, string> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: ''
};

/** Why `name` has no value in FROM, and what to write instead. */
function unresolvedReason(model: DockerfileModel, name: string, fromText: string): string {
  const whole = new RegExp(`^\\$\\{?${name}\\}?$`).test(fromText);
  const example = `ARG ${name}=${whole ? '<image>:<version>' : '<value>'}`;
  const global = model.globalArgs.some((a) => a.pairs.some((p) => p.key === name));
  if (global) return `cannot resolve ${name} (no default and no build-arg); give the ARG a default, e.g. ${example}, or pass it with build-args`;
  const inStage = model.instructions.some((i) => i.stage >= 0 && i.keyword === 'ARG' && i.pairs.some((p) => p.key === name));
  if (inStage) return `cannot resolve ${name}: FROM only sees ARGs declared before the first FROM; move ${example} above the first FROM`;
  return `cannot resolve ${name} (it is not declared); add ${example} before the first FROM`;
}

function judge(report: (m: string) => void, ref: ImageRef, subject: string, via: string, digestGlobs: string[]): void {
  if (ref.digest) return;
  const repo = repoText(ref);
  if (ref.tag === undefined) {
    report(`${subject} ${repo}${via} has no tag and floats to :latest; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  if (ref.tag === 'latest') {
    report(`${subject} ${ref.raw.trim()}${via} uses the floating :latest tag; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  const glob = digestGlobs.length > 0 ? globMatches(imageNames(ref), digestGlobs) : undefined;
  if (glob !== undefined) {
    report(
      `${subject} ${ref.raw.trim()}${via} is not pinned by digest, which require-digest ("${glob}") demands for ${ref.registry}/${ref.repository}; add the digest, e.g. ${ref.raw.trim()}@sha256:<digest>`
    );
  }
}

/**
 * The pinned form of the line(s) pulling an image, when its current digest is known: `nginx:1.27` →
 * `nginx:1.27@sha256:…` (the tag stays for readers). The fix is at the ARG default when FROM uses one.
 */
function pinFixes(model: DockerfileModel, digests: ReadonlyMap<string, string> | undefined): Map<number, Fix> {
  const out = new Map<number, Fix>();
  if (!digests || digests.size === 0) return out;
  for (const target of pinPlan(model).targets) {
    const digest = digests.get(pinKey(target));
    if (!digest) continue;
    const line = model.lines[target.line - 1] ?? '';
    let replacement: string;
    try {
      replacement = applyPins(line, [{ target: { ...target, line: 1 }, digest }]);
    } catch {
      continue; // a malformed digest from the registry: no suggestion rather than a wrong one
    }
    const fix: Fix = { line: target.line, endLine: target.line, replacement, description: `pin ${target.raw} to ${digest}` };
    for (const used of target.usedAt) if (!out.has(used)) out.set(used, fix);
  }
  return out;
}

function checkFrom(model: DockerfileModel, stage: Stage, digestGlobs: string[], report: (pos: Position, m: string, fix?: Fix) => void, fix?: Fix): void {
  const from = stage.from;
  if (from.stageRef !== undefined || from.scratch) return;
  const instr: Instruction = stage.instruction;
  const pos = wordPosition(instr, 0);
  const say = (m: string) => report(pos, m);
  if (!from.text) {
    say('FROM has no image; write FROM <image>:<version> (or FROM scratch)');
    return;
  }
  if (isTemplated(from.text)) return;
  let resolved = from.resolved;
  let unresolved = from.unresolved;
  // An ARG default that itself used an undeclared variable leaves `$X` in the text.
  if (unresolved.length === 0 && from.invalid && resolved.includes('$')) unresolved = variableNames(resolved);
  const real = unresolved.filter((v) => !PLATFORM_ARGS.has(v));
  if (real.length > 0) {
    const names = [...new Set(real)];
    say(`FROM ${from.text}: ${names.map((n) => unresolvedReason(model, n, from.text)).join('; ')}`);
    return;
  }
  let ref = from.image;
  if (unresolved.length > 0) {
    // Only BuildKit's platform ARGs are left: judge the reference with a sample platform.
    resolved = substitute(resolved, (n) => PLATFORM_SAMPLE[n], model.escape).value;
    ref = parseImageRef(resolved);
    if (!ref) return; // Depends on the platform in a way we cannot judge; never guess.
    ref = { ...ref, raw: from.resolved };
  }
  const via = from.text !== from.resolved && unresolved.length === 0 ? ` (from ${from.text})` : '';
  if (!ref && resolved.trim() === '') {
    const v = variableNames(from.text)[0] ?? 'BASE';
    say(`FROM ${from.text} resolves to an empty image name; give ${v} a value, e.g. ARG ${v}=<image>:<version>, or pass a non-empty build-arg`);
    return;
  }
  if (!ref) {
    say(
      `FROM ${from.text}${via ? ` resolves to "${resolved}", which` : ''} is not a valid image reference; write [registry/]repository[:tag][@sha256:<digest>] in lower case, e.g. nginx:1.27`
    );
    return;
  }
  judge((m) => report(pos, m, fix), ref, 'Base image', via, digestGlobs);
}

export default defineRule<Options>({
  meta: {
    id: 'unpinned-base-image',
    aliases: ['DL3006', 'DL3007', 'DS-0001', 'CKV_DOCKER_7'],
    severity: 'warning',
    title: 'Pin base images to a version (or digest)',
    description: [
      'An image without a tag (`FROM nginx`) means `:latest`, and `:latest` is whatever was pushed last: builds stop being reproducible, a rebuild can silently pull a new major version, and a compromised or broken upstream push lands in your image without review.',
      '',
      'Pin every external image to an explicit version tag (`nginx:1.27`), or better to a digest (`nginx:1.27@sha256:…`), which cannot move at all; let a bot such as Renovate or Dependabot propose updates. An image pinned by digest passes even without a tag.',
      '',
      'The rule checks `FROM`, `COPY --from=<image>` and `RUN --mount=…,from=<image>`. Stage names, stage indexes and `scratch` are exempt. ARG defaults and configured build-args are resolved before judging; a `FROM ${BASE}` whose variable has no value is reported with what to declare instead of being guessed. A `--from` value that is a bare word naming no stage is left to `copy-from-unknown-stage`, which reports it as a probable typo.',
      '',
      'With the `require-digest` option, matching images must also carry a digest.'
    ].join('\n'),
    bad: 'FROM node\nFROM nginx:latest\nCOPY --from=busybox:latest /bin/busybox /bin/',
    good: 'FROM node:22.11-alpine\nFROM nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY --from=busybox:1.37 /bin/busybox /bin/',
    tags: ['security', 'supply-chain', 'cis:4.2'],
    optionsSchema: {
      type: 'object',
      properties: {
        'require-digest': { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }
      }
    },
    optionsDoc: [
      '- `require-digest` (array of globs, default `[]`): images whose name matches must be pinned by `@sha256:` digest, not just a tag.',
      '  Globs (minimatch) are matched against the normalized name `registry/repository` without tag, e.g. `docker.io/library/nginx`, `ghcr.io/acme/api`; Docker Hub images also match their short name (`nginx`, `acme/tool`). Use `**` for every image, `ghcr.io/acme/**` for one organisation.',
      '',
      '```yaml',
      'rules:',
      '  unpinned-base-image:',
      '    options:',
      '      require-digest: ["ghcr.io/acme/**", "docker.io/library/*"]',
      '```'
    ].join('\n')
  },
  defaultOptions: { 'require-digest': [] },
  check({ model, options, report, external }) {
    const digestGlobs = Array.isArray(options['require-digest']) ? options['require-digest'] : [];
    const at = (pos: Position, message: string, fix?: Fix) => report({ line: pos.line, column: pos.column, message, ...(fix ? { fix } : {}) });
    const fixes = pinFixes(model, external.digests);
    for (const stage of model.stages) checkFrom(model, stage, digestGlobs, at, fixes.get(stage.instruction.line));

    for (const src of fromSources(model)) {
      if (src.hasVariables && src.what === 'COPY --from') continue; // copy-from-unknown-stage: not expanded by BuildKit
      if (src.unresolved.length > 0) continue;
      const value = src.resolved;
      if (isTemplated(value)) continue;
      const target = classifyFrom(model, value);
      if (target.kind !== 'image') continue;
      // A bare word naming no stage is most likely a mistyped stage: copy-from-unknown-stage reports it.
      if (!target.looksLikeImage) continue;
      const subject = sourceSubject(src);
      const via = value !== src.value ? ` (from ${src.value})` : '';
      const say = (m: string) => at(src.position, m);
      if (!target.ref) {
        say(
          `${describeSource(src)}${via ? ` resolves to "${value}", which` : ''} is neither a stage of this file nor a valid image reference; name an earlier stage or write an image as [registry/]repository:<version>`
        );
        continue;
      }
      const fix = fixes.get(src.instr.line);
      judge((m) => at(src.position, m, fix), target.ref, subject, via, digestGlobs);
    }
  }
});
