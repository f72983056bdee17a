/**
 * Docker config.json credentials (src/io/docker-config.ts, src/io/verify-setup.ts): parsing is pure and
 * table-driven; credential helpers are run for real (small `docker-credential-*` scripts on a temp PATH),
 * and the credentials they hand out are used against the real docker-registry with Bearer tokens and the
 * OAuth2 identity-token grant (referrers proxy's token service).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseImageRef, type ImageRef } from '../src/core/image-ref.js';
import { credentialsFor, normalizeRegistryHost, parseDockerConfig, runCredentialHelper } from '../src/io/docker-config.js';
import { createRegistryClient, RegistryError } from '../src/io/registry/client.js';
import { defaultDockerConfig, parseDuration, setupCredentials } from '../src/io/verify-setup.js';
import { runAction } from './helpers/actions.js';
import { RUNTIMES } from './helpers/node-runtimes.js';
import { startReferrersProxy, type ReferrersProxy } from './helpers/referrers-proxy.js';
import { BASIC_PASSWORD, BASIC_USER, requireRegistry, startRegistry, type TestRegistry } from './helpers/registry.js';

const FILE = '/home/ci/.docker/config.json';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const parse = (config: unknown) => parseDockerConfig(JSON.stringify(config), FILE);

describe('normalizeRegistryHost', () => {
  test.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://registry-1.docker.io/v2/', 'docker.io'],
    ['registry.hub.docker.com', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['HTTPS://GHCR.IO/v2/', 'ghcr.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['localhost:5000/', 'localhost:5000'],
    ['quay.io/acme', 'quay.io'],
    ['  registry.example.com  ', 'registry.example.com']
  ])('%s → %s', (key, host) => {
    expect(normalizeRegistryHost(key)).toBe(host);
  });
});

describe('parseDockerConfig: credentials', () => {
  test.each<[string, unknown, Record<string, { username: string; password: string }>]>([
    [
      'auth (base64 user:password)',
      { auths: { 'ghcr.io': { auth: b64('octo:ghp_token123') } } },
      { 'ghcr.io': { username: 'octo', password: 'ghp_token123' } }
    ],
    [
      'a password with colons: split at the first one',
      { auths: { 'ghcr.io': { auth: b64('octo:pa:ss:word') } } },
      { 'ghcr.io': { username: 'octo', password: 'pa:ss:word' } }
    ],
    [
      'username / password fields',
      { auths: { 'quay.io': { username: 'robot+ci', password: 'Q9x' } } },
      { 'quay.io': { username: 'robot+ci', password: 'Q9x' } }
    ],
    [
      'auth wins over username/password (as in the Docker CLI)',
      { auths: { 'quay.io': { auth: b64('a:b'), username: 'c', password: 'd' } } },
      { 'quay.io': { username: 'a', password: 'b' } }
    ],
    [
      "Docker Hub's legacy key",
      { auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } } },
      { 'docker.io': { username: 'hubuser', password: 'hubpass' } }
    ],
    [
      'keys with scheme and path → the host as written in references',
      { auths: { 'https://ghcr.io': { auth: b64('g:1') }, 'http://127.0.0.1:5000/v2/': { auth: b64('l:2') } } },
      { 'ghcr.io': { username: 'g', password: '1' }, '127.0.0.1:5000': { username: 'l', password: '2' } }
    ],
    [
      'the bare host wins over a normalized key for the same registry',
      { auths: { 'https://ghcr.io/v2/': { auth: b64('old:1') }, 'ghcr.io': { auth: b64('new:2') } } },
      { 'ghcr.io': { username: 'new', password: '2' } }
    ],
    [
      'several registries',
      { auths: { 'ghcr.io': { auth: b64('g:1') }, 'docker.io': { auth: b64('d:2') }, 'registry.gitlab.com': { username: 'gl', password: '3' } } },
      { 'ghcr.io': { username: 'g', password: '1' }, 'docker.io': { username: 'd', password: '2' }, 'registry.gitlab.com': { username: 'gl', password: '3' } }
    ],
    ['no auths at all', {}, {}],
    ['an empty entry (what a credential store leaves behind)', { auths: { 'ghcr.io': {} } }, {}],
    [
      'a __proto__ key is just a (bad) host name',
      JSON.parse('{"auths":{"__proto__":{"auth":"' + b64('x:y') + '"}}}'),
      JSON.parse('{"__proto__":{"username":"x","password":"y"}}') as Record<string, { username: string; password: string }>
    ]
  ])('%s', (_name, config, credentials) => {
    const r = parse(config);
    expect(r.credentials).toEqual(credentials);
    expect(Object.getPrototypeOf(r.credentials)).toBe(Object.prototype);
  });
});

describe('parseDockerConfig: helpers and identity tokens are data (nothing is run)', () => {
  test('credsStore and credHelpers: per host, the key kept as the server URL to ask for', () => {
    const r = parse({
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'https://123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
      auths: { 'https://index.docker.io/v1/': {} }
    });
    expect(r).toEqual({
      credentials: {},
      credsStore: 'desktop',
      credHelpers: {
        'gcr.io': { helper: 'gcloud', key: 'gcr.io' },
        '123.dkr.ecr.us-east-1.amazonaws.com': { helper: 'ecr-login', key: 'https://123.dkr.ecr.us-east-1.amazonaws.com' }
      },
      warnings: []
    });
  });

  test('an identity token (OAuth2 refresh token) is kept for the token exchange', () => {
    const r = parse({ auths: { 'myacr.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'eyJhbGciOi.refresh.token' } } });
    expect(r.credentials).toEqual({
      'myacr.azurecr.io': { username: '00000000-0000-0000-0000-000000000000', password: '', identityToken: 'eyJhbGciOi.refresh.token' }
    });
    expect(r.warnings).toEqual([]);
  });

  test.each([['../bin/sh'], ['/usr/bin/evil'], ['a b'], ['-rf']])('a helper name that is a path or an option (%s) is not used', (name) => {
    const r = parse({ credsStore: name, credHelpers: { 'gcr.io': name } });
    expect(r.credsStore).toBeUndefined();
    expect(r.credHelpers).toEqual({});
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings.join('\n')).toMatch(/not a credential helper name[\s\S]*does not name a registry and a credential helper/);
  });
});

describe('parseDockerConfig: warnings', () => {
  test.each<[string, unknown, RegExp[]]>([
    [
      'a registry token: the advice names only inputs and variables that exist',
      { auths: { 'r.example': { registrytoken: 'tok-abc' } } },
      [
        /'r\.example' holds a registry token.*registry-username\/registry-password inputs \(CLI: CONTAINER_GUARD_REGISTRY_USERNAME\/CONTAINER_GUARD_REGISTRY_PASSWORD\)$/
      ]
    ],
    ['auth that is not base64', { auths: { 'ghcr.io': { auth: 'not base64!!' } } }, [/'ghcr\.io': 'auth' is not base64 of user:password/]],
    ['auth without a colon', { auths: { 'ghcr.io': { auth: b64('justuser') } } }, [/'auth' is not base64 of user:password/]],
    ['auth with an empty password', { auths: { 'ghcr.io': { auth: b64('user:') } } }, [/'ghcr\.io' has no password/]],
    ['a username alone', { auths: { 'quay.io': { username: 'robot' } } }, [/'quay\.io' has a username without a password/]],
    ['an entry that is not an object', { auths: { 'quay.io': 'robot:pw' } }, [/'quay\.io' is not an object/]],
    ['a key without a host', { auths: { 'https://': { auth: b64('a:b') } } }, [/'https:\/\/' names no registry host/]],
    [
      'two entries for one host with different credentials',
      { auths: { 'https://ghcr.io': { auth: b64('a:1') }, 'http://ghcr.io/v2/': { auth: b64('b:2') } } },
      [/'https:\/\/ghcr\.io' and 'http:\/\/ghcr\.io\/v2\/' are both for ghcr\.io: using 'https:\/\/ghcr\.io'/]
    ]
  ])('%s', (_name, config, expected) => {
    const r = parse(config);
    expect(r.warnings).toHaveLength(expected.length);
    expected.forEach((re, i) => {
      expect(r.warnings[i]).toMatch(re);
      expect(r.warnings[i]!.startsWith(`${FILE}: `)).toBe(true);
    });
  });

  test('warnings never carry a secret', () => {
    const secrets = ['eyJhbGciOi.refresh.token', 'tok-abc', 'pw-in-bad-entry', 'not-b64-secret!'];
    const r = parse({
      credsStore: 'pass',
      auths: {
        a: { identitytoken: secrets[0] },
        b: { registrytoken: secrets[1] },
        c: { password: secrets[2] },
        d: { auth: secrets[3] }
      }
    });
    expect(r.warnings).toHaveLength(3);
    for (const s of secrets) expect(r.warnings.join('\n')).not.toContain(s);
    // no warning names a flag the CLI does not have
    expect(r.warnings.join('\n')).not.toMatch(/--username|--password/);
  });
});

describe('parseDockerConfig: errors name the file', () => {
  test.each([
    ['not JSON', '{"auths": {', /^\/home\/ci\/\.docker\/config\.json: not valid JSON \(at position \d+\): not a Docker config\.json$/],
    ['a JSON array', '[]', /config\.json: not a JSON object/],
    ['auths not an object', '{"auths": []}', /config\.json: 'auths' is not an object/],
    ['credHelpers not an object', '{"credHelpers": "gcloud"}', /config\.json: 'credHelpers' is not an object/]
  ])('%s', (_name, text, message) => {
    expect(() => parseDockerConfig(text, FILE)).toThrow(message);
  });

  test('the JSON error does not quote the file (it holds secrets)', () => {
    const text = `{"auths": {"ghcr.io": {"auth": "${b64('u:topsecret')}"}`;
    expect(() => parseDockerConfig(text, FILE)).toThrow(/not valid JSON/);
    try {
      parseDockerConfig(text, FILE);
    } catch (e) {
      expect((e as Error).message).not.toContain(b64('u:topsecret'));
      expect((e as Error).cause).toBeUndefined();
    }
  });

  test('a UTF-8 byte order mark is allowed', () => {
    expect(parseDockerConfig(`\uFEFF{"auths":{"ghcr.io":{"auth":"${b64('a:b')}"}}}`, FILE).credentials).toEqual({
      'ghcr.io': { username: 'a', password: 'b' }
    });
  });
});

describe('credentialsFor', () => {
  const { credentials } = parse({
    auths: { 'https://index.docker.io/v1/': { auth: b64('hub:1') }, 'ghcr.io': { auth: b64('gh:2') }, '127.0.0.1:5000': { auth: b64('lo:3') } }
  });
  test.each([
    ['docker.io', 'hub'],
    ['index.docker.io', 'hub'],
    ['registry-1.docker.io', 'hub'],
    ['Docker.IO', 'hub'],
    ['ghcr.io', 'gh'],
    ['GHCR.io', 'gh'],
    ['127.0.0.1:5000', 'lo'],
    ['127.0.0.1:5001', undefined],
    ['quay.io', undefined],
    ['constructor', undefined],
    ['__proto__', undefined]
  ])('%s → %s', (registry, username) => {
    expect(credentialsFor(registry, credentials)?.username).toBe(username);
  });
});

describe('parseDuration', () => {
  test.each([
    ['30', 30_000],
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1.5s', 1500],
    ['', undefined],
    [undefined, undefined]
  ])('%s → %s', (text, ms) => expect(parseDuration(text, '--registry-timeout')).toBe(ms));
  test.each([['0'], ['-1'], ['30h'], ['soon'], ['25m0']])('%s is a usage error naming the setting', (text) => {
    expect(() => parseDuration(text, '--deadline')).toThrow(/^--deadline: ".*" is not a duration/);
  });
});

/** A temp dir on PATH with `docker-credential-<name>` shell scripts. */
function helperDir(scripts: Record<string, string>): { dir: string; env: NodeJS.ProcessEnv; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cred-helpers-'));
  const log = path.join(dir, 'asked.log');
  for (const [name, body] of Object.entries(scripts)) {
    const file = path.join(dir, `docker-credential-${name}`);
    fs.writeFileSync(file, `#!/bin/sh\nLOG=${JSON.stringify(log)}\n${body}\n`);
    fs.chmodSync(file, 0o755);
  }
  return { dir, log, env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } };
}

