/**
 * Docker config.json credentials (src/io/docker-config.ts): pure, table-driven. Nothing is ever run:
 * credential helpers only produce warnings.
 */
import { describe, expect, test } from '@jest/globals';
import { credentialsFor, normalizeRegistryHost, parseDockerConfig } from '../src/io/docker-config.js';

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

describe('parseDockerConfig: warnings (nothing is run)', () => {
  test.each<[string, unknown, RegExp[]]>([
    [
      'credsStore',
      { credsStore: 'desktop', auths: { 'https://index.docker.io/v1/': {} } },
      [/credential helper docker-credential-desktop \(credsStore\) is not used/]
    ],
    [
      'credHelpers: one warning per registry, naming the helper',
      { credHelpers: { 'gcr.io': 'gcloud', '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' } },
      [/docker-credential-gcloud for gcr\.io \(credHelpers\) is not used/, /docker-credential-ecr-login for 123\.dkr\.ecr\.us-east-1\.amazonaws\.com/]
    ],
    [
      'an identity token',
      { auths: { 'myacr.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'eyJhbGciOi.refresh.token' } } },
      [/'myacr\.azurecr\.io' holds an identity token .* not supported: pass registry-username\/registry-password/]
    ],
    ['a registry token', { auths: { 'r.example': { registrytoken: 'tok-abc' } } }, [/'r\.example' holds a registry token/]],
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
    expect(r.warnings).toHaveLength(5);
    for (const s of secrets) expect(r.warnings.join('\n')).not.toContain(s);
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
