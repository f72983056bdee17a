import { minimatch } from 'minimatch';
import type { DockerfileModel, FromInfo, Stage } from '../dockerfile/model.js';
import { imageName, type ImageRef } from '../image-ref.js';
import { defineRule } from './types.js';
import { catalogEntryFor, NON_ROOT_IMAGE_CATALOG } from './util/non-root-images.js';
import { fromForPlatform, fromUsesPlatform, targetPlatforms, type Platform } from './util/platforms.js';
import { effectiveUser, isRootUser, isWindowsAdmin, type EffectiveUser } from './util/users.js';

/**
 * Extra base images (beyond the catalog in util/non-root-images.ts) that run as non-root, as globs over
 * `registry/repository:tag`; `!` excludes, also catalog images. Empty by default: the catalog is built in.
 */
export const DEFAULT_NON_ROOT_IMAGES: string[] = [];

// The model flags every mcr.microsoft.com/powershell image as Windows; these tags are Linux.
const LINUX_IMAGE_RE = /(?:alpine|debian|ubuntu|bookworm|bullseye|buster|trixie|jammy|noble|focal|mariner|azurelinux|cbl-mariner|ubi\d*)/i;

interface Options {
  'non-root-images': string[];
}

/** `registry/repository:tag` (tag defaults to latest); digest-only references keep `@digest`. */
export function referenceForGlob(ref: ImageRef): string {
  if (!ref.tag && ref.digest) return `${imageName(ref)}@${ref.digest}`;
  return `${imageName(ref)}:${ref.tag ?? 'latest'}`;
}

/** True when the image runs as non-root: listed in the catalog or in `globs`, and not excluded by a `!` glob. */
export function isNonRootImage(ref: ImageRef, globs: readonly string[] = DEFAULT_NON_ROOT_IMAGES): boolean {
  const name = referenceForGlob(ref);
  let hit = false;
  for (const g of globs) {
    if (g.startsWith('!')) {
      if (minimatch(name, g.slice(1), { dot: true })) return false;
    } else if (!hit && minimatch(name, g, { dot: true })) hit = true;
  }
  return hit || catalogEntryFor(ref) !== undefined;
}

function stageLabel(stage: Stage, last: boolean): string {
  if (stage.name) return `stage "${stage.name}"`;
  return last ? 'the final stage' : `stage #${stage.index}`;
}

/** Instructions that put files (and metadata) in an image but make nothing run. */
const EXPORT_ONLY_KEYWORDS = new Set(['COPY', 'ADD', 'ARG', 'LABEL']);

/**
 * A stage that only collects files on scratch (no CMD/ENTRYPOINT, no USER/ENV/WORKDIR…, nothing but
 * COPY/ADD, along its ancestry down to `FROM scratch`) is an artifact for `docker build --output`: it has
 * nothing to run, so it does not "run as root".
 */
function isExportOnly(model: DockerfileModel, stage: Stage, baseOf: (s: Stage) => FromInfo): boolean {
  let s: Stage = stage;
  for (let hops = 0; hops <= model.stages.length; hops++) {
    if (s.instructions.some((i) => !EXPORT_ONLY_KEYWORDS.has(i.keyword))) return false;
    const from = baseOf(s);
    if (from.scratch) return true;
    if (from.stageRef === undefined || from.stageRef >= s.index) return false;
    s = model.stages[from.stageRef];
  }
  return false;
}

/** True when the stage's ancestry reads a FROM that depends on the platform. */
function dependsOnPlatform(model: DockerfileModel, stage: Stage): boolean {
  let s: Stage = stage;
  for (let hops = 0; hops <= model.stages.length; hops++) {
    if (fromUsesPlatform(s.from)) return true;
    const ref = s.from.stageRef;
    if (ref === undefined || ref >= s.index) return false;
    s = model.stages[ref];
  }
  return false;
}

interface Judgement {
  line: number;
  column: number;
  message: string;
}

