/**
 * BuildKit's automatic platform ARGs, per target platform, and the base a `FROM` picks for each: a
 * `FROM app-$TARGETOS` names a different stage on linux than on windows, the way BuildKit expands it
 * (the global ARGs first, then the platform's values; the first earlier stage with that name wins).
 */
import type { DockerfileModel, FromInfo, Stage } from '../../dockerfile/model.js';
import { PLATFORM_ARGS } from '../../dockerfile/model.js';
import { substitute } from '../../dockerfile/words.js';
import { parseImageRef } from '../../image-ref.js';

/** What BuildKit builds for when no `--platform` is given on a linux/amd64 runner. */
export const DEFAULT_PLATFORM = 'linux/amd64';

export interface Platform {
  /** As configured: `linux/arm64`, `linux/arm/v7`. */
  text: string;
  os: string;
  arch: string;
  variant: string;
}

const PLATFORM_RE = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/;

export function parsePlatform(text: string): Platform | undefined {
  const m = PLATFORM_RE.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  return { text: m[0], os: m[1], arch: m[2], variant: m[3] ?? '' };
}

/** The configured platforms, parsed; the default platform when none (or none valid) is configured. */
export function targetPlatforms(configured: readonly string[] | undefined): Platform[] {
  const out: Platform[] = [];
  for (const t of configured ?? []) {
    const p = parsePlatform(t);
    if (p && !out.some((o) => o.text === p.text)) out.push(p);
  }
  return out.length > 0 ? out : [parsePlatform(DEFAULT_PLATFORM)!];
}

/** Values of the automatic platform ARGs when building for `target` (on a linux/amd64 builder). */
export function platformArgValues(target: Platform): Record<string, string> {
  const build = parsePlatform(DEFAULT_PLATFORM)!;
  return {
    TARGETPLATFORM: target.text,
    TARGETOS: target.os,
    TARGETARCH: target.arch,
    TARGETVARIANT: target.variant,
    BUILDPLATFORM: build.text,
    BUILDOS: build.os,
    BUILDARCH: build.arch,
    BUILDVARIANT: build.variant
  };
}

const stageNames = new WeakMap<DockerfileModel, Map<string, Stage>>();

/** The first stage with this (lower-case) name; one index per model, so long chains stay linear. */
function firstStageNamed(model: DockerfileModel, name: string): Stage | undefined {
  let idx = stageNames.get(model);
  if (!idx) {
    idx = new Map();
    for (const s of model.stages) if (s.name !== undefined && !idx.has(s.name)) idx.set(s.name, s);
    stageNames.set(model, idx);
  }
  return idx.get(name);
}

/** True when the FROM's image text uses one of BuildKit's platform ARGs. */
export function fromUsesPlatform(from: FromInfo): boolean {
  return /\$\{?(?:TARGET|BUILD)(?:PLATFORM|OS|ARCH|VARIANT)\b/.test(from.text);
}

/**
 * The base of `stage` when building for `platform`: the model's reading when the FROM does not depend on
 * the platform, otherwise the FROM expanded with the global ARGs and the platform's values.
 */
export function fromForPlatform(model: DockerfileModel, stage: Stage, platform: Platform): FromInfo {
  const from = stage.from;
  if (!fromUsesPlatform(from)) return from;
  const values = platformArgValues(platform);
  // The first FROM resolves with the global scope (global ARGs, build args): the scope every FROM sees.
  const first = model.stages[0]?.instruction;
  const sub = substitute(
    from.text,
    (name) => {
      if (first) {
        const g = first.resolve(`\${${name}}`);
        if (g.unresolved.length === 0) return g.value;
      }
      return PLATFORM_ARGS.has(name) ? values[name] : undefined;
    },
    model.escape
  );
  const resolved = sub.value;
  const lower = resolved.toLowerCase();
  const unresolved = sub.unresolved;
  if (unresolved.length === 0) {
    const earliest = firstStageNamed(model, lower);
    const named = earliest !== undefined && earliest.index < stage.index ? earliest : undefined;
    if (named) return { ...from, resolved: named.name ?? resolved, unresolved: [], image: undefined, invalid: false, stageRef: named.index, scratch: false };
    if (lower === 'scratch') return { ...from, resolved, unresolved: [], image: undefined, invalid: false, stageRef: undefined, scratch: true };
  }
  const image = unresolved.length === 0 ? parseImageRef(resolved) : undefined;
  return { ...from, resolved, unresolved, image, invalid: unresolved.length === 0 && image === undefined, stageRef: undefined, scratch: false };
}
