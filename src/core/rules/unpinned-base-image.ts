import type { Fix, Severity } from '../finding.js';
import { globalArgDefaults, substituteWith } from './util/from-args.js';
import { applyPins, pinKey, pinPlan } from './util/pins.js';
import { PLATFORM_ARGS, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/model.js';
import { substitute } from '../dockerfile/words.js';
import { minimatch } from 'minimatch';
import { DOCKER_HUB, parseImageRef, type ImageRef } from '../image-ref.js';
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
  'allow-floating-tags': string[];
}

/**
 * Tag words that name a moving channel rather than a version: `node:lts`, `debian:stable`, `alpine:edge`,
 * `nginx:mainline-alpine`. They float like `latest` even next to a pinned variant (`lts-alpine3.20`).
 */
const CHANNEL_WORDS = new Set([
  'latest',
  'current',
  'lts',
  'stable',
  'oldstable',
  'edge',
  'mainline',
  'rolling',
  'nightly',
  'unstable',
  'testing',
  'sid',
  'rawhide',
  'tumbleweed',
  'devel',
  'insiders',
  'canary',
  'next'
]);

/**
 * Distribution codenames: a release of the distribution (`debian:bookworm` is Debian 12, `ubuntu:noble` is
 * 24.04, the same manifest as `ubuntu:24.04`). `sid` is not one: it is Debian's unstable channel.
 */
const DISTRO_CODENAMES = new Set([
  // Debian
  'jessie',
  'stretch',
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  // Ubuntu
  'trusty',
  'xenial',
  'bionic',
  'cosmic',
  'disco',
  'eoan',
  'focal',
  'groovy',
  'hirsute',
  'impish',
  'jammy',
  'kinetic',
  'lunar',
  'mantic',
  'noble',
  'oracular',
  'plucky',
  'questing',
  'resolute'
]);
/**
 * Language runtimes and build tools whose tags name their own version: on them a codename only picks the
 * OS underneath (`golang:bookworm`, `rust:buster`) and the runtime still floats. On any other image
 * (`debian`, `buildpack-deps`, `amd64/ubuntu`, `mcr.microsoft.com/devcontainers/base`) the codename is the version.
 */
const RUNTIME_IMAGES = new Set([
  'golang',
  'node',
  'python',
  'pypy',
  'ruby',
  'php',
  'rust',
  'perl',
  'openjdk',
  'eclipse-temurin',
  'amazoncorretto',
  'ibmjava',
  'sapmachine',
  'maven',
  'gradle',
  'elixir',
  'erlang',
  'haskell',
  'julia',
  'gcc',
  'clojure',
  'groovy',
  'swift',
  'dart',
  'mono',
  'r-base',
  'composer',
  'kotlin',
  'scala',
  'sbt',
  'dotnet'
]);

/** Repositories that publish no version tags at all (only `latest`, `nonroot`, `debug`…): a digest is the only pin. */
const DIGEST_ONLY_REPOS = ['gcr.io/distroless/**', 'cgr.dev/chainguard/**'];

/** An image ID (`FROM <64 hex>`) names one immutable image, as a digest does. */
const IMAGE_ID_RE = /^(?:sha256:)?[a-f0-9]{64}$/;

/**
 * Why a tag floats, or undefined when it carries a version. A tag floats when it has a channel word
 * (`lts`, `stable-slim`) or no version at all (`alpine`, `slim`, `fpm-alpine`, `nonroot`, `dev`); a date
 * stamp (`stable-20240110`) or a distribution codename (except on a language runtime image) pins it.
 */
export function floatingTagReason(ref: ImageRef): string | undefined {
  const tag = ref.tag;
  if (tag === undefined || tag === 'latest') return undefined; // reported on their own
  const words = tag
    .toLowerCase()
    .split(/[-_.]+/)
    .filter(Boolean);
  if (words.some((w) => /^(?:19|20)\d{6}$/.test(w))) return undefined; // a dated snapshot
  const channel = words.find((w) => CHANNEL_WORDS.has(w));
  if (channel) return `"${channel}" names a moving channel, not a version`;
  if (/\d/.test(tag)) return undefined;
  const image = ref.repository.split('/').pop() ?? '';
  if (!RUNTIME_IMAGES.has(image) && words.some((w) => DISTRO_CODENAMES.has(w))) return undefined;
  return 'it carries no version';
}