function judge(stage: Stage, label: string, eff: EffectiveUser, globs: readonly string[]): Judgement | undefined {
  if (eff.kind === 'unknown') return undefined;
  if (eff.kind === 'user') {
    if (!isRootUser(eff.value)) return undefined;
    const admin = isWindowsAdmin(eff.value);
    const shown = eff.viaVariable ? `USER ${eff.written} (resolves to ${eff.value})` : `USER ${eff.written}`;
    const where =
      eff.stage === stage
        ? `makes ${label} run as ${admin ? 'an administrator' : 'root'}`
        : `is inherited by ${label}, which ships and so runs as ${admin ? 'an administrator' : 'root'}`;
    const instead = admin
      ? `end ${label} with USER ContainerUser`
      : `end ${label} with a non-root USER (e.g. USER 10001:10001, or a user created with useradd)`;
    return { line: eff.instr.line, column: eff.instr.column, message: `${shown} ${where}: ${instead}` };
  }
  const base = eff.base;
  if (base.image && isNonRootImage(base.image, globs)) return undefined;
  // A base whose name has no value (supplied by the build, or broken) has an unknown user: no guess.
  if (!base.scratch && base.unresolved.length > 0) return undefined;
  const line = stage.instruction.line;
  const column = stage.instruction.column;
  if (base.scratch) {
    return {
      line,
      column,
      message: `${label} has no USER and is built FROM scratch, so it runs as uid 0: add a numeric non-root USER (e.g. USER 65532:65532; scratch has no /etc/passwd)`
    };
  }
  if (eff.baseStage.windows && !LINUX_IMAGE_RE.test(base.resolved)) {
    return { line, column, message: `${label} has no USER, so it runs as ContainerAdministrator (the default of ${base.resolved}): add USER ContainerUser` };
  }
  const img = base.resolved;
  return {
    line,
    column,
    message: `${label} has no USER, so it runs as the default user of ${img} (root for most images): add a non-root USER (e.g. USER 10001:10001, or a user created with useradd), or list the base in the non-root-images option if it already runs as non-root`
  };
}

