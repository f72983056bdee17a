/**
 * The only code that talks to Sigstore's TUF repository: an explicit opt-in (`container-guard
 * trusted-root --refresh`), never run by verify itself, and kept out of the action bundles: it imports
 * `@sigstore/tuf` lazily, so verification stays offline and a normal run never loads the TUF client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { parseTrustedRoot } from '../core/verify/trusted-root.js';

/**
 * Fetches the current public-good trusted root through TUF (root of trust: the TUF root in
 * @sigstore/tuf's seeds), caching TUF metadata in `cacheDir`, and writes it to
 * `<cacheDir>/trusted_root.json` so later runs can pass it with `--trusted-root` and stay offline.
 */
export async function refreshTrustedRoot(cacheDir: string): Promise<{ trustedRoot: TrustedRoot; file: string }> {
  const { getTrustedRoot } = await import('@sigstore/tuf');
  const fetched = await getTrustedRoot({ cachePath: cacheDir });
  const file = path.join(cacheDir, 'trusted_root.json');
  const text = JSON.stringify(TrustedRoot.toJSON(fetched), null, 2) + '\n';
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(file, text);
  // Same checks as a user's file: what we hand on is what `--trusted-root` would accept.
  return { trustedRoot: parseTrustedRoot(text, file), file };
}
