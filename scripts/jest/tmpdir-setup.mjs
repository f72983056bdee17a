// One temporary folder per test run: every test (and every process a test starts) writes its temporary files
// under it, because os.tmpdir() follows TMPDIR; the teardown removes it, so runs do not fill /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-jest-'));
  process.env.CG_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
