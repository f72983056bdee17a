/**
 * One pass over a layer: the compressed bytes are hashed (the layer's digest) and, when the image says
 * so, the uncompressed ones too (docker-archive's diff_ids), decompressed (gzip, zstd where Node has it,
 * or none) and read as a tar stream. Each entry is offered to the rules' interest; only entries some rule
 * wants are recorded, and only their content (≤ 1 MiB) is kept. Whiteouts are collected so a file a later
 * layer deletes can be told apart — it still ships in its own layer.
 */
import crypto from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { ImageFile, ImageFileHeader, ImageInterest } from '../../core/rules/types.js';
import { ImageReadError } from './blobs.js';

export const MAX_CONTENT = 1 << 20;
/** Content kept for one image, all layers together: past it a file is "too large to check", never read whole. */
export const MAX_IMAGE_CONTENT = 64 << 20;

/** What one image's layer walks may keep in memory, shared by the layers walked side by side. */
export interface ContentBudget {
  left: number;
}
const MAX_ENTRIES = 2_000_000;
const MAX_RECORDED = 200_000;

export interface LayerWalk {
  files: ImageFile[];
  /** Paths this layer deletes (`.wh.<name>`), and directories it makes opaque (`.wh..wh..opq`). */
  whiteouts: string[];
  opaque: string[];
  entries: number;
  bytes: number;
}

class Hasher extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return 'sha256:' + this.hash.digest('hex');
  }
}

/** Picks the decompressor from the first bytes: gzip (1f 8b), zstd (28 b5 2f fd), else a plain tar. */
class Decompress extends Transform {
  private inner?: Transform;
  private head = Buffer.alloc(0);
  constructor(private readonly what: string) {
    super();
  }
  private start(first: Buffer): void {
    if (first[0] === 0x1f && first[1] === 0x8b) this.inner = zlib.createGunzip({ chunkSize: 256 * 1024 });
    else if (first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd) {
      const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      if (!zstd) throw new ImageReadError(`${this.what} is zstd-compressed, which this Node (${process.version}) cannot read: use Node 22.15 or later`);
      this.inner = zstd();
    } else this.inner = new PassThrough();
    this.inner.on('data', (c) => this.push(c));
    this.inner.on('error', (e) => this.destroy(new ImageReadError(`${this.what} cannot be decompressed: ${e.message}`)));
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      if (!this.inner) {
        this.head = Buffer.concat([this.head, chunk]);
        if (this.head.length < 4) return cb();
        this.start(this.head);
        chunk = this.head;
      }
      this.inner!.write(chunk, (err) => cb(err ?? null));
    } catch (e) {
      cb(e as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      if (this.head.length === 0) return cb(new ImageReadError(`${this.what} is empty`));
      this.start(Buffer.concat([this.head, Buffer.alloc(4)]));
      this.inner!.write(this.head);
    }
    this.inner!.once('end', () => cb());
    this.inner!.once('error', (e) => cb(e));
    this.inner!.end();
  }
}

function kind(h: Header): ImageFileHeader['type'] {
  switch (h.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

export async function walkLayer(
  source: Readable,
  layer: { index: number; digest: string; size: number; diffId?: string },
  interest: (entry: ImageFileHeader) => ImageInterest | undefined,
  what: string,
  budget: ContentBudget = { left: MAX_IMAGE_CONTENT }
): Promise<LayerWalk> {
  const compressed = new Hasher();
  const uncompressed = new Hasher();
  const out: LayerWalk = { files: [], whiteouts: [], opaque: [], entries: 0, bytes: 0 };
  const ex = extract();
  ex.on('entry', (h, stream, next) => {
    out.entries++;
    if (out.entries > MAX_ENTRIES) {
      stream.destroy();
      ex.destroy(new ImageReadError(`${what} has more than ${MAX_ENTRIES} entries`));
      return;
    }
    const path = h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base.startsWith('.wh.')) {
      const dir = path.slice(0, path.length - base.length);
      if (base === '.wh..wh..opq') out.opaque.push(dir.replace(/\/$/, ''));
      else out.whiteouts.push(dir + base.slice(4));
      stream.resume();
      stream.on('end', next);
      return;
    }
    const header: ImageFileHeader = { path, type: kind(h), mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0, size: h.size ?? 0 };
    const want = path === '' ? undefined : interest(header);
    if (!want) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    if (out.files.length >= MAX_RECORDED) {
      stream.destroy();
      ex.destroy(new ImageReadError(`${what}: more than ${MAX_RECORDED} entries the rules asked about`));
      return;
    }
    const file: ImageFile = { ...header, layer: layer.index, layerDigest: layer.digest };
    if (header.type !== 'file') {
      out.files.push(file);
      stream.resume();
      stream.on('end', next);
      return;
    }
    const hash = crypto.createHash('sha256');
    const keep: Buffer[] = [];
    let kept = 0;
    stream.on('data', (chunk) => {
      const c = chunk as Buffer;
      hash.update(c);
      if (want === 'content' && kept <= MAX_CONTENT && kept <= budget.left) {
        keep.push(c);
        kept += c.length;
      }
    });
    stream.on('end', () => {
      file.sha256 = hash.digest('hex');
      if (want === 'content') {
        if (kept > MAX_CONTENT || kept > budget.left || kept < (h.size ?? 0)) file.contentTooLarge = true;
        else {
          file.content = Buffer.concat(keep);
          budget.left -= kept;
        }
      }
      out.files.push(file);
      next();
    });
  });
  try {
    // The uncompressed bytes are hashed only when the image names their digest (docker-archive diff_ids).
    if (layer.diffId) await pipeline(source, compressed, new Decompress(what), uncompressed, ex);
    else await pipeline(source, compressed, new Decompress(what), ex);
  } catch (e) {
    if (e instanceof ImageReadError) throw e;
    throw new ImageReadError(`${what} is not a readable layer (truncated or not a tar stream): ${(e as Error).message}`);
  }
  const actual = compressed.digest();
  if (actual !== layer.digest && !layer.diffId) throw new ImageReadError(`${what} has digest ${actual}, not ${layer.digest}: corrupt or tampered`);
  if (layer.diffId) {
    const diff = uncompressed.digest();
    if (diff !== layer.diffId) throw new ImageReadError(`${what}: its content hashes to ${diff}, not the diff_id ${layer.diffId} the image config names`);
  }
  if (layer.size > 0 && compressed.bytes !== layer.size && !layer.diffId)
    throw new ImageReadError(`${what} is ${compressed.bytes} bytes, the manifest says ${layer.size}`);
  out.bytes = compressed.bytes;
  return out;
}

/**
 * Marks recorded files that a later layer deletes (whiteout of the path or a parent, or an opaque parent).
 * Each layer's whiteouts go into sets, and a file asks for its path and each parent directory: linear in
 * files × path depth, whatever the number of whiteouts a (hostile) image carries.
 */
export function applyWhiteouts(walks: readonly LayerWalk[]): void {
  const gone = walks.map((w) => new Set(w.whiteouts));
  const opaque = walks.map((w) => new Set(w.opaque));
  for (let k = 0; k < walks.length; k++) {
    for (const f of walks[k].files) {
      const parts = f.path.split('/');
      const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
      const parents = ['', ...prefixes.slice(0, -1)];
      for (let later = k + 1; later < walks.length; later++) {
        if (prefixes.some((p) => gone[later].has(p)) || parents.some((d) => opaque[later].has(d))) {
          f.deletedInLayer = later;
          break;
        }
      }
    }
  }
}
