/**
 * Loading the Sigstore trusted root: a user's file, else the public-good root shipped offline.
 * Refreshing it over TUF is in trusted-root-refresh.ts, which only the CLI's explicit command loads.
 */
import fs from 'node:fs';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { parseTrustedRoot, publicGoodTrustedRoot, TrustedRootError } from '../core/verify/trusted-root.js';

/** The trusted root in `file`, or Sigstore public-good when no file is given. Throws TrustedRootError. */
export function loadTrustedRoot(file?: string): TrustedRoot {
  if (file === undefined) return publicGoodTrustedRoot();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TrustedRootError(`trusted root ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseTrustedRoot(text, file);
}
