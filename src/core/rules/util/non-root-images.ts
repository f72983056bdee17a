/**
 * The catalog of well-known base images whose default user is not root, so a shipped stage built on
 * them needs no `USER` of its own. Each entry carries the image's own evidence: the `USER` line its
 * Dockerfile ends with (or the build config that sets the user), where it was read, and the uid.
 *
 * Matching: `images` are minimatch globs (case-insensitive, braces allowed) over the normalized
 * `registry/repository` (Docker Hub short names match too: `bitnami/nginx`, `sonarqube`); `tags` is a
 * pattern over the tag (a missing tag is `latest`; a digest-only reference has no tag and only matches
 * entries without a tag pattern). `notTags` excludes variants of the same repository that run as root.
 *
 * Keep it conservative: an image belongs here only when every tag the patterns admit runs as non-root.
 * A wrong entry hides a real root image; a missing one costs one finding that `non-root-images` fixes.
 */
import { minimatch } from 'minimatch';
import type { ImageRef } from '../../image-ref.js';
import { imageNames } from './stages.js';

export interface NonRootImage {
  /** Globs over `registry/repository` (and Docker Hub short names). */
  images: string[];
  /** Tags that run as non-root (default: every tag). */
  tags?: RegExp;
  /** Tags that run as root although the repository matches. */
  notTags?: RegExp;
  /** Repositories that run as root although a glob of `images` matches them. */
  notImages?: string[];
  /** The user the image runs as. */
  user: string;
  /** Where that is written: the image's own Dockerfile or build config. */
  evidence: string;
}

const UBI_REGISTRIES = '{registry.access.redhat.com,registry.redhat.io,docker.io}';

