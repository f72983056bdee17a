import type { ImageRef } from '../image-ref.js';
import { defineRule } from './types.js';
import { classifyFrom, fromSources, globMatches, imageNames, isTemplated, sourceSubject, wordPosition, type Position } from './util/stages.js';

interface Options {
  registries: string[];
}

function list(globs: string[]): string {
  const shown = globs.slice(0, 5).join(', ');
  return globs.length > 5 ? `${shown}, …` : shown;
}

export default defineRule<Options>({
  meta: {
    id: 'trusted-registries',
    aliases: ['DL3026'],
    severity: 'error',
    enabledByDefault: false,
    title: 'Use images only from trusted registries',
    description: [
      'Every image a build pulls runs code in your build and usually ships in your product. Organisations often mirror or vet images in a small set of registries (an internal registry, a pull-through cache, `ghcr.io/<org>`), and an image pulled from anywhere else bypasses that review, scanning and availability guarantee.',
      '',
      'This rule reports `FROM`, `COPY --from=<image>` and `RUN --mount=…,from=<image>` images whose registry is not in the `registries` option. Use an image from an allowed registry (mirror it there if needed), or add the registry to the list if it is trusted. Stage names, stage indexes and `scratch` are not images and are never reported. Docker Hub is `docker.io` (an image without a registry part, such as `nginx`, comes from `docker.io`).',
      '',
      'The rule is off by default and does nothing until `registries` is set.'
    ].join('\n'),
    bad: '# registries: [registry.acme.internal]\nFROM docker.io/library/node:22',
    good: '# registries: [registry.acme.internal]\nFROM registry.acme.internal/mirror/node:22',
    tags: ['security', 'supply-chain', 'cis:4.2'],
    optionsSchema: {
      type: 'object',
      properties: {
        registries: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }
      }
    },
    optionsDoc: [
      "- `registries` (array of globs, default `[]`): the allowed registries or images. Each glob (minimatch) is matched against the image's registry (`docker.io`, `ghcr.io`, `registry.acme.internal:5000`) and against `registry/repository` (`docker.io/library/nginx`, `ghcr.io/acme/api`); Docker Hub images also match their short name (`nginx`). `hub.docker.com` and `index.docker.io` mean `docker.io`. With an empty list the rule reports nothing.",
      '',
      '```yaml',
      'rules:',
      '  trusted-registries:',
      '    enabled: true',
      '    options:',
      '      registries: ["registry.acme.internal", "ghcr.io/acme/**", "*.dkr.ecr.*.amazonaws.com"]',
      '```'
    ].join('\n')
  },
  defaultOptions: { registries: [] },
  check({ model, options, report }) {
    const allowed = Array.isArray(options.registries) ? options.registries.filter((g) => typeof g === 'string' && g.trim() !== '') : [];
    if (allowed.length === 0) return;
    const judge = (ref: ImageRef, subject: string, pos: Position) => {
      if (globMatches([ref.registry, ...imageNames(ref)], allowed) !== undefined) return;
      report({
        line: pos.line,
        column: pos.column,
        message: `${subject} ${ref.raw.trim()} comes from ${ref.registry}, which is not a trusted registry (allowed: ${list(allowed)}); use an image from an allowed registry (mirror it there), or add ${ref.registry} to the registries option`
      });
    };
    for (const stage of model.stages) {
      const ref = stage.from.image;
      if (!ref || isTemplated(stage.from.text)) continue;
      judge(ref, 'Base image', wordPosition(stage.instruction, 0));
    }
    for (const src of fromSources(model)) {
      if (src.hasVariables && src.what === 'COPY --from') continue;
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const target = classifyFrom(model, src.resolved);
      if (target.kind !== 'image' || !target.ref) continue;
      judge(target.ref, sourceSubject(src), src.position);
    }
  }
});
