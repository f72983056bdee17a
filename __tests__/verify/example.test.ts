/** The bundled offline Sigstore example verifies, and stops verifying when the artifact or the identity changes. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@jest/globals';
import { runVerifyBundle } from '../../src/io/verify-bundle.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const dir = path.join(REPO_ROOT, 'examples', 'verify');
const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

test.each<[string, string, Record<string, Buffer>, number]>([
  ['the example as shipped', IDENTITY, {}, 0],
  ['another identity', 'https://github.com/acme/api/.github/workflows/other.yml@refs/heads/main', {}, 1],
  ['a changed artifact', IDENTITY, { 'release.txt': Buffer.from('something else\n') }, 1]
])('%s', async (_name, identity, overrides, code) => {
  let stderr = '';
  const got = await runVerifyBundle(
    [
      '--bundle',
      'release.txt.sigstore.json',
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      ISSUER,
      '--trusted-root',
      'trusted_root.json',
      'release.txt'
    ],
    { readFile: (f) => overrides[f] ?? fs.readFileSync(path.join(dir, f)), stdout: () => undefined, stderr: (t) => (stderr += t) }
  );
  expect(got).toBe(code);
  if (code !== 0) expect(stderr).toMatch(/^verify-bundle: /);
});
