/**
 * The image model the image rules read: what an OCI/Docker image config and manifest say (user,
 * environment, labels, ports, healthcheck, history, base-image annotations) and its layers. Built from
 * parsed JSON that the I/O layer fetched; every field is checked for the type its spec gives it, and a
 * document of another shape is an error naming it — never a default.
 */

export interface ImageLayer {
  digest: string;
  size: number;
  mediaType: string;
}

export interface HistoryEntry {
  createdBy: string;
  emptyLayer: boolean;
  /** Index of the layer this step made (undefined for empty-layer steps). */
  layer?: number;
}

export interface ImageModel {
  /** How the user named the image: `ghcr.io/acme/api:1.4`, `oci:build/layout:app`, `docker-archive:app.tar`. */
  ref: string;
  /** The manifest digest (`sha256:…`). */
  digest: string;
  platform: string;
  user: string;
  env: { name: string; value: string }[];
  labels: Record<string, string>;
  exposedPorts: string[];
  /** The HEALTHCHECK test (`["CMD", "curl", …]`, `["NONE"]`); undefined when the image has none. */
  healthcheck?: string[];
  cmd?: string[];
  entrypoint?: string[];
  history: HistoryEntry[];
  layers: ImageLayer[];
  /** Manifest annotations (`org.opencontainers.image.base.name`, `…base.digest`). */
  annotations: Record<string, string>;
}

export class ImageFormatError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringArray(v: unknown, what: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ImageFormatError(`${what} is not a list of strings`);
  return v as string[];
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new ImageFormatError(`${what} is not a map of strings`);
  return v as Record<string, string>;
}

export const LAYER_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar'
]);
const CONFIG_MEDIA_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** An image manifest's config descriptor and layers; anything but an image manifest is an error. */
export function parseManifest(doc: unknown, what: string): { config: ImageLayer; layers: ImageLayer[]; annotations: Record<string, string> } {
  if (!isObject(doc)) throw new ImageFormatError(`${what} is not a JSON object`);
  const descriptor = (d: unknown, role: string): ImageLayer => {
    if (!isObject(d) || typeof d.digest !== 'string' || typeof d.mediaType !== 'string' || !Number.isSafeInteger(d.size) || (d.size as number) < 0)
      throw new ImageFormatError(`${what}: ${role} is not a descriptor (mediaType, digest, size)`);
    if (!DIGEST_RE.test(d.digest)) throw new ImageFormatError(`${what}: ${role} has an unsupported digest "${String(d.digest).slice(0, 80)}"`);
    return { digest: d.digest, size: d.size as number, mediaType: d.mediaType };
  };
  const config = descriptor(doc.config, 'config');
  if (!CONFIG_MEDIA_TYPES.has(config.mediaType)) throw new ImageFormatError(`${what}: config media type ${config.mediaType} is not an image config`);
  if (!Array.isArray(doc.layers)) throw new ImageFormatError(`${what}: layers is not a list`);
  const layers = doc.layers.map((l, k) => descriptor(l, `layer ${k + 1}`));
  for (const [k, l] of layers.entries()) {
    if (!LAYER_MEDIA_TYPES.has(l.mediaType)) throw new ImageFormatError(`${what}: layer ${k + 1} (${l.digest}) has the unknown media type ${l.mediaType}`);
  }
  return { config, layers, annotations: stringMap(doc.annotations, `${what}: annotations`) };
}

/** The image model from a parsed config and manifest; `history` entries are matched to layers as the spec says. */
export function buildImageModel(args: {
  ref: string;
  digest: string;
  config: unknown;
  layers: ImageLayer[];
  annotations: Record<string, string>;
  what: string;
}): ImageModel {
  const { config: doc, what } = args;
  if (!isObject(doc)) throw new ImageFormatError(`${what} is not a JSON object`);
  const os = typeof doc.os === 'string' ? doc.os : undefined;
  const arch = typeof doc.architecture === 'string' ? doc.architecture : undefined;
  if (!os || !arch) throw new ImageFormatError(`${what} has no os/architecture`);
  const c = doc.config === undefined || doc.config === null ? {} : doc.config;
  if (!isObject(c)) throw new ImageFormatError(`${what}: config is not an object`);
  if (c.User !== undefined && c.User !== null && typeof c.User !== 'string') throw new ImageFormatError(`${what}: config.User is not a string`);
  const env = (stringArray(c.Env, `${what}: config.Env`) ?? []).map((e) => {
    const eq = e.indexOf('=');
    return eq < 0 ? { name: e, value: '' } : { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
  const ports = c.ExposedPorts === undefined || c.ExposedPorts === null ? {} : c.ExposedPorts;
  if (!isObject(ports)) throw new ImageFormatError(`${what}: config.ExposedPorts is not an object`);
  let healthcheck: string[] | undefined;
  if (c.Healthcheck !== undefined && c.Healthcheck !== null) {
    if (!isObject(c.Healthcheck)) throw new ImageFormatError(`${what}: config.Healthcheck is not an object`);
    healthcheck = stringArray(c.Healthcheck.Test, `${what}: config.Healthcheck.Test`);
  }
  const rawHistory = doc.history === undefined || doc.history === null ? [] : doc.history;
  if (!Array.isArray(rawHistory)) throw new ImageFormatError(`${what}: history is not a list`);
  let layer = 0;
  const history: HistoryEntry[] = rawHistory.map((h, k) => {
    if (!isObject(h)) throw new ImageFormatError(`${what}: history entry ${k + 1} is not an object`);
    const emptyLayer = h.empty_layer === true;
    const entry: HistoryEntry = { createdBy: typeof h.created_by === 'string' ? h.created_by : '', emptyLayer };
    if (!emptyLayer) entry.layer = layer++;
    return entry;
  });
  return {
    ref: args.ref,
    digest: args.digest,
    platform: [os, arch, typeof doc.variant === 'string' ? doc.variant : undefined].filter(Boolean).join('/'),
    user: typeof c.User === 'string' ? c.User : '',
    env,
    labels: stringMap(c.Labels, `${what}: config.Labels`),
    exposedPorts: Object.keys(ports),
    healthcheck,
    cmd: stringArray(c.Cmd, `${what}: config.Cmd`),
    entrypoint: stringArray(c.Entrypoint, `${what}: config.Entrypoint`),
    history,
    layers: args.layers,
    annotations: args.annotations
  };
}
