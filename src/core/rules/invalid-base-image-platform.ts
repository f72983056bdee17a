import { normalizeImage } from '../image-ref.js';
import { defineRule } from './types.js';

/** `linux/arm64` and `linux/arm64/v8` are the same platform; `linux/arm/v6` and `linux/arm/v7` are not. */
function samePlatform(a: string, b: string): boolean {
  const [ao, aa, av] = a.split('/');
  const [bo, ba, bv] = b.split('/');
  if (ao !== bo || aa !== ba) return false;
  if (aa === 'arm64') return (av ?? 'v8') === (bv ?? 'v8');
  return av === undefined || bv === undefined || av === bv;
}

export default defineRule({
  meta: {
    id: 'invalid-base-image-platform',
    aliases: ['InvalidBaseImagePlatform'],
    severity: 'warning',
    title: 'The base image has no variant for the platform being built',
    description: [
      'When a multi-platform base image has no manifest for the platform a stage is built for, the builder falls back to another one (or fails), and the image runs under emulation or not at all. BuildKit reports it as `InvalidBaseImagePlatform`.',
      '',
      'A stage is built for its constant `--platform` flag, or else for the target platforms (`lint.platforms`, default linux/amd64); stages with `--platform=$BUILDPLATFORM` run on the build machine and are not judged. The rule needs to know the platforms of the base image: it runs only where lint may look images up (with `--suggest-pins` / `suggest-pins: true`), and is otherwise silent. Single-platform images are not judged.'
    ].join('\n'),
    bad: 'FROM mcr-only:1.0',
    good: 'FROM alpine:3.20',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, external, platforms, report }) {
    const known = external.imagePlatforms;
    if (!known) return;
    const targets = platforms && platforms.length ? platforms : ['linux/amd64'];
    for (const stage of model.stages) {
      if (!stage.from.image) continue;
      const available = known.get(normalizeImage(stage.from.image));
      if (!available || available.length === 0) continue;
      const flag = stage.from.platform;
      if (flag && /BUILDPLATFORM|BUILDOS|BUILDARCH/.test(flag)) continue;
      const wanted = flag && !flag.includes('$') ? [flag] : targets;
      for (const p of wanted) {
        if (available.some((a) => samePlatform(a, p))) continue;
        report({
          line: stage.instruction.line,
          column: stage.instruction.column,
          message: `Base image ${stage.from.text} has no ${p} variant (it has ${available.join(', ')}): the build for ${p} falls back to another platform or fails`
        });
      }
    }
  }
});
