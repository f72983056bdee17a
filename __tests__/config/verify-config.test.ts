/** The `verify:` section: parsing, defaults, errors with their lines, key checks and extends layering. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../src/core/config/load.js';
import { defaultConfig, defaultVerifyConfig } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { checkKeySpec } from '../../src/core/config/load.js';
import type { VerifyConfig } from '../../src/core/verify/types.js';
import { loadConfig } from '../../src/io/config.js';
import { makeTree } from '../helpers/fixtures.js';

const FILE = '.container-guard.yml';
const NOW = new Date('2026-06-01T00:00:00Z');
const parse = (text: string) => parseConfig(text, FILE, BUILTIN_RULES, undefined, { now: NOW });

function errorOf(text: string): ConfigError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';
/** A PEM as a YAML block scalar item under `keys:` at `indent` spaces. */
const pemItem = (pem: string, indent: number) => {
  const pad = ' '.repeat(indent);
  return [
    `${pad}- pem: |`,
    ...pem
      .trim()
      .split('\n')
      .map((l) => `${pad}    ${l}`)
  ];
};

const ecPublicPem = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A self-signed EC P-256 certificate valid for one day from the real now (openssl: node cannot create certificates). */
function certificatePem(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cert-'));
  try {
    const out = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        out,
        '-subj',
        '/CN=cg-test',
        '-days',
        '1'
      ],
      { stdio: 'ignore' }
    );
    return fs.readFileSync(out, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('verify section: valid config', () => {
  it('parses every key to the VerifyConfig, with the lines of policies and keys', () => {
    const pem = ecPublicPem();
    const text = lines(
      'verify:', // 1
      '  trusted-root: sigstore/trusted_root.json', // 2
      '  default:', // 3
      '    require: [digest, pinned]', // 4
      '  policies:', // 5
      '    - images: ["ghcr.io/acme/**"]', // 6
      '      require: [digest, pinned, signature]', // 7
      '      keys:', // 8
      '        - keys/cosign.pub', // 9
      '        - path: keys/other.pub', // 10
      ...pemItem(pem, 8), // 11…
      '      keyless:',
      '        - issuer: https://token.actions.githubusercontent.com',
      '          identity: https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main',
      '          github: { repository: acme/api, ref: refs/heads/main, workflow: .github/workflows/release.yml, trigger: push, sha: 0123abc }',
      '        - issuer: https://accounts.google.com',
      '          identity-regexp: ^.*@acme\\.com$',
      '      count: 2',
      '      sign-scope: all',
      '    - images: nginx',
      '      require: []'
    );
    const pemLines = pemItem(pem, 8).length;
    const second = 11 + pemLines + 8;
    const expected: VerifyConfig = {
      trustedRoot: 'sigstore/trusted_root.json',
      default: { require: ['digest', 'pinned'], keys: [], keyless: [], count: 1, signScope: 'index', source: { file: FILE, line: 3 } },
      policies: [
        {
          images: ['ghcr.io/acme/**'],
          require: ['digest', 'pinned', 'signature'],
          keys: [
            { path: 'keys/cosign.pub', source: { file: FILE, line: 9 } },
            { path: 'keys/other.pub', source: { file: FILE, line: 10 } },
            { pem: `${pem.trim()}\n`, source: { file: FILE, line: 11 } }
          ],
          keyless: [
            {
              issuer: 'https://token.actions.githubusercontent.com',
              identity: 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main',
              github: { repository: 'acme/api', ref: 'refs/heads/main', workflow: '.github/workflows/release.yml', trigger: 'push', sha: '0123abc' }
            },
            { issuer: 'https://accounts.google.com', identityRegexp: '^.*@acme\\.com$' }
          ],
          count: 2,
          signScope: 'all',
          source: { file: FILE, line: 6 }
        },
        { images: ['nginx'], require: [], keys: [], keyless: [], count: 1, signScope: 'index', source: { file: FILE, line: second } }
      ]
    };
    expect(parse(text).verify).toEqual(expected);
  });

  it('no verify section is the built-in default: every image must resolve and keep its pinned digest', () => {
    expect(parse('').verify).toEqual(defaultVerifyConfig());
    expect(parse('rules: {}\n').verify).toEqual({
      policies: [],
      default: { require: ['digest'], keys: [], keyless: [], count: 1, signScope: 'index' }
    });
    expect(parse('verify: {}\n').verify).toEqual(defaultVerifyConfig());
  });

  it('a policy without require needs a digest; a default may be partial', () => {
    const v = parse(lines('verify:', '  default: { count: 1 }', '  policies:', '    - images: "*"')).verify;
    expect(v.default).toMatchObject({ require: ['digest'], count: 1, signScope: 'index' });
    expect(v.policies[0]).toMatchObject({ images: ['*'], require: ['digest'] });
  });

  it('a valid inline certificate is accepted', () => {
    const cert = certificatePem();
    const text = lines('verify:', '  policies:', '    - images: "**"', '      require: [signature]', '      keys:', ...pemItem(cert, 8));
    const v = parseConfig(text, FILE, BUILTIN_RULES, undefined, { now: new Date() }).verify;
    expect(v.policies[0].keys[0].pem).toContain('BEGIN CERTIFICATE');
  });
});

describe('verify section: errors name the line', () => {
  const sig = (...rest: string[]) => lines('verify:', '  policies:', '    - images: ["ghcr.io/acme/**"]', '      require: [signature]', ...rest);
  it.each([
    ['unknown key in verify', lines('verify:', '  policies: []', '  polices: []'), 3, /unknown key "polices"/],
    ['unknown key in a policy', sig('      keys: [k.pub]', '      sign_scope: all'), 6, /unknown key "sign_scope" in "verify\.policies\.0"/],
    ['unknown key in default', lines('verify:', '  default:', '    images: ["x"]'), 3, /unknown key "images" in "verify\.default"/],
    [
      'unknown key in a keyless signer',
      sig('      keyless:', '        - issuer: i', '          identity: x', '          subject: y'),
      8,
      /unknown key "subject"/
    ],
    ['unknown github claim', sig('      keyless:', '        - issuer: i', '          identity: x', '          github: { repo: a/b }'), 8, /unknown key "repo"/],
    ['unknown key in a key', sig('      keys:', '        - paht: k.pub'), 6, /unknown key "paht"/],
    ['policy without images', lines('verify:', '  policies:', '    - require: [digest]'), 3, /images/],
    [
      'unknown requirement',
      lines('verify:', '  policies:', '    - images: x', '      require: [digest, signed]'),
      4,
      /must be one of digest, pinned, signature/
    ],
    ['signature without keys', sig('      count: 1'), 3, /"verify\.policies\.0" requires "signature" but names no "keys" or "keyless"/],
    ['signature without keys in default', lines('verify:', '  default:', '    require: [signature]'), 2, /"verify\.default" requires "signature"/],
    ['signers without signature', lines('verify:', '  policies:', '    - images: x', '      keys: [k.pub]'), 3, /does not require "signature"/],
    [
      'identity and identity-regexp',
      sig('      keyless:', '        - issuer: i', '          identity: a', '          identity-regexp: b'),
      6,
      /exactly one of "identity" or "identity-regexp"/
    ],
    ['neither identity nor identity-regexp', sig('      keyless:', '        - issuer: i'), 6, /exactly one of "identity" or "identity-regexp"/],
    ['keyless without issuer', sig('      keyless:', '        - identity: a'), 6, /issuer/],
    [
      'bad identity-regexp',
      sig('      keyless:', '        - issuer: i', '          identity-regexp: "^https://(github"'),
      7,
      /invalid identity-regexp .*unterminated group/
    ],
    ['regexp closing the anchoring group', sig('      keyless:', '        - issuer: i', '          identity-regexp: "a)|(b"'), 7, /invalid identity-regexp/],
    ['count 0', sig('      keys: [k.pub]', '      count: 0'), 6, /"verify\.policies\.0\.count" must be >= 1/],
    ['count not an integer', sig('      keys: [k.pub]', '      count: 1.5'), 6, /count/],
    ['bad sign-scope', sig('      keys: [k.pub]', '      sign-scope: every'), 6, /must be one of index, platforms, all/],
    ['a key with path and pem', sig('      keys:', '        - { path: a.pub, pem: x }'), 6, /exactly one of "path" or "pem"/],
    ['an empty key object', sig('      keys:', '        - {}'), 6, /exactly one of "path" or "pem"/],
    ['malformed inline PEM', sig('      keys:', '        - pem: "not a key"'), 6, /malformed inline key: the key is not a PEM block/],
    [
      'a private key inline',
      sig(
        '      keys:',
        ...pemItem(crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 8)
      ),
      6,
      /malformed inline key: a private key was given/
    ],
    [
      'an RSA key inline',
      sig(
        '      keys:',
        ...pemItem(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), 8)
      ),
      6,
      /unsupported inline key: rsa keys are not supported/
    ],
    ['images an empty list', lines('verify:', '  policies:', '    - images: []'), 3, /images/],
    ['trusted-root not a string', lines('verify:', '  trusted-root: [a]'), 2, /trusted-root/]
  ])('%s', (_n, text, line, message) => {
    const e = errorOf(text);
    expect(e.file).toBe(FILE);
    expect(`${e.line}: ${e.message}`).toMatch(message);
    expect(e.line).toBe(line);
  });

  it('an inline certificate outside its validity is an error at the key line', () => {
    const cert = certificatePem();
    const text = lines('verify:', '  policies:', '    - images: "**"', '      require: [signature]', '      keys:', '        - k.pub', ...pemItem(cert, 8));
    const at = (now: Date) => {
      try {
        parseConfig(text, FILE, BUILTIN_RULES, undefined, { now });
      } catch (e) {
        if (e instanceof ConfigError) return `${e.line}: ${e.detail}`;
        throw e;
      }
      return 'no error';
    };
    expect(at(new Date(Date.now() + 3 * 86_400_000))).toMatch(/^7: expired certificate in inline key: the certificate expired at \d{4}-/);
    expect(at(new Date(Date.now() - 3 * 86_400_000))).toMatch(/^7: certificate of inline key is not valid yet: the certificate is not valid before /);
  });
});