describe('runCredentialHelper (real processes)', () => {
  const h = helperDir({
    good: `[ "$1" = get ] || exit 3; read -r server; echo "$server" >> "$LOG"; printf '{"ServerURL":"%s","Username":"robot","Secret":"helper-Secret-1"}' "$server"`,
    token: `read -r server; printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-Tok-9"}' "$server"`,
    none: `read -r server; echo "credentials not found in native keychain"; exit 1`,
    broken: `echo "helper-Secret-leak" >&2; exit 7`,
    hang: `sleep 20`,
    chatty: `head -c 200000 /dev/zero | tr '\\0' x`,
    notjson: `echo "hello helper-Secret-2"`
  });
  afterAll(() => fs.rmSync(h.dir, { recursive: true, force: true }));
  const run = (name: string, extra = {}) => runCredentialHelper(name, 'ghcr.io', { env: h.env, origin: 'credsStore in cfg.json', ...extra });

  test('`get` with the server URL on stdin; user <token> means an identity token', async () => {
    expect(await run('good')).toEqual({ username: 'robot', password: 'helper-Secret-1' });
    expect(fs.readFileSync(h.log, 'utf8')).toBe('ghcr.io\n');
    expect(await run('token')).toEqual({ username: '<token>', password: '', identityToken: 'refresh-Tok-9' });
  });

  test('"credentials not found" is no credentials, not an error', async () => {
    expect(await run('none')).toBeUndefined();
  });

  test.each([
    ['missing', /^credential helper docker-credential-missing \(credsStore in cfg\.json\) is not installed \(not found on PATH\)/],
    ['broken', /^credential helper docker-credential-broken \(credsStore in cfg\.json\) failed \(exit 7\) for ghcr\.io$/],
    ['chatty', /answered more than 65536 bytes$/],
    ['notjson', /did not answer JSON for ghcr\.io$/]
  ])('%s: a clear error naming the helper, never its output', async (name, message) => {
    const e = await run(name).then(
      () => undefined,
      (x: Error) => x
    );
    expect(e?.message).toMatch(message);
    expect(e?.message).not.toMatch(/helper-Secret/);
  });

  test('a helper that hangs is killed after the timeout', async () => {
    const t = Date.now();
    await expect(run('hang', { timeoutMs: 300 })).rejects.toThrow(/docker-credential-hang \(credsStore in cfg\.json\) did not answer within 0\.3 s/);
    expect(Date.now() - t).toBeLessThan(5000);
  });
});

