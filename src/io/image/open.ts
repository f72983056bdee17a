/**
 * Opens an image source as skopeo names them — `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`,
 * `docker-archive:FILE[:REPO:TAG]`, or a registry reference (`docker://` optional) — and lists the
 * images it holds: one per platform of a multi-platform index, each with its manifest and config.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseManifest, type ImageLayer } from '../../core/image/model.js';
import { parseImageRef, type ImageRef } from '../../core/image-ref.js';
import { ImageReadError, indexTar, layoutBlobs, MAX_JSON_BLOB, readCapped, tarBlobs, tarFile, type BlobSource } from './blobs.js';

export interface ImageTarget {
  /** The name findings carry: the spec the user gave (platform appended for indexes). */
  ref: string;
  digest: string;
  platform?: string;
  blobs: BlobSource;
  config: unknown;
  layers: (ImageLayer & { diffId?: string })[];
  annotations: Record<string, string>;
}

export interface RegistryAccess {
  resolve(
    ref: ImageRef
  ): Promise<{ found: true; digest: string; mediaType: string; manifest: unknown; platforms?: { platform: string; digest: string }[] } | { found: false }>;
  blobs(ref: ImageRef): BlobSource;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const MAX_INDEX_ENTRIES = 256;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function json(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new ImageReadError(`${what} is not valid JSON`);
  }
}

function platformOf(p: unknown): string | undefined {
  if (!isObject(p) || typeof p.os !== 'string' || typeof p.architecture !== 'string') return undefined;
  return [p.os, p.architecture, typeof p.variant === 'string' ? p.variant : undefined].filter(Boolean).join('/');
}

function matchesPlatform(have: string | undefined, wanted: readonly string[]): boolean {
  if (wanted.length === 0 || have === undefined) return true;
  return wanted.some((w) => have === w || (have.startsWith(w + '/') && w.split('/').length === 2));
}

/** Expands a manifest or index into image targets (indexes: one per platform; attestation manifests skipped). */
async function expand(
  blobs: BlobSource,
  ref: string,
  digest: string,
  doc: unknown,
  platforms: readonly string[],
  fetch: (digest: string) => Promise<unknown>,
  depth = 0
): Promise<ImageTarget[]> {
  if (!isObject(doc)) throw new ImageReadError(`manifest ${digest} of ${ref} is not a JSON object`);
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if ((mediaType && INDEX_TYPES.has(mediaType)) || (!mediaType && Array.isArray(doc.manifests))) {
    if (!Array.isArray(doc.manifests)) throw new ImageReadError(`index ${digest} of ${ref} has no manifests list`);
    // An index names images (one level; a nested index is allowed once): a cycle or a deeper chain is refused.
    if (depth >= 2) throw new ImageReadError(`index ${digest} of ${ref} nests indexes more than two deep`);
    if (doc.manifests.length > MAX_INDEX_ENTRIES) throw new ImageReadError(`index ${digest} of ${ref} lists more than ${MAX_INDEX_ENTRIES} manifests`);
    const out: ImageTarget[] = [];
    for (const e of doc.manifests) {
      if (!isObject(e) || typeof e.digest !== 'string') throw new ImageReadError(`index ${digest} of ${ref} has an entry without a digest`);
      const ann = isObject(e.annotations) ? e.annotations : {};
      if (ann['vnd.docker.reference.type'] === 'attestation-manifest') continue;
      const platform = platformOf(e.platform);
      if (platform === 'unknown/unknown' || !matchesPlatform(platform, platforms)) continue;
      const inner = await expand(blobs, ref, e.digest, await fetch(e.digest), [], fetch, depth + 1);
      out.push(...inner.map((t) => ({ ...t, platform: platform ?? t.platform })));
    }
    if (out.length === 0) throw new ImageReadError(`${ref} has no image${platforms.length ? ` for ${platforms.join(', ')}` : ''}`);
    return out;
  }
  const m = parseManifest(doc, `manifest ${digest} of ${ref}`);
  const config = json(await blobs.bytes(m.config.digest), `config ${m.config.digest} of ${ref}`);
  return [{ ref, digest, blobs, config, layers: m.layers, annotations: m.annotations }];
}

/** `oci:DIR[:TAG]` and `oci-archive:FILE[:TAG]`: the layout's index.json, the tagged entry (or the only one). */
async function fromLayout(spec: string, blobs: BlobSource, readFile: (name: string) => Promise<Buffer>, tag: string | undefined, platforms: readonly string[]) {
  const layoutMark = json(await readFile('oci-layout'), `${spec}: oci-layout`);
  if (!isObject(layoutMark) || typeof layoutMark.imageLayoutVersion !== 'string')
    throw new ImageReadError(`${spec} is not an OCI image layout (no imageLayoutVersion in oci-layout)`);
  const index = json(await readFile('index.json'), `${spec}: index.json`);
  if (!isObject(index) || !Array.isArray(index.manifests)) throw new ImageReadError(`${spec}: index.json has no manifests list`);
  const entries = index.manifests.filter(isObject);
  const tagged = tag === undefined ? entries : entries.filter((e) => isObject(e.annotations) && e.annotations['org.opencontainers.image.ref.name'] === tag);
  if (tagged.length === 0) throw new ImageReadError(`${spec}: no image${tag ? ` tagged "${tag}"` : ''} in index.json`);
  if (tagged.length > 1) throw new ImageReadError(`${spec} holds ${tagged.length} images: name one with :TAG`);
  const entry = tagged[0];
  if (typeof entry.digest !== 'string') throw new ImageReadError(`${spec}: index.json entry without a digest`);
  const fetch = async (d: string) => json(await blobs.bytes(d), `manifest ${d} of ${spec}`);
  return expand(blobs, spec, entry.digest, await fetch(entry.digest), platforms, fetch);
}