describe('checkKeySpec (key files, read by the verify run)', () => {
  const spec = { path: 'keys/cosign.pem', source: { file: 'config/.container-guard.yml', line: 12 } };
  it('returns the key of a public key or a current certificate', () => {
    expect(checkKeySpec(ecPublicPem(), spec).asymmetricKeyType).toBe('ec');
    expect(checkKeySpec(certificatePem(), spec, new Date()).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
  it.each([
    [
      'an expired certificate',
      () => certificatePem(),
      new Date(Date.now() + 3 * 86_400_000),
      /^expired certificate in key keys\/cosign\.pem: the certificate expired at /
    ],
    ['not PEM', () => 'hello', undefined, /^malformed key keys\/cosign\.pem: the key is not a PEM block$/],
    ['a truncated public key', () => ecPublicPem().replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'), undefined, /^malformed key keys\/cosign\.pem/],
    [
      'a P-384 key',
      () => crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      undefined,
      /^unsupported key keys\/cosign\.pem: EC curve secp384r1 is not supported: use P-256$/
    ]
  ])('%s is a ConfigError at the line the key was written', (_n, pem, now, detail) => {
    let err: unknown;
    try {
      checkKeySpec(pem(), spec, now);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect([e.file, e.line]).toEqual(['config/.container-guard.yml', 12]);
    expect(e.detail).toMatch(detail);
    expect(e.message.startsWith('config/.container-guard.yml:12: ')).toBe(true);
  });
});

describe('verify section across extends', () => {
  const images = (v: VerifyConfig) => v.policies.map((p) => `${p.images.join(',')}@${p.source?.file}:${p.source?.line}`);

  it('the extending file’s policies come first (more specific), then the base’s; default and trusted-root replaced when set', async () => {
    const { config } = await loadConfig(
      makeTree({
        'org/base.yml': lines(
          'verify:',
          '  trusted-root: base-root.json',
          '  default:',
          '    require: [digest, pinned]',
          '  policies:',
          '    - images: ["ghcr.io/acme/**"]',
          '      require: [digest]',
          '    - images: ["**"]',
          '      require: [pinned]'
        ),
        'team.yml': lines('extends: ./org/base.yml', 'verify:', '  policies:', '    - images: ["ghcr.io/acme/team/**"]', '      require: [digest, pinned]'),
        '.container-guard.yml': lines(
          'extends: ./team.yml',
          'verify:',
          '  default:',
          '    require: [digest]',
          '  policies:',
          '    - images: ["ghcr.io/acme/team/api"]',
          '      require: [pinned]'
        )
      }),
      undefined,
      BUILTIN_RULES
    );
    expect(images(config.verify)).toEqual([
      'ghcr.io/acme/team/api@.container-guard.yml:6',
      'ghcr.io/acme/team/**@team.yml:4',
      'ghcr.io/acme/**@org/base.yml:6',
      '**@org/base.yml:8'
    ]);
    expect(config.verify.default).toMatchObject({ require: ['digest'], source: { file: '.container-guard.yml', line: 3 } });
    // Relative to the file that wrote it (config/paths.ts), here org/base.yml.
    expect(config.verify.trustedRoot).toBe('org/base-root.json');
  });

  it('several extends: the later entry’s policies come before the earlier one’s', () => {
    const a = parseConfig(lines('verify:', '  policies:', '    - images: a'), 'a.yml', BUILTIN_RULES);
    const b = parseConfig(lines('verify:', '  trusted-root: b.json', '  policies:', '    - images: b'), 'b.yml', BUILTIN_RULES, a);
    const mine = parseConfig(lines('verify:', '  policies:', '    - images: mine'), FILE, BUILTIN_RULES, b);
    expect(images(mine.verify)).toEqual([`mine@${FILE}:3`, 'b@b.yml:4', 'a@a.yml:3']);
    expect(mine.verify.trustedRoot).toBe('b.json');
    // The bases are not touched.
    expect(images(a.verify)).toEqual(['a@a.yml:3']);
    expect(images(b.verify)).toEqual(['b@b.yml:4', 'a@a.yml:3']);
  });

  it('a file without a verify section keeps the base’s', () => {
    const base = parseConfig(lines('verify:', '  default:', '    require: [pinned]', '  policies:', '    - images: x'), 'base.yml', BUILTIN_RULES);
    const mine = parseConfig('rules: {}\n', FILE, BUILTIN_RULES, base);
    expect(mine.verify).toEqual(base.verify);
    expect(defaultConfig().verify).toEqual(defaultVerifyConfig());
  });
});