function allowedFloating(ref: ImageRef, allow: readonly string[]): boolean {
  if (allow.length === 0 || ref.tag === undefined) return false;
  const tag = ref.tag;
  const withTag = imageNames(ref).map((n) => `${n}:${tag}`);
  return allow.some((raw) => {
    const g = raw.trim();
    if (!g) return false;
    if (!g.includes(':') && !g.includes('/')) return minimatch(tag, g, { nocase: true });
    return globMatches(withTag, [g]) !== undefined;
  });
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

/** A global `ARG` without default (and no build arg): its value comes from the build system. */
function isBuildSupplied(model: DockerfileModel, name: string): boolean {
  return model.globalArgs.some((a) => a.pairs.some((p) => p.key === name));
}

/** The FROM text expanded with the global ARG defaults only (no build args): what BuildKit's checks judge. */
function fromDefaults(model: DockerfileModel, text: string): string {
  const defaults = globalArgDefaults(model);
  return substituteWith(text, (n) => defaults.get(n) ?? '', model.escape);
}

function judge(report: (m: string) => void, ref: ImageRef, subject: string, via: string, digestGlobs: string[], allow: readonly string[]): void {
  if (ref.digest) return;
  if (ref.registry === DOCKER_HUB && ref.tag === undefined && IMAGE_ID_RE.test(ref.repository.replace(/^library\//, ''))) return;
  const repo = repoText(ref);
  if (ref.tag === undefined) {
    report(`${subject} ${repo}${via} has no tag and floats to :latest; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  if (ref.tag === 'latest') {
    report(`${subject} ${ref.raw.trim()}${via} uses the floating :latest tag; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  const floating = floatingTagReason(ref);
  if (floating && !allowedFloating(ref, allow)) {
    const tag = ref.tag ?? '';
    const name = `${ref.registry}/${ref.repository}`;
    let advice: string;
    if (DIGEST_ONLY_REPOS.some((g) => minimatch(name, g))) advice = `it publishes no version tags, so pin it by digest: ${ref.raw.trim()}@sha256:<digest>`;
    else {
      const channel = tag.split(/[-_.]+/).find((w) => CHANNEL_WORDS.has(w.toLowerCase()));
      const example = channel ? tag.replace(channel, '<version>') : `<version>-${tag}`;
      advice = `pin a version, e.g. ${repo}:${example} (or add @sha256:<digest>)`;
    }
    report(`${subject} ${ref.raw.trim()}${via} uses the tag :${tag}, which floats like :latest (${floating}); ${advice}`);
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

function checkFrom(
  model: DockerfileModel,
  stage: Stage,
  digestGlobs: string[],
  allow: readonly string[],
  report: (pos: Position, m: string, fix?: Fix, severity?: Severity) => void,
  fix?: Fix
): void {
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
    if (names.every((n) => isBuildSupplied(model, n))) {
      // Not a mistake: the image is chosen by whoever builds (a CI matrix, compose, a build script). One note, no invented default.
      const list = names.join(', ');
      report(
        pos,
        `FROM ${from.text}: the base image is supplied by the build system (${list} ${names.length > 1 ? 'have' : 'has'} no default), so it cannot be checked here; set ${names.map((n) => `${n}`).join(' and ')} in lint.build-args (or --build-arg ${names[0]}=<image>:<version>) to have it checked`,
        undefined,
        'note'
      );
      return;
    }
    // A variable FROM cannot see (undeclared, declared only in a stage, or a default built from one) is a broken
    // build, reported once by undefined-arg-in-from / invalid-default-arg-in-from (BuildKit's own checks):
    // one finding per line, and nothing to say about pinning an image that cannot be named.
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
  // An empty or invalid image that comes from the ARG defaults is invalid-default-arg-in-from's finding.
  if (!ref && from.text !== from.resolved && fromDefaults(model, from.text) === from.resolved) return;
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
  judge((m) => report(pos, m, fix), ref, 'Base image', via, digestGlobs, allow);
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
      "Tags that carry no version float just like `latest`: channel words (`lts`, `current`, `stable`, `edge`, `mainline`, `rolling`, `nightly`, `testing`, `sid`, `rawhide`… also next to a variant, as in `lts-alpine3.20` or `mainline-alpine`) and variant-only tags (`alpine`, `slim`, `fpm-alpine`, `nonroot`, `debug`, `dev`, `bookworm` on a language runtime image such as `golang:bookworm`, where it only picks the OS and Go floats). A distribution codename anywhere else (`debian:bookworm-slim`, `ubuntu:noble`, `buildpack-deps:noble-curl`, `mcr.microsoft.com/devcontainers/base:bullseye`) is a release, the same manifest as its number, and a date stamp (`debian:stable-20240110`) pins a snapshot; neither is reported. Images that publish no version tags at all (`gcr.io/distroless/*`, Chainguard's free tier) are told to pin by digest. `FROM <64-hex image ID>` names one immutable image and passes.",
      '',
      "The rule checks `FROM`, `COPY --from=<image>` and `RUN --mount=…,from=<image>`. Stage names, stage indexes and `scratch` are exempt. ARG defaults and configured build-args are resolved before judging. A `FROM ${BASE}` whose global `ARG BASE` has no default is supplied by the build system (a CI matrix, compose, a build script): that is one **note** saying so, pointing at `lint.build-args` / `--build-arg` to have the image checked, never an invented default. A variable that FROM cannot see at all (not declared, or declared only inside a stage), and an empty or invalid image from the ARG defaults, are broken builds that `undefined-arg-in-from` and `invalid-default-arg-in-from` (BuildKit's checks) report; this rule adds no second finding on that line. Template placeholders (`{{ }}`, `%%X%%`, `${templateOption:x}`) are not judged. A `--from` value that is a bare word naming no stage is left to `copy-from-unknown-stage`, which reports it as a probable typo.",
      '',
      'With the `require-digest` option, matching images must also carry a digest.'
    ].join('\n'),
    bad: 'FROM node\nFROM nginx:latest\nCOPY --from=busybox:latest /bin/busybox /bin/',
    good: 'FROM node:22.11-alpine\nFROM nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY --from=busybox:1.37 /bin/busybox /bin/',
    tags: ['security', 'supply-chain', 'cis:4.2'],
    subjects: ['dockerfile', 'image'],
    differences:
      'hadolint (DL3006, DL3007) judges the image text as written; container-guard resolves `ARG` defaults and configured build args first (as BuildKit does), reports an unresolvable base once as a note instead of guessing, treats version-less tags (`lts`, `alpine`, `slim` …) like `latest`, and also judges `COPY --from=<image>` and `RUN --mount=from=<image>`.',
    optionsSchema: {
      type: 'object',
      properties: {
        'require-digest': { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        'allow-floating-tags': { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }
      }
    },
    optionsDoc: [
      '- `allow-floating-tags` (array of globs, default `[]`): floating tags you accept. A glob without `:` or `/` matches the tag alone (`nonroot`, `lts*`); otherwise it matches `registry/repository:tag` (Docker Hub images also by their short name), e.g. `gcr.io/distroless/*:nonroot`, `node:lts`. `latest` and a missing tag are always reported.',
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
  defaultOptions: { 'require-digest': [], 'allow-floating-tags': [] },
  check({ model, options, report, external }) {
    const digestGlobs = Array.isArray(options['require-digest']) ? options['require-digest'] : [];
    const allow = Array.isArray(options['allow-floating-tags']) ? options['allow-floating-tags'] : [];
    const at = (pos: Position, message: string, fix?: Fix, severity?: Severity) =>
      report({ line: pos.line, column: pos.column, message, ...(fix ? { fix } : {}), ...(severity ? { severity } : {}) });
    const fixes = pinFixes(model, external.digests);
    for (const stage of model.stages) checkFrom(model, stage, digestGlobs, allow, at, fixes.get(stage.instruction.line));

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
      judge((m) => at(src.position, m, fix), target.ref, subject, via, digestGlobs, allow);
    }
  },
  // On a built image: the base it names in its manifest annotations (`docker buildx` and most builders
  // write org.opencontainers.image.base.name/.digest). An image that names no base is not judged.
  checkImage({ image, options, report }) {
    const name = image.annotations['org.opencontainers.image.base.name'];
    if (!name) return;
    const ref = parseImageRef(name);
    if (!ref) {
      report({ message: `the image's base.name annotation "${name.slice(0, 200)}" is not an image reference` });
      return;
    }
    const digest = image.annotations['org.opencontainers.image.base.digest'];
    // A base.digest records exactly what was pulled: the build was pinned even when the name carries a tag.
    const pinned = digest && /^sha256:[a-f0-9]{64}$/.test(digest) ? { ...ref, digest } : ref;
    const digestGlobs = Array.isArray(options['require-digest']) ? options['require-digest'] : [];
    const allow = Array.isArray(options['allow-floating-tags']) ? options['allow-floating-tags'] : [];
    judge((m) => report({ message: `${m} (from the image's org.opencontainers.image.base.name annotation)` }), pinned, 'Base image', '', digestGlobs, allow);
  }
});
