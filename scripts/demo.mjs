// `npm run demo`: the bundled CLI on the bundled examples, exactly as a user would run it.
//   1. lint every Dockerfile under examples/ (findings are expected; it never fails on them);
//   2. gate a sample Trivy report with the policy, VEX and ignores in examples/.container-guard.yml
//      (it fails on one critical finding with a fix: that is the point of the example);
//   3. verify a keyless Sigstore bundle offline (see below). Registry checks (verify --image) need a registry.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve('dist/cli/index.js');
const cwd = path.resolve('examples');
const step = (title, args, ok) => {
  console.log(`\n$ container-guard ${args.join(' ')}    # ${title}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: 'inherit' });
  if (!ok.includes(r.status)) {
    console.error(`demo: container-guard exited with ${r.status}`);
    process.exit(r.status ?? 2);
  }
  console.log(`(exit ${r.status})`);
};
step('lint the example Dockerfiles', ['lint', '.', '--config', '.container-guard.yml', '--fail-on', 'none', '--shellcheck', 'off'], [0]);
step('gate a scanner report against the policy', ['gate', '--report', 'gate/trivy-api.json', '--config', '.container-guard.yml'], [0, 1]);
// 3. verify a Sigstore bundle fully offline (the verify half of the sigstore-conformance protocol) against the
//    example trusted root: the same @sigstore/verify path the verify action uses for keyless image signatures.
const identity = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const issuer = 'https://token.actions.githubusercontent.com';
step(
  'verify a keyless Sigstore bundle offline',
  [
    'verify-bundle',
    '--bundle',
    'verify/release.txt.sigstore.json',
    '--certificate-identity',
    identity,
    '--certificate-oidc-issuer',
    issuer,
    '--trusted-root',
    'verify/trusted_root.json',
    'verify/release.txt'
  ],
  [0]
);