const withRegistry = requireRegistry() ? describe : describe.skip;

withRegistry('Docker config credentials against the real registry', () => {
  let reg: TestRegistry;
  let oauth: ReferrersProxy;
  let plain: TestRegistry;
  const IDENTITY = 'acr-Refresh-Token-0123456789';
  const ref = (t: string): ImageRef => parseImageRef(t)!;
  let h: ReturnType<typeof helperDir>;
  beforeAll(async () => {
    [reg, plain] = await Promise.all([startRegistry({ auth: 'bearer' }), startRegistry()]);
    oauth = await startReferrersProxy(plain, { bearer: { username: 'acr-user', password: 'unused-Pw-1', identityToken: IDENTITY } });
    await reg.pushImage('cfg/app', 'v1');
    await oauth.pushImage('cfg/oauth', 'v1');
    h = helperDir({
      store: `read -r server; echo "$server" >> "$LOG"; printf '{"ServerURL":"%s","Username":"${BASIC_USER}","Secret":"${BASIC_PASSWORD}"}' "$server"`,
      acr: `read -r server; printf '{"ServerURL":"%s","Username":"<token>","Secret":"${IDENTITY}"}' "$server"`
    });
  });
  afterAll(async () => {
    await oauth?.stop();
    await Promise.all([reg?.stop(), plain?.stop()]);
    if (h) fs.rmSync(h.dir, { recursive: true, force: true });
  });

  function configFile(config: unknown): { cwd: string; file: string } {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-docker-config-'));
    fs.writeFileSync(path.join(cwd, 'config.json'), JSON.stringify(config));
    return { cwd, file: 'config.json' };
  }

  test('credsStore: the helper is run once per registry and its credentials reach the token service', async () => {
    const { cwd, file } = configFile({ credsStore: 'store', auths: { [reg.host]: {} } });
    const masked: string[] = [];
    const s = setupCredentials({ cwd, dockerConfig: file, env: h.env, onSecret: (x) => masked.push(x) }, [reg.host]);
    const before = reg.tokenRequests.length;
    const c = createRegistryClient({ insecure: true, credentials: s.credentials });
    await Promise.all([
      c.resolve(ref(`${reg.host}/cfg/app:v1`)),
      c.resolve(ref(`${reg.host}/cfg/app:v1`)),
      c.resolve(ref(`${reg.host}/cfg/app:v2`)).catch(() => undefined)
    ]);
    expect(reg.tokenRequests.slice(before)).toEqual([{ scope: 'repository:cfg/app:pull', service: expect.any(String), user: BASIC_USER }]);
    expect(fs.readFileSync(h.log, 'utf8')).toBe(`${reg.host}\n`);
    expect(masked).toEqual([BASIC_PASSWORD]);
  });

  test('credHelpers: a missing helper fails the registry with a message naming it (not a pass, not a flag)', async () => {
    const { cwd, file } = configFile({ credHelpers: { [reg.host]: 'nosuchhelper' } });
    const s = setupCredentials({ cwd, dockerConfig: file, env: h.env }, [reg.host]);
    const e = await createRegistryClient({ insecure: true, credentials: s.credentials })
      .resolve(ref(`${reg.host}/cfg/app:v1`))
      .then(
        () => undefined,
        (x: unknown) => x
      );
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as RegistryError).detail).toBe(
      `credential helper docker-credential-nosuchhelper (credHelpers in config.json) is not installed (not found on PATH): install it, or remove it from the Docker config`
    );
  });

  test('identitytoken in auths: exchanged as an OAuth2 refresh token (POST grant_type=refresh_token), never as Basic', async () => {
    const { cwd, file } = configFile({ auths: { [oauth.host]: { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: IDENTITY } } });
    const s = setupCredentials({ cwd, dockerConfig: file }, [oauth.host]);
    expect(s.secrets).toContain(IDENTITY);
    const before = oauth.tokenRequests.length;
    const r = await createRegistryClient({ insecure: true, credentials: s.credentials }).resolve(ref(`${oauth.host}/cfg/oauth:v1`));
    expect(r.found).toBe(true);
    expect(oauth.tokenRequests.slice(before)).toEqual([{ scope: 'repository:cfg/oauth:pull', user: 'acr-user (oauth)', granted: true }]);
    expect(oauth.requests.filter((x) => x.url.startsWith('/token')).every((x) => x.method === 'POST' && x.auth === undefined)).toBe(true);
  });

  test('a helper answering user <token>: the same OAuth2 exchange; a wrong token is a clear error', async () => {
    const { cwd, file } = configFile({ credHelpers: { [oauth.host]: 'acr' } });
    const s = setupCredentials({ cwd, dockerConfig: file, env: h.env }, [oauth.host]);
    expect((await createRegistryClient({ insecure: true, credentials: s.credentials }).resolve(ref(`${oauth.host}/cfg/oauth:v1`))).found).toBe(true);
    const bad = createRegistryClient({
      insecure: true,
      credentials: { [oauth.host]: { username: '<token>', password: '', identityToken: 'revoked-Token-1' } }
    });
    const e = await bad.resolve(ref(`${oauth.host}/cfg/oauth:v1`)).then(
      () => undefined,
      (x: RegistryError) => x
    );
    expect(e?.detail).toBe('authentication failed: the token service rejected the identity token (log in again)');
    expect(e?.message).not.toContain('revoked-Token-1');
  });

  test('the default Docker config: $DOCKER_CONFIG/config.json, else ~/.docker/config.json, only when it exists', () => {
    const { cwd } = configFile({ auths: {} });
    expect(defaultDockerConfig({ DOCKER_CONFIG: cwd })).toBe(path.join(cwd, 'config.json'));
    expect(defaultDockerConfig({ DOCKER_CONFIG: path.join(cwd, 'nope') })).toBeUndefined();
  });
});

