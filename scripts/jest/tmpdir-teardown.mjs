// Removes the run's temporary folder (see tmpdir-setup.mjs); kept when CG_KEEP_TMP=1, for debugging.
import fs from 'node:fs';

export default function teardown() {
  const dir = process.env.CG_JEST_TMPDIR;
  if (!dir || process.env.CG_KEEP_TMP === '1') return;
  fs.rmSync(dir, { recursive: true, force: true });
}
