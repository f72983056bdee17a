/**
 * Where an image's blobs come from: an OCI image layout directory, a tar archive of one
 * (`oci-archive:`), a `docker save` archive, or a registry. Every source hands out blobs as streams
 * (layers are never held whole) and small JSON documents read with a size cap and checked against their
 * digest; a missing or mismatching blob is an error naming it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

export class ImageReadError extends Error {}

export const MAX_JSON_BLOB = 4 * 1024 * 1024;
const DIGEST_RE = /^sha256:([a-f0-9]{64})$/;

export interface BlobSource {
  /** How the user named the source, for messages. */
  describe: string;
  /** A blob's raw bytes as a stream (the reader checks the digest as it goes). */
  stream(digest: string): Promise<Readable>;
  /** A small blob, read whole (≤ 4 MiB) and checked against its digest. */
  bytes(digest: string): Promise<Buffer>;
}

export function hexOf(digest: string): string {
  const m = DIGEST_RE.exec(digest);
  if (!m) throw new ImageReadError(`unsupported digest "${digest.slice(0, 80)}" (only sha256 is)`);
  return m[1];
}

/** Reads a stream whole, up to `max` bytes; more is an error naming `what`. */
export async function readCapped(stream: Readable, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    n += (chunk as Buffer).length;
    if (n > max) {
      stream.destroy();
      throw new ImageReadError(`${what} is larger than ${max} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function checked(buf: Buffer, digest: string, where: string): Buffer {
  const actual = 'sha256:' + crypto.createHash('sha256').update(buf).digest('hex');
  if (actual !== digest) throw new ImageReadError(`blob ${digest} in ${where} has digest ${actual}: corrupt or tampered`);
  return buf;
}

/** An OCI image layout directory: `blobs/sha256/<hex>`. */
export function layoutBlobs(dir: string, describe: string): BlobSource {
  const file = (digest: string) => {
    const p = path.join(dir, 'blobs', 'sha256', hexOf(digest));
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      throw new ImageReadError(`blob ${digest} is missing from ${describe}`);
    }
    if (!st.isFile()) throw new ImageReadError(`blob ${digest} in ${describe} is not a regular file`);
    return p;
  };
  return {
    describe,
    async stream(digest) {
      return fs.createReadStream(file(digest), { highWaterMark: 1 << 20 });
    },
    async bytes(digest) {
      return checked(await readCapped(fs.createReadStream(file(digest)), MAX_JSON_BLOB, `blob ${digest}`), digest, describe);
    }
  };
}

export interface TarEntry {
  offset: number;
  size: number;
}

/**
 * Every regular file of a tar archive with its data offset and size, from one walk over the 512-byte
 * headers (contents are skipped, not read). ustar, GNU long names and pax `path`/`size` records are
 * understood; a header whose checksum is wrong means the file is not a tar archive (or is damaged).
 */
export async function indexTar(file: string, describe: string, maxEntries = 100_000): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new ImageReadError(`cannot read ${describe}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const total = fs.fstatSync(fd).size;
    const header = Buffer.alloc(512);
    let pos = 0;
    let pax: Record<string, string> = {};
    let longName: string | undefined;
    let count = 0;
    while (pos + 512 <= total) {
      fs.readSync(fd, header, 0, 512, pos);
      if (header.every((b) => b === 0)) return entries;
      if (!validChecksum(header)) throw new ImageReadError(`${describe} is not a tar archive (bad header at byte ${pos})`);
      if (++count > maxEntries) throw new ImageReadError(`${describe} has more than ${maxEntries} entries`);
      const field = (from: number, len: number) => header.toString('utf8', from, from + len).replace(/\0.*$/s, '');
      const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]);
      const size = pax.size !== undefined ? Number(pax.size) : parseOctal(header.subarray(124, 136));
      if (!Number.isSafeInteger(size) || size < 0) throw new ImageReadError(`${describe}: bad entry size at byte ${pos}`);
      const data = pos + 512;
      if (data + size > total) throw new ImageReadError(`${describe} is truncated (an entry runs past the end of the file)`);
      if (type === 'x' || type === 'L') {
        const body = Buffer.alloc(Math.min(size, 1 << 20));
        fs.readSync(fd, body, 0, body.length, data);
        if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
        else pax = parsePax(body.toString('utf8'));
      } else {
        const prefix = field(345, 155);
        const name = pax.path ?? longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
        if (type === '0' || type === '7') entries.set(clean(name), { offset: data, size });
        pax = {};
        longName = undefined;
      }
      pos = data + Math.ceil(size / 512) * 512;
    }
    if (count === 0) throw new ImageReadError(`${describe} is not a tar archive (empty)`);
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

function clean(name: string): string {
  return name.replace(/^\.\/+/, '').replace(/^\/+/, '');
}

function parseOctal(b: Buffer): number {
  // GNU base-256 for sizes ≥ 8 GiB.
  if (b[0] & 0x80) {
    let n = 0;
    for (let k = 1; k < b.length; k++) n = n * 256 + b[k];
    return n;
  }
  const t = b.toString('ascii').replace(/\0.*$/s, '').trim();
  return t === '' ? 0 : /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
}

function validChecksum(h: Buffer): boolean {
  const stored = parseOctal(h.subarray(148, 156));
  let sum = 0;
  for (let k = 0; k < 512; k++) sum += k >= 148 && k < 156 ? 32 : h[k];
  return stored === sum;
}

function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    const len = Number(text.slice(i, sp));
    if (sp < 0 || !Number.isSafeInteger(len) || len <= 0) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Blobs from entries of a tar archive (an `oci-archive` holds a layout; a `docker-archive` names its files). */
export function tarBlobs(
  file: string,
  entries: Map<string, TarEntry>,
  describe: string,
  nameOf: (digest: string) => string = (d) => `blobs/sha256/${hexOf(d)}`
): BlobSource {
  const entry = (digest: string) => {
    const e = entries.get(nameOf(digest));
    if (!e) throw new ImageReadError(`blob ${digest} is missing from ${describe}`);
    return e;
  };
  const open = (e: TarEntry) =>
    e.size === 0 ? Readable.from([]) : fs.createReadStream(file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1 << 20 });
  return {
    describe,
    async stream(digest) {
      return open(entry(digest));
    },
    async bytes(digest) {
      return checked(await readCapped(open(entry(digest)), MAX_JSON_BLOB, `blob ${digest}`), digest, describe);
    }
  };
}

/** A named file of a tar archive, read whole (for docker-archive's manifest.json and config). */
export async function tarFile(file: string, entries: Map<string, TarEntry>, name: string, describe: string): Promise<Buffer> {
  const e = entries.get(name.replace(/^\.\/+/, ''));
  if (!e) throw new ImageReadError(`${describe} has no ${name}`);
  return readCapped(
    e.size === 0 ? Readable.from([]) : fs.createReadStream(file, { start: e.offset, end: e.offset + e.size - 1 }),
    MAX_JSON_BLOB,
    `${name} in ${describe}`
  );
}
