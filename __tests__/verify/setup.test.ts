/** Registry credentials for verify: explicit ones go to one registry only; Docker config ones per host. */
import { describe, expect, test } from '@jest/globals';
import { UsageError } from '../../src/io/lint-run.js';
import { setupCredentials } from '../../src/io/verify-setup.js';
import { makeTree } from '../helpers/fixtures.js';

const creds = { username: 'bot', password: 'tok3n' };

describe('setupCredentials', () => {
  test.each<[string, string | undefined, string[], Record<string, boolean>]>([
    ['one registry, none named: sent to it only', undefined, ['ghcr.io', 'ghcr.io'], { 'ghcr.io': true, 'docker.io': false }],
    ['named registry among several', 'ghcr.io', ['ghcr.io', 'docker.io'], { 'ghcr.io': true, 'docker.io': false, 'quay.io': false }],
    ['Docker Hub aliases are one registry', 'https://index.docker.io/v1/', ['docker.io'], { 'docker.io': true, 'registry-1.docker.io': true, 'ghcr.io': false }]
  ])('%s', (_name, registry, registries, expected) => {
    const s = setupCredentials({ cwd: '.', ...creds, registry }, registries);
    for (const [host, sent] of Object.entries(expected)) expect(s.credentials(host)).toEqual(sent ? creds : undefined);
    expect(s.secrets).toEqual(['tok3n']);
  });

  test('several registries and none named is a usage error, not a leak', () => {
    expect(() => setupCredentials({ cwd: '.', ...creds }, ['ghcr.io', 'docker.io'])).toThrow(UsageError);
    expect(() => setupCredentials({ cwd: '.', ...creds }, ['ghcr.io', 'docker.io'])).toThrow(/name the registry they are for/);
  });

  test('username without password is a usage error', () => {
    expect(() => setupCredentials({ cwd: '.', username: 'bot' }, ['ghcr.io'])).toThrow(/go together/);
  });

  test('Docker config credentials per host; their passwords are masked too', () => {
    const auth = Buffer.from('cfg:pw-from-config').toString('base64');
    const cwd = makeTree({ 'config.json': JSON.stringify({ auths: { 'quay.io': { auth } } }) });
    const s = setupCredentials({ cwd, dockerConfig: 'config.json' }, ['quay.io']);
    expect(s.credentials('quay.io')).toEqual({ username: 'cfg', password: 'pw-from-config' });
    expect(s.credentials('ghcr.io')).toBeUndefined();
    expect(s.secrets).toEqual(['pw-from-config']);
  });
});