export default defineRule<Options>({
  meta: {
    id: 'root-user',
    aliases: ['DL3002', 'DS-0002', 'CKV_DOCKER_3', 'CKV_DOCKER_8'],
    severity: 'warning',
    title: 'The shipped image runs as root',
    description: [
      'A container that runs as root turns any code-execution bug into root inside the container, and one kernel or runtime escape away from root on the host. Run the shipped image as an unprivileged user.',
      '',
      'The rule looks at every stage that ships (the final stage, or the configured `targets`) and reports when:',
      '',
      '- its effective last `USER` is `root` or uid `0` (with or without a group: `root:wheel`, `0:0`), also when the name comes from an `ARG` or `ENV` (`USER $RUN_AS`, `--build-arg` values included);',
      '- on Windows, its last `USER` is `ContainerAdministrator` (or `NT AUTHORITY\\SYSTEM`);',
      "- there is no `USER` at all in the stage and its ancestry (`FROM <earlier stage>` inherits that stage's `USER`), so it runs as the base image's default user, which is root for almost every image. Base images that already run as non-root are known from a catalog (below), and more can be listed in `non-root-images`. `FROM scratch` without `USER` runs as uid 0 and is reported too; Windows images other than Nano Server run as `ContainerAdministrator` by default and are reported too.",
      '',
      'Switching to root for a few steps and back (`USER root` … `USER app`) is fine: only the last `USER` counts. Build stages that do not ship are not checked. A `USER` whose variable has no value (`ARG APP_USER` without default or build arg) is not reported, nor is a stage whose base image has no value (`FROM ${BASE}` with `ARG BASE` supplied by the build; `unpinned-base-image` notes it): the rule does not guess.',
      '',
      'A stage that only collects files on `scratch` — nothing but `COPY`/`ADD` (and `ARG`/`LABEL`) down to `FROM scratch`, no `CMD`, `ENTRYPOINT`, `USER`, `ENV` or `WORKDIR` — is an artifact for `docker build --output`: it has nothing to run and is not reported.',
      '',
      'A `FROM` that picks a stage by platform (`FROM binaries-$TARGETOS`, `FROM base-${TARGETARCH}`) is resolved the way BuildKit does, once per target platform: `linux/amd64` unless `lint.platforms` lists others. A finding that depends on it names the platforms it holds for, e.g. `(for linux/amd64)`.',
      '',
      'Findings point at the offending `USER` line (in the stage that sets it, which may be an ancestor stage), or at the `FROM` line of the shipped stage when no `USER` is set.',
      '',
      'Instead, create a user and switch to it at the end of the stage (`RUN useradd --system --uid 10001 app` then `USER app`, or just `USER 10001:10001`; on scratch, use a numeric uid as there is no `/etc/passwd`), or start from a non-root base such as `gcr.io/distroless/static-debian12:nonroot`. On Windows, end with `USER ContainerUser`.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node", "server.js"]',
    good: 'FROM node:22-alpine\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD ["node", "server.js"]',
    tags: ['security', 'cis:4.1'],
    subjects: ['dockerfile', 'image'],
    differences:
      'hadolint (DL3002) reports a `USER root` in any stage and says nothing when there is no `USER` at all; Trivy (DS-0002) and Checkov (CKV_DOCKER_3/8) report a missing `USER`. container-guard judges only the stages that ship, resolves `USER` and `FROM` through `ARG`/`ENV` and build args as BuildKit would, knows base images that already run as non-root, and skips export-only `scratch` stages: a builder stage running as root does not end up in the image. On a built image (`inspect`) it reads the config `User`, so a base image’s `USER` counts whatever the Dockerfile says.',
    optionsSchema: {
      type: 'object',
      properties: {
        'non-root-images': { type: 'array', items: { type: 'string' } }
      },
      additionalProperties: false
    },
    optionsDoc: [
      '- `non-root-images` (string[], default `[]`): more base images that already run as a non-root user, so a shipped stage built on them needs no `USER`. Minimatch globs matched against the normalized reference `registry/repository:tag` (`nginx` is `docker.io/library/nginx:latest`; a digest-only reference is `registry/repository@sha256:…`). They add to the built-in catalog below; a glob starting with `!` excludes matching images, catalog images included.',
      '',
      'The built-in catalog (each entry with where its user is set; a missing tag means `latest`):',
      '',
      '| images | tags | runs as | evidence |',
      '| --- | --- | --- | --- |',
      ...NON_ROOT_IMAGE_CATALOG.map((e) =>
        [
          e.images.map((g) => `\`${g}\``).join('<br>') + (e.notImages ? `<br>except ${e.notImages.map((g) => `\`${g}\``).join(', ')}` : ''),
          (e.tags ? `\`${e.tags.source}\`` : 'all') + (e.notTags ? ` except \`${e.notTags.source}\`` : ''),
          e.user,
          e.evidence
        ]
          .map((cell) => cell.replace(/\|/g, '\\|'))
          .join(' | ')
          .replace(/^/, '| ')
          .replace(/$/, ' |')
      )
    ].join('\n')
  },
  defaultOptions: { 'non-root-images': DEFAULT_NON_ROOT_IMAGES },
  check({ model, options, report, platforms }) {
    const globs = Array.isArray(options['non-root-images']) ? options['non-root-images'] : DEFAULT_NON_ROOT_IMAGES;
    const targets = targetPlatforms(platforms);
    const reported = new Set<number>();
    const lastIndex = model.stages.length - 1;
    for (const stage of model.stages) {
      if (!model.isShipped(stage)) continue;
      const label = stageLabel(stage, stage.index === lastIndex);
      const perPlatform = dependsOnPlatform(model, stage);
      // One judgement per platform; identical ones are one finding naming every platform they hold for.
      const found = new Map<string, { j: Judgement; platforms: Platform[] }>();
      for (const platform of perPlatform ? targets : targets.slice(0, 1)) {
        const baseOf = perPlatform ? (s: Stage) => fromForPlatform(model, s, platform) : (s: Stage) => s.from;
        if (isExportOnly(model, stage, baseOf)) continue;
        const j = judge(stage, label, effectiveUser(model, stage, baseOf), globs);
        if (!j) continue;
        const key = `${j.line}\u0000${j.message}`;
        const have = found.get(key);
        if (have) have.platforms.push(platform);
        else found.set(key, { j, platforms: [platform] });
      }
      for (const { j, platforms: on } of found.values()) {
        if (reported.has(j.line)) continue;
        reported.add(j.line);
        const message = perPlatform ? `${j.message} (for ${on.map((p) => p.text).join(', ')})` : j.message;
        report({ line: j.line, column: j.column, message });
      }
    }
  },
  // On a built image the question is answered by its config: `User` as the runtime reads it.
  checkImage({ image, report }) {
    const user = image.user.trim();
    const windows = image.platform.startsWith('windows/');
    if (user === '') {
      report({
        message: windows
          ? 'the image config sets no User, so it runs as ContainerAdministrator: end the build with USER ContainerUser'
          : 'the image config sets no User, so it runs as root (uid 0): add a non-root USER (e.g. USER 10001:10001) at the end of the build'
      });
    } else if (isRootUser(user) || isWindowsAdmin(user)) {
      report({
        message: `the image config's User is "${user}", which is ${isWindowsAdmin(user) ? 'the Windows administrator' : 'root'}: end the build with a non-root USER`
      });
    }
  }
});