/** `docker-archive:FILE`: manifest.json lists Config and Layers by file name; layers are checked against the config's diff_ids. */
async function fromDockerArchive(spec: string, file: string, repoTag: string | undefined): Promise<ImageTarget[]> {
  const entries = await indexTar(file, spec);
  const manifest = json(await tarFile(file, entries, 'manifest.json', spec), `${spec}: manifest.json`);
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ImageReadError(`${spec} is not a docker-archive (manifest.json is not a list of images)`);
  const images = manifest.filter(isObject).filter((m) => !repoTag || (Array.isArray(m.RepoTags) && m.RepoTags.includes(repoTag)));
  if (images.length !== 1)
    throw new ImageReadError(images.length === 0 ? `${spec}: no image ${repoTag}` : `${spec} holds ${images.length} images: name one with :REPO:TAG`);
  const m = images[0];
  if (typeof m.Config !== 'string' || !Array.isArray(m.Layers) || m.Layers.some((l) => typeof l !== 'string'))
    throw new ImageReadError(`${spec}: manifest.json entry without Config and Layers`);
  const configBytes = await tarFile(file, entries, m.Config, spec);
  const config = json(configBytes, `${spec}: ${m.Config}`);
  const rootfs = isObject(config) && isObject(config.rootfs) ? config.rootfs : undefined;
  const diffIds = rootfs && Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids : undefined;
  const layerFiles = m.Layers as string[];
  if (!diffIds || diffIds.length !== layerFiles.length || diffIds.some((d) => typeof d !== 'string'))
    throw new ImageReadError(`${spec}: the config's rootfs.diff_ids do not match the ${layerFiles.length} layers of manifest.json`);
  const byName = new Map(layerFiles.map((name, k) => [`name:${k}`, name]));
  const blobs = tarBlobs(file, entries, spec, (key) => byName.get(key) ?? key);
  const layers = layerFiles.map((name, k) => {
    const e = entries.get(name.replace(/^\.\/+/, ''));
    if (!e) throw new ImageReadError(`${spec}: layer ${name} is missing from the archive`);
    return { digest: `name:${k}`, size: 0, mediaType: 'application/vnd.docker.image.rootfs.diff.tar', diffId: diffIds[k] as string };
  });
  const digest = 'sha256:' + crypto.createHash('sha256').update(configBytes).digest('hex');
  return [{ ref: spec, digest, blobs, config, layers, annotations: {} }];
}

export interface OpenOptions {
  platforms?: readonly string[];
  registry?: RegistryAccess;
}

export async function openImage(spec: string, options: OpenOptions = {}): Promise<ImageTarget[]> {
  const platforms = options.platforms ?? [];
  const split = (rest: string) => {
    // FILE[:TAG]: the tag is after the last ':' that is not part of the path (paths may hold ':' only if they exist).
    if (fs.existsSync(rest)) return { file: rest, tag: undefined };
    const k = rest.lastIndexOf(':');
    return k > 0 ? { file: rest.slice(0, k), tag: rest.slice(k + 1) } : { file: rest, tag: undefined };
  };
  if (spec.startsWith('oci:')) {
    const { file: dir, tag } = split(spec.slice(4));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ImageReadError(`${spec}: ${dir} is not a directory`);
    const blobs = layoutBlobs(dir, spec);
    const readFile = async (name: string) => {
      const p = path.join(dir, name);
      if (!fs.existsSync(p)) throw new ImageReadError(`${spec} is not an OCI image layout (no ${name})`);
      return readCapped(fs.createReadStream(p), MAX_JSON_BLOB, `${spec}: ${name}`);
    };
    return fromLayout(spec, blobs, readFile, tag, platforms);
  }
  if (spec.startsWith('oci-archive:')) {
    const { file, tag } = split(spec.slice('oci-archive:'.length));
    const entries = await indexTar(file, spec);
    const blobs = tarBlobs(file, entries, spec);
    return fromLayout(spec, blobs, (name) => tarFile(file, entries, name, spec), tag, platforms);
  }
  if (spec.startsWith('docker-archive:')) {
    const rest = spec.slice('docker-archive:'.length);
    const m = /^(.*?\.tar(?:\.gz)?)(?::(.+))?$/.exec(rest);
    const file = fs.existsSync(rest) ? rest : (m?.[1] ?? rest);
    return fromDockerArchive(spec, file, fs.existsSync(rest) ? undefined : m?.[2]);
  }
  const text = spec.startsWith('docker://') ? spec.slice('docker://'.length) : spec;
  const ref = parseImageRef(text);
  if (!ref) throw new ImageReadError(`"${spec}" is not an image reference, oci:DIR, oci-archive:FILE or docker-archive:FILE`);
  if (!options.registry) throw new ImageReadError(`${spec}: no registry access configured`);
  const registry = options.registry;
  const top = await registry.resolve(ref);
  if (!top.found) throw new ImageReadError(`${spec}: not found in the registry`);
  const blobs = registry.blobs(ref);
  const fetch = async (d: string) => {
    const r = await registry.resolve({ ...ref, digest: d });
    if (!r.found) throw new ImageReadError(`${spec}: manifest ${d} not found`);
    return r.manifest;
  };
  return expand(blobs, spec, top.digest, top.manifest, platforms, fetch);
}
