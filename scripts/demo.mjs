// `npm run demo`: lint the bundled examples with the committed CLI bundle,
// exactly as a user would run it. Findings are expected, so it never fails on them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve('dist/cli/index.js');
const r = spawnSync(process.execPath, [cli, 'lint', '.', '--config', '.container-guard.yml', '--fail-on', 'none'], {
  cwd: path.resolve('examples'),
  stdio: 'inherit'
});
if (r.status !== 0) {
  console.error(`demo: container-guard exited with ${r.status}`);
  process.exit(r.status ?? 2);
}
