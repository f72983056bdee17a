/**
 * Table tests for rules that judge images: each case is an image model and the layer entries the walk
 * would record; `valid` cases give no finding of the rule, `invalid` ones exactly the listed findings.
 */
import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { inspectImage } from '../../src/core/image/inspect.js';
import type { ImageModel } from '../../src/core/image/model.js';
import type { ImageFile, Rule } from '../../src/core/rules/types.js';

export function imageModel(over: Partial<ImageModel> = {}): ImageModel {
  return {
    ref: 'registry.test/app:1',
    digest: 'sha256:' + 'a'.repeat(64),
    platform: 'linux/amd64',
    user: '10001',
    env: [{ name: 'PATH', value: '/usr/bin:/bin' }],
    labels: {},
    exposedPorts: [],
    healthcheck: ['CMD', 'true'],
    history: [],
    layers: [{ digest: 'sha256:' + 'b'.repeat(64), size: 1, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
    annotations: {},
    ...over
  };
}

export function imageFile(path: string, over: Partial<ImageFile> = {}): ImageFile {
  return { path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 10, layer: 0, layerDigest: 'sha256:' + 'b'.repeat(64), sha256: 'c'.repeat(64), ...over };
}

export interface ImageCase {
  name: string;
  image?: Partial<ImageModel>;
  files?: ImageFile[];
  options?: Record<string, unknown>;
}

export function imageRuleTester(
  rule: Rule,
  cases: { valid: ImageCase[]; invalid: (ImageCase & { errors: { file?: string; message?: string | RegExp }[] })[] }
): void {
  const run = (c: ImageCase) => {
    const config = defaultConfig();
    config.rules[rule.meta.id] = { enabled: true, options: c.options };
    const files = (c.files ?? []).filter((f) => rule.imageInterest?.(f, { ...(rule.defaultOptions as object), ...(c.options ?? {}) } as never) !== undefined);
    return inspectImage(imageModel(c.image), files, config, [rule]).findings.filter((f) => f.ruleId === rule.meta.id);
  };
  describe(`${rule.meta.id} (images)`, () => {
    it.each(cases.valid.map((c) => [c.name, c] as const))('valid: %s', (_n, c) => {
      expect(run(c).map((f) => f.message)).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name, c] as const))('invalid: %s', (_n, c) => {
      const got = run(c);
      expect(got).toHaveLength(c.errors.length);
      c.errors.forEach((e, k) => {
        if (e.file !== undefined) expect(got[k].file).toBe(e.file);
        if (typeof e.message === 'string') expect(got[k].message).toContain(e.message);
        else if (e.message) expect(got[k].message).toMatch(e.message);
      });
    });
  });
}