export const NON_ROOT_IMAGE_CATALOG: readonly NonRootImage[] = [
  {
    images: ['gcr.io/distroless/**'],
    tags: /(?:^|-)nonroot(?:-|$)/,
    user: 'nonroot (uid 65532)',
    evidence:
      'GoogleContainerTools/distroless base/base.bzl: `NONROOT = 65532`, and the `*_nonroot` images (tags `nonroot`, `debug-nonroot`, `nonroot-<arch>`) are built with `user = "%d" % NONROOT`; the other tags run as root (commit 057f0057e7cf1da576c12701cf0cd8bbe378ea48)'
  },
  {
    images: ['cgr.dev/chainguard/**'],
    notImages: ['cgr.dev/chainguard/{wolfi-base,chainguard-base}'],
    notTags: /(?:^|-)dev(?:-|$)/,
    user: 'nonroot (uid 65532)',
    evidence:
      'chainguard-images/images images/python/configs/latest.apko.yaml: `run-as: 65532` (commit 0028166cdf32d2626bbff1d2c1436c68f91d6967); `-dev` variants differ per image (images/go/configs/latest-dev.apko.yaml: `run-as: 0`, commit e9c27f491bbd3185bf2ad2eb8eb5c0fde2320a33), so they are not listed, nor are wolfi-base and chainguard-base'
  },
  {
    images: ['mcr.microsoft.com/dotnet/{runtime-deps,runtime,aspnet}', 'mcr.microsoft.com/dotnet/nightly/{runtime-deps,runtime,aspnet}'],
    tags: /chiseled|distroless/,
    user: 'app (uid 1654)',
    evidence:
      'dotnet/dotnet-docker src/runtime-deps/10.0/noble-chiseled/*/Dockerfile and src/runtime-deps/10.0/azurelinux3.0-distroless/amd64/Dockerfile end with `USER $APP_UID` (`APP_UID=1654`); runtime and aspnet build on them (commit 3ed00b611cc88eaa5995525a0549a5703965cd02)'
  },
  {
    images: ['mcr.microsoft.com/dotnet/monitor', 'mcr.microsoft.com/dotnet/monitor/base', 'mcr.microsoft.com/dotnet/aspire-dashboard'],
    user: 'app (uid 1654)',
    evidence:
      'dotnet/dotnet-docker src/monitor-base/*/Dockerfile and src/aspire-dashboard/*/Dockerfile build `FROM $REPO:<version>-azurelinux3.0-distroless…` or `…-chiseled…` (aspnet), and src/monitor/* builds on monitor/base; none sets USER, so the distroless `USER $APP_UID` holds'
  },
  {
    images: ['mcr.microsoft.com/windows/nanoserver'],
    user: 'ContainerUser',
    evidence: 'Windows Nano Server images run as ContainerUser by default (Microsoft container docs); Server Core runs as ContainerAdministrator'
  },
  {
    images: ['mcr.microsoft.com/dotnet/**'],
    tags: /nanoserver/,
    user: 'ContainerUser',
    evidence: ".NET images on Nano Server (`*-nanoserver-*` tags) keep Nano Server's default user ContainerUser"
  },
  {
    images: ['{docker.io,ghcr.io}/nginxinc/nginx-unprivileged'],
    user: 'nginx (uid 101)',
    evidence:
      'nginxinc/docker-nginx-unprivileged mainline/alpine-slim/Dockerfile: `ARG UID=101` … `USER $UID` (commit 8ead5cede31b9dc5a976d1b44bb1987226b48677)'
  },
  {
    images: ['docker.io/{bitnami,bitnamilegacy}/{nginx,postgresql,redis,kubectl,mongodb,mysql,mariadb,kafka,rabbitmq}'],
    user: '1001',
    evidence:
      'bitnami/containers bitnami/{nginx,postgresql,redis,kubectl,mongodb,mysql,mariadb,kafka,rabbitmq}/<version>/debian-12/Dockerfile end with `USER 1001` (e.g. nginx/1.25 at 08cc60a9c8fd32666d9601c67b88f63a236c1429, postgresql/16 at 0191828691ccfad53afb58d918ce2dd3105e1f6b, kubectl/1.30 at 032deaece078d3474aee620ca60a8754b4be5175); not every Bitnami image does (bitnami/node/20 at 00469e92b2765bdd5abb0180bb3abbb45d6b4657 and bitnami/git/2 have no USER; minideb is a root base)'
  },
  {
    images: ['{quay.io,docker.io}/jupyter/{docker-stacks-foundation,*-notebook}'],
    user: 'jovyan (NB_UID 1000)',
    evidence:
      'jupyter/docker-stacks images/docker-stacks-foundation/Dockerfile: `ARG NB_UID="1000"` … `USER ${NB_UID}`, and every images/*-notebook/Dockerfile ends with `USER ${NB_UID}` (commit 8209386950497966c8a9aa446b9a84a5dd78eab5)'
  },
  {
    images: ['docker.io/jenkins/{jenkins,agent,inbound-agent}'],
    user: 'jenkins (uid 1000)',
    evidence:
      'jenkinsci/docker debian/Dockerfile and alpine/hotspot/Dockerfile: `ARG user=jenkins` … `USER ${user}` (commit ab3f5e0a80d666b1d554c2b7cad38b5c5ee35f1c); jenkinsci/docker-agent alpine/Dockerfile ends its agent and inbound-agent stages with `USER ${user}` (commit b066c0a962c0aa8ebf9f6a247423ddce3d5e188a)'
  },
  {
    images: [`${UBI_REGISTRIES}/{ubi8,ubi9,ubi10,rhel8,rhel9,rhel10}/{nodejs,python,ruby,nginx}-*`, 'quay.io/{sclorg,fedora}/{nodejs,python,ruby,nginx}-*'],
    user: '1001',
    evidence:
      'sclorg/s2i-nodejs-container, s2i-python-container, s2i-ruby-container and nginx-container: every <version>/Dockerfile.{rhel8,rhel9,rhel10,c9s,c10s,fedora} ends with `USER 1001` (commits cb79a8beb0e24b25aec7529cbc2e021254c80454, e007f85c98201ffc56ef7b90a302e304e66dc4c7, 7196a77f3b1db6757e749c144624bb0430614683, a36fc022a94d576375f7d5eec41f1e0f37df9122); the s2i-core and s2i-base parents are not listed'
  },
  {
    images: [`${UBI_REGISTRIES}/{rhel8,rhel9,rhel10}/postgresql-*`, 'quay.io/{sclorg,fedora}/postgresql-*'],
    user: 'postgres (uid 26)',
    evidence:
      'sclorg/postgresql-container <version>/Dockerfile.{rhel8,rhel9,rhel10,c9s,c10s,fedora} end with `USER 26` (commit 134bb39ab5c435087487c3422522bddf160f727d)'
  },
  {
    images: ['docker.io/grafana/{grafana,grafana-oss,grafana-enterprise}'],
    user: 'grafana (uid 472)',
    evidence: 'grafana/grafana Dockerfile, final stage: `ARG GF_UID="472"` … `USER "$GF_UID"`'
  },
  {
    images: ['docker.io/library/sonarqube'],
    user: 'sonarqube',
    evidence:
      'SonarSource/docker-sonarqube community-build/Dockerfile and commercial-editions/*/Dockerfile end with `USER sonarqube` (commit df5a6ae20bb7ce8e464d6895178e763c77a6a402)'
  },
  {
    images: ['docker.io/library/kong', 'docker.io/kong/kong-gateway'],
    user: 'kong',
    evidence: 'Kong/docker-kong ubuntu/Dockerfile, Dockerfile.deb and Dockerfile.rpm end with `USER kong` (commit d1ed165bfeb6304815bc537b3e8ff387fa0b350a)'
  },
  {
    images: ['{quay.io/prometheus,docker.io/prom}/prometheus'],
    user: 'nobody',
    evidence: 'prometheus/prometheus Dockerfile: `USER nobody` (commit d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86)'
  }
];

const globOpts = { nocase: true, dot: true };

/** The catalog entry an image matches, if any. */
export function catalogEntryFor(ref: ImageRef): NonRootImage | undefined {
  const names = imageNames(ref);
  const tag = ref.tag ?? (ref.digest ? undefined : 'latest');
  for (const entry of NON_ROOT_IMAGE_CATALOG) {
    if (!entry.images.some((g) => names.some((n) => minimatch(n, g, globOpts)))) continue;
    if (entry.tags && (tag === undefined || !entry.tags.test(tag))) continue;
    if (entry.notTags && tag !== undefined && entry.notTags.test(tag)) continue;
    if (entry.notImages?.some((g) => names.some((n) => minimatch(n, g, globOpts)))) continue;
    return entry;
  }
  return undefined;
}
