/**
 * Real OCI images for the registry tests, made by real tools: `umoci` builds them in an OCI image layout
 * in a temp dir and `skopeo copy` pushes them to the test registry (Debian's skopeo 1.9, umoci 0.4.7).
 *
 * - `createLayout()`: `umoci init --layout`, `umoci new --image <layout>:base`, then `umoci insert` of a
 *   one-file rootfs (a single gzip layer). Once per test file: images are made from it cheaply.
 * - `layout.image(tag, { platform, seed })`: `umoci config --image <layout>:base --tag <tag>` with the
 *   platform's os/architecture and a `seed` label, so each seed is a distinct image (distinct digest).
 *   umoci 0.4.7 has no `--variant`: a variant lives only in the index entry made by `layout.index()`.
 * - `layout.index(tag, images)`: an OCI image index over images of the layout (with their platforms),
 *   written as a blob of the layout and tagged in its index.json; `push(…, { all: true })` copies it.
 * - `layout.push(tag, dest)`: `skopeo copy --preserve-digests --dest-tls-verify=false oci:<layout>:<tag>
 *   docker://<host>/<repo>:<tag>` (`--dest-creds` when given, else `--dest-no-creds`; `--all` for an index).
 * - `skopeoDigest()` / `skopeoRaw()`: `skopeo inspect` of what the registry serves, to compare with.
 *
 * Everything runs asynchronously: skopeo may talk to a server in this very process (the referrers proxy).
 * `requireTools()` is `requireRegistry()`'s twin for umoci and skopeo.
 */
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const IMAGE_TOOLS = ['umoci', 'skopeo'] as const;
const REF_NAME = 'org.opencontainers.image.ref.name';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface Credentials {
  username: string;
  password: string;
}

/** An image (or index) of the layout: its tag there and its exact manifest bytes. */
export interface BuiltImage {
  tag: string;
  digest: string;
  size: number;
  mediaType: string;
  /** The exact manifest bytes (their sha256 is `digest`). */
  bytes: Buffer;
  /** `os/architecture[/variant]` (single images). */
  platform?: string;
}

export interface BuiltIndex extends BuiltImage {
  platforms: { platform: string; digest: string }[];
}

export interface PushTarget {
  /** `127.0.0.1:<port>` */
  host: string;
  repo: string;
  /** Defaults to the layout tag. */
  tag?: string;
  creds?: Credentials;
  /** `--all`: an index with every image it lists. */
  all?: boolean;
}

export interface OciLayout {
  /** The OCI image layout directory. */
  layout: string;
  image(tag: string, opts?: { platform?: string; seed?: string }): Promise<BuiltImage>;
  index(tag: string, images: readonly BuiltImage[]): Promise<BuiltIndex>;
  push(tag: string, dest: PushTarget): Promise<void>;
  remove(): void;
}

/** The tools that are not on PATH. */
export function missingTools(): string[] {
  return IMAGE_TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
}

/**
 * True when umoci and skopeo can be used. A missing one: throws in CI (a suite must never silently skip
 * there), warns and returns false locally so the caller can skip.
 */
export function requireTools(): boolean {
  const missing = missingTools();
  if (missing.length === 0) return true;
  const msg = `${missing.join(' and ')} not installed: run 'bash scripts/install-test-deps.sh' (as root: apt-get install -y ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`skipping tests that build images: ${msg}`);
  return false;
}

/** Runs a tool; resolves with stdout, rejects with its stderr. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: opts.cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.toString('utf8').trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

interface LayoutIndex {
  schemaVersion: number;
  manifests: { mediaType: string; digest: string; size: number; annotations?: Record<string, string>; platform?: object }[];
}

export async function createLayout(): Promise<OciLayout> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-oci-'));
  const layout = path.join(dir, 'layout');
  const rootless = typeof process.getuid === 'function' && process.getuid() !== 0 ? ['--rootless'] : [];
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:base`]);
  const file = path.join(dir, 'hello.txt');
  fs.writeFileSync(file, 'container-guard test image\n');
  await run('umoci', ['insert', ...rootless, '--image', `${layout}:base`, file, '/etc/container-guard-test.txt']);

  const readIndex = (): LayoutIndex => JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8')) as LayoutIndex;
  const blob = (digest: string) => fs.readFileSync(path.join(layout, 'blobs', ...digest.split(':')));
  const tagged = (tag: string): BuiltImage => {
    const entry = readIndex().manifests.find((m) => m.annotations?.[REF_NAME] === tag);
    if (!entry) throw new Error(`no tag ${tag} in ${layout}`);
    const bytes = blob(entry.digest);
    if (sha256(bytes) !== entry.digest) throw new Error(`${layout}: blob ${entry.digest} is corrupt`);
    return { tag, digest: entry.digest, size: entry.size, mediaType: entry.mediaType, bytes };
  };

  return {
    layout,
    async image(tag, opts = {}) {
      const platform = opts.platform ?? 'linux/amd64';
      const [osName, arch] = platform.split('/');
      await run('umoci', [
        'config',
        '--image',
        `${layout}:base`,
        '--tag',
        tag,
        '--os',
        osName!,
        '--architecture',
        arch!,
        '--config.label',
        `seed=${opts.seed ?? tag}`
      ]);
      return { ...tagged(tag), platform };
    },
    async index(tag, images) {
      const manifests = images.map((img) => {
        const [osName, architecture, variant] = (img.platform ?? 'linux/amd64').split('/');
        return {
          mediaType: img.mediaType,
          digest: img.digest,
          size: img.size,
          platform: { architecture, os: osName, ...(variant ? { variant } : {}) }
        };
      });
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
      const digest = sha256(bytes);
      fs.writeFileSync(path.join(layout, 'blobs', ...digest.split(':')), bytes);
      const top = readIndex();
      top.manifests = top.manifests.filter((m) => m.annotations?.[REF_NAME] !== tag);
      top.manifests.push({ mediaType: OCI_INDEX, digest, size: bytes.length, annotations: { [REF_NAME]: tag } });
      fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify(top));
      return { ...tagged(tag), platforms: images.map((img) => ({ platform: img.platform ?? 'linux/amd64', digest: img.digest })) };
    },
    async push(tag, dest) {
      const creds = dest.creds ? ['--dest-creds', `${dest.creds.username}:${dest.creds.password}`] : ['--dest-no-creds'];
      await run('skopeo', [
        '--insecure-policy',
        'copy',
        '--quiet',
        '--preserve-digests',
        '--dest-tls-verify=false',
        ...creds,
        ...(dest.all ? ['--all'] : []),
        `oci:${layout}:${tag}`,
        `docker://${dest.host}/${dest.repo}:${dest.tag ?? tag}`
      ]);
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

const inspectCreds = (creds?: Credentials) => (creds ? ['--creds', `${creds.username}:${creds.password}`] : ['--no-creds']);

/** `skopeo inspect --format '{{.Digest}}'`: the digest skopeo computes for what the registry serves. */
export async function skopeoDigest(host: string, repoAndTag: string, creds?: Credentials): Promise<string> {
  const out = await run('skopeo', ['inspect', '--tls-verify=false', ...inspectCreds(creds), '--format', '{{.Digest}}', `docker://${host}/${repoAndTag}`]);
  return out.toString('utf8').trim();
}

/** `skopeo inspect --raw`: the exact manifest bytes the registry serves. */
export async function skopeoRaw(host: string, repoAndTag: string, creds?: Credentials): Promise<Buffer> {
  return run('skopeo', ['inspect', '--tls-verify=false', ...inspectCreds(creds), '--raw', `docker://${host}/${repoAndTag}`]);
}
