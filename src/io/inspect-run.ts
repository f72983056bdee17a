/**
 * `container-guard inspect`: opens an image (registry, OCI layout, oci-archive, docker-archive), walks
 * each layer once, and judges config, history and the layer entries with the image rules. One image
 * that cannot be read costs one error (named in `errors`), never a pass.
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import type { Config } from '../core/config/types.js';
import { countBySeverity, type Finding } from '../core/finding.js';
import { buildImageModel, ImageFormatError } from '../core/image/model.js';
import { imageRules, inspectImage, interestIn } from '../core/image/inspect.js';
import type { ImageRef } from '../core/image-ref.js';
import type { RunReport } from '../core/report/types.js';
import { buildReport } from '../core/run.js';
import { docsUrl, type ImageFile, type Rule } from '../core/rules/types.js';
import { mapLimit } from './concurrency.js';
import { ImageReadError, type BlobSource } from './image/blobs.js';
import { openImage, type RegistryAccess } from './image/open.js';
import { applyWhiteouts, MAX_IMAGE_CONTENT, walkLayer, type ContentBudget, type LayerWalk } from './image/walk.js';
import { RegistryError, type RegistryClient } from './registry/client.js';

export interface InspectRunOptions {
  images: string[];
  platforms?: string[];
  config: Config;
  rules: readonly Rule[];
  registry?: Pick<RegistryClient, 'resolve' | 'fetchBlob' | 'openBlob'>;
}

export interface InspectedImage {
  ref: string;
  digest: string;
  platform: string;
  layers: number;
  bytes: number;
  findings: number;
}

/** Registry access over the registry client: manifests and configs read whole (capped), layers streamed. */
export function registryAccess(client: Pick<RegistryClient, 'resolve' | 'fetchBlob' | 'openBlob'>): RegistryAccess {
  return {
    async resolve(ref: ImageRef) {
      const r = await client.resolve(ref);
      return r.found
        ? { found: true as const, digest: r.digest, mediaType: r.mediaType, manifest: r.manifest, platforms: r.platforms }
        : { found: false as const };
    },
    blobs(ref: ImageRef): BlobSource {
      return {
        describe: ref.raw,
        async stream(digest) {
          return Readable.from(await client.openBlob(ref, digest));
        },
        async bytes(digest) {
          return Buffer.from(await client.fetchBlob(ref, digest, 4 * 1024 * 1024));
        }
      };
    }
  };
}

export async function runInspect(opts: InspectRunOptions): Promise<{ report: RunReport; images: InspectedImage[] }> {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const errors: RunReport['errors'] = [];
  const inspected: InspectedImage[] = [];
  const registry = opts.registry ? registryAccess(opts.registry) : undefined;
  for (const spec of opts.images) {
    try {
      const targets = await openImage(spec, { platforms: opts.platforms, registry });
      for (const t of targets) {
        const ref = t.platform && targets.length > 1 ? `${t.ref}[${t.platform}]` : t.ref;
        const image = buildImageModel({ ref, digest: t.digest, config: t.config, layers: t.layers, annotations: t.annotations, what: `config of ${ref}` });
        const active = imageRules(opts.rules, opts.config, ref);
        const budget: ContentBudget = { left: MAX_IMAGE_CONTENT };
        // Layers are independent until whiteouts are applied: decompress them side by side, one per core.
        const walks: LayerWalk[] = await mapLimit(
          [...t.layers.entries()],
          Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2)),
          async ([index, layer]) => {
            const what = `layer ${index + 1} (${layer.digest.startsWith('name:') ? `#${index + 1}` : layer.digest}) of ${ref}`;
            return walkLayer(
              await t.blobs.stream(layer.digest),
              { index, digest: layer.digest, size: layer.size, diffId: layer.diffId },
              (e) => interestIn(active, e),
              what,
              budget
            );
          }
        );
        const bytes = walks.reduce((n, w) => n + w.bytes, 0);
        applyWhiteouts(walks);
        const files: ImageFile[] = walks.flatMap((w) => w.files);
        const result = inspectImage(image, files, opts.config, opts.rules);
        findings.push(...result.findings);
        suppressed.push(...result.suppressed);
        inspected.push({ ref, digest: t.digest, platform: image.platform, layers: t.layers.length, bytes, findings: result.findings.length });
      }
    } catch (e) {
      if (e instanceof ImageReadError || e instanceof ImageFormatError || e instanceof RegistryError)
        errors.push({ file: spec, message: (e as Error).message });
      else throw e;
    }
  }
  for (const e of errors) {
    findings.push({
      ruleId: 'parse-error',
      aliases: [],
      severity: 'error',
      file: e.file,
      line: 1,
      column: 1,
      endLine: 1,
      message: `cannot inspect: ${e.message}`,
      help: docsUrl('parse-error'),
      tool: 'inspect'
    });
  }
  const report = buildReport(findings, suppressed, opts.images, errors, opts.rules);
  report.counts = countBySeverity(report.findings);
  return { report, images: inspected };
}
