/**
 * Images with known contents for the image-inspection tests, built by umoci (never by the code under
 * test): each `layer` is an unpack → edit rootfs → repack of the image, so a removed file becomes a real
 * whiteout in a later layer; `config` sets user, env, labels, ports and manifest annotations with
 * `umoci config`. Archives are made with tar (`oci-archive`) and skopeo (`docker-archive`).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LayerSpec {
  /** Files to write (path without leading /): text content, optional mode. */
  add?: Record<string, { content: string | Buffer; mode?: number }>;
  /** Paths to delete (a whiteout in this layer). */
  remove?: string[];
  /** The history entry's created_by. */
  createdBy?: string;
}

export interface ConfigSpec {
  user?: string;
  env?: string[];
  labels?: Record<string, string>;
  ports?: string[];
  annotations?: Record<string, string>;
  createdBy?: string;
  /** `amd64` by default. */
  architecture?: string;
}

export interface ImageLayoutDir {
  dir: string;
  build(tag: string, layers: LayerSpec[], config?: ConfigSpec): Promise<void>;
  /** An OCI index over images of the layout (linux/<their architecture>), tagged `tag`. */
  index(tag: string, images: { tag: string; architecture: string }[]): void;
  push(tag: string, dest: string, all?: boolean): Promise<void>;
  ociArchive(): Promise<string>;
  dockerArchive(tag: string): Promise<string>;
  remove(): void;
}

export async function createImageLayout(): Promise<ImageLayoutDir> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-images-'));
  const dir = path.join(root, 'layout');
  await run('umoci', ['init', '--layout', dir]);
  return {
    dir,
    async build(tag, layers, config = {}) {
      const image = `${dir}:${tag}`;
      await run('umoci', ['new', '--image', image]);
      await run('umoci', ['config', '--image', image, '--os', 'linux', '--architecture', config.architecture ?? 'amd64', '--no-history']);
      for (const [k, layer] of layers.entries()) {
        const bundle = path.join(root, `bundle-${tag}-${k}`);
        await run('umoci', ['unpack', '--rootless', '--image', image, bundle]);
        const rootfs = path.join(bundle, 'rootfs');
        for (const [p, f] of Object.entries(layer.add ?? {})) {
          const abs = path.join(rootfs, p);
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          fs.writeFileSync(abs, f.content);
          fs.chmodSync(abs, f.mode ?? 0o644);
        }
        for (const p of layer.remove ?? []) fs.rmSync(path.join(rootfs, p), { recursive: true, force: true });
        await run('umoci', ['repack', '--image', image, '--history.created_by', layer.createdBy ?? `layer ${k + 1}`, bundle]);
        fs.rmSync(bundle, { recursive: true, force: true });
      }
      const args = ['config', '--image', image];
      if (config.user !== undefined) args.push('--config.user', config.user);
      for (const e of config.env ?? []) args.push('--config.env', e);
      for (const [k, v] of Object.entries(config.labels ?? {})) args.push('--config.label', `${k}=${v}`);
      for (const p of config.ports ?? []) args.push('--config.exposedports', p);
      for (const [k, v] of Object.entries(config.annotations ?? {})) args.push('--manifest.annotation', `${k}=${v}`);
      if (config.createdBy) args.push('--history.created_by', config.createdBy);
      else args.push('--no-history');
      await run('umoci', args);
    },
    index(tag, images) {
      const indexFile = path.join(dir, 'index.json');
      const top = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as {
        manifests: { digest: string; size: number; mediaType: string; annotations?: Record<string, string> }[];
      };
      const entry = (t: string) => top.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === t)!;
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: images.map((i) => ({ ...entry(i.tag), annotations: undefined, platform: { os: 'linux', architecture: i.architecture } }))
        })
      );
      const digest = 'sha256:' + crypto.createHash('sha256').update(body).digest('hex');
      fs.writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), body);
      top.manifests.push({
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest,
        size: body.length,
        annotations: { 'org.opencontainers.image.ref.name': tag }
      });
      fs.writeFileSync(indexFile, JSON.stringify(top));
    },
    async push(tag, dest, all = false) {
      await run('skopeo', [
        'copy',
        '--quiet',
        ...(all ? ['--all'] : []),
        '--dest-tls-verify=false',
        '--dest-no-creds',
        `oci:${dir}:${tag}`,
        `docker://${dest}`
      ]);
    },
    async ociArchive() {
      const file = path.join(root, 'image.oci.tar');
      await run('tar', ['-C', dir, '-cf', file, '.']);
      return file;
    },
    async dockerArchive(tag) {
      const file = path.join(root, `${tag}.docker.tar`);
      await run('skopeo', ['copy', '--quiet', `oci:${dir}:${tag}`, `docker-archive:${file}:example.test/${tag}:latest`]);
      return file;
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}