withRegistry.each(RUNTIMES)('the bundled verify action on %s reads the Docker config docker/login-action wrote', (_label, node) => {
  // Basic auth: the registry is its own process, so the action can run synchronously (runAction).
  let reg: TestRegistry;
  let home: string;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    await reg.pushImage('login/app', 'v1');
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-action-home-'));
  });
  afterAll(async () => {
    await reg?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('~/.docker/config.json by default, $DOCKER_CONFIG when set; without it the image fails', () => {
    const image = `${reg.host}/login/app:v1`;
    const ws = fs.mkdtempSync(path.join(home, 'ws-'));
    const without = runAction('verify', ws, { images: image }, { node, env: { HOME: home } });
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(/authentication required/);

    fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: b64(`${BASIC_USER}:${BASIC_PASSWORD}`) } } }));
    const withHome = runAction('verify', ws, { images: image }, { node, env: { HOME: home } });
    expect(withHome.code).toBe(0);
    expect(withHome.outputs.verified).toBe('1');
    // masked (the runner's ::add-mask:: command carries it, by design), and printed nowhere else
    expect(withHome.stdout).toContain(`::add-mask::${BASIC_PASSWORD}`);
    expect(withHome.stdout.replace(`::add-mask::${BASIC_PASSWORD}`, '')).not.toContain(BASIC_PASSWORD);

    // DOCKER_CONFIG wins over HOME (a broken HOME config proves it is not read)
    const other = fs.mkdtempSync(path.join(home, 'dc-'));
    fs.copyFileSync(path.join(home, '.docker', 'config.json'), path.join(other, 'config.json'));
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), '{"auths": {');
    const viaEnv = runAction('verify', ws, { images: image }, { node, env: { HOME: home, DOCKER_CONFIG: other } });
    expect(viaEnv.code).toBe(0);
    const broken = runAction('verify', ws, { images: image }, { node, env: { HOME: home } });
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(/config\.json: not valid JSON/);
  });
});
