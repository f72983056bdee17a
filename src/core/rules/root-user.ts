import { minimatch } from 'minimatch';
import type { Stage } from '../dockerfile/model.js';
import { imageName, type ImageRef } from '../image-ref.js';
import { defineRule } from './types.js';
import { effectiveUser, isRootUser, isWindowsAdmin } from './util/users.js';

/** Base images known to run as a non-root user when no USER is set. `!` excludes. */
export const DEFAULT_NON_ROOT_IMAGES = [
  // Distroless `nonroot` variants run as uid 65532: :nonroot, :debug-nonroot, :nonroot-amd64 ...
  'gcr.io/distroless/**/*:*nonroot*',
  // Chainguard images run as nonroot (65532), except the -dev variants and wolfi-base.
  'cgr.dev/chainguard/**',
  '!cgr.dev/chainguard/**/*:*-dev',
  '!cgr.dev/chainguard/wolfi-base:*',
  // .NET chiseled images run as the `app` user (uid 1654).
  'mcr.microsoft.com/dotnet/**/*:*-chiseled*',
  // Nano Server runs as ContainerUser by default (Server Core runs as ContainerAdministrator).
  'mcr.microsoft.com/windows/nanoserver:*',
  'mcr.microsoft.com/dotnet/**/*:*nanoserver*',
  // nginx built to run as uid 101.
  'docker.io/nginxinc/nginx-unprivileged:*'
];

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

export function isNonRootImage(ref: ImageRef, globs: readonly string[]): boolean {
  const name = referenceForGlob(ref);
  let hit = false;
  for (const g of globs) {
    if (g.startsWith('!')) {
      if (minimatch(name, g.slice(1), { dot: true })) return false;
    } else if (!hit && minimatch(name, g, { dot: true })) hit = true;
  }
  return hit;
}

function stageLabel(stage: Stage, last: boolean): string {
  if (stage.name) return `stage "${stage.name}"`;
  return last ? 'the final stage' : `stage #${stage.index}`;
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
      "- there is no `USER` at all in the stage and its ancestry (`FROM <earlier stage>` inherits that stage's `USER`), so it runs as the base image's default user, which is root for almost every image. Base images that already run as non-root are listed in `non-root-images`. `FROM scratch` without `USER` runs as uid 0 and is reported too; Windows images other than Nano Server run as `ContainerAdministrator` by default and are reported too.",
      '',
      'Switching to root for a few steps and back (`USER root` … `USER app`) is fine: only the last `USER` counts. Build stages that do not ship are not checked. A `USER` whose variable has no value (`ARG APP_USER` without default or build arg) is not reported: the rule does not guess.',
      '',
      'Findings point at the offending `USER` line (in the stage that sets it, which may be an ancestor stage), or at the `FROM` line of the shipped stage when no `USER` is set.',
      '',
      'Instead, create a user and switch to it at the end of the stage (`RUN useradd --system --uid 10001 app` then `USER app`, or just `USER 10001:10001`; on scratch, use a numeric uid as there is no `/etc/passwd`), or start from a non-root base such as `gcr.io/distroless/static-debian12:nonroot`. On Windows, end with `USER ContainerUser`.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node", "server.js"]',
    good: 'FROM node:22-alpine\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD ["node", "server.js"]',
    tags: ['security', 'cis:4.1'],
    optionsSchema: {
      type: 'object',
      properties: {
        'non-root-images': { type: 'array', items: { type: 'string' } }
      },
      additionalProperties: false
    },
    optionsDoc: [
      '- `non-root-images` (string[]): base images that already run as a non-root user, so a shipped stage built on them needs no `USER`. Minimatch globs matched against the normalized reference `registry/repository:tag` (`nginx` is `docker.io/library/nginx:latest`; a digest-only reference is `registry/repository@sha256:…`). A glob starting with `!` excludes matching images even when another glob includes them. Setting this option replaces the default list, which is:',
      '',
      ...DEFAULT_NON_ROOT_IMAGES.map((g) => `  - \`${g}\``),
      '',
      '  Distroless `nonroot` tags and Chainguard images run as uid 65532 (Chainguard `-dev` tags and `wolfi-base` run as root); .NET chiseled images run as `app`; Nano Server runs as `ContainerUser`; `nginxinc/nginx-unprivileged` runs as uid 101.'
    ].join('\n')
  },
  defaultOptions: { 'non-root-images': DEFAULT_NON_ROOT_IMAGES },
  check({ model, options, report }) {
    const globs = Array.isArray(options['non-root-images']) ? options['non-root-images'] : DEFAULT_NON_ROOT_IMAGES;
    const reported = new Set<number>();
    const lastIndex = model.stages.length - 1;
    for (const stage of model.stages) {
      if (!model.isShipped(stage)) continue;
      const label = stageLabel(stage, stage.index === lastIndex);
      const eff = effectiveUser(model, stage);
      if (eff.kind === 'unknown') continue;
      if (eff.kind === 'user') {
        if (!isRootUser(eff.value) || reported.has(eff.instr.line)) continue;
        reported.add(eff.instr.line);
        const admin = isWindowsAdmin(eff.value);
        const shown = eff.viaVariable ? `USER ${eff.written} (resolves to ${eff.value})` : `USER ${eff.written}`;
        const where =
          eff.stage === stage
            ? `makes ${label} run as ${admin ? 'an administrator' : 'root'}`
            : `is inherited by ${label}, which ships and so runs as ${admin ? 'an administrator' : 'root'}`;
        const instead = admin
          ? `end ${label} with USER ContainerUser`
          : `end ${label} with a non-root USER (e.g. USER 10001:10001, or a user created with useradd)`;
        report({ line: eff.instr.line, column: eff.instr.column, message: `${shown} ${where}: ${instead}` });
        continue;
      }
      const base = eff.base;
      if (base.image && isNonRootImage(base.image, globs)) continue;
      const line = stage.instruction.line;
      if (reported.has(line)) continue;
      reported.add(line);
      let message: string;
      if (base.scratch) {
        message = `${label} has no USER and is built FROM scratch, so it runs as uid 0: add a numeric non-root USER (e.g. USER 65532:65532; scratch has no /etc/passwd)`;
      } else if (eff.baseStage.windows && !LINUX_IMAGE_RE.test(base.resolved)) {
        message = `${label} has no USER, so it runs as ContainerAdministrator (the default of ${base.resolved}): add USER ContainerUser`;
      } else {
        const img = base.unresolved.length > 0 ? `${base.text}, which cannot be resolved` : base.resolved;
        message = `${label} has no USER, so it runs as the default user of ${img} (root for most images): add a non-root USER (e.g. USER 10001:10001, or a user created with useradd), or list the base in the non-root-images option if it already runs as non-root`;
      }
      report({ line, column: stage.instruction.column, message });
    }
  }
});
