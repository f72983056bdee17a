/** The pure verify policy: which policy applies to an image, which digests need signatures, and the verdict. */
import { describe, expect, it } from '@jest/globals';
import { parseImageRef, type ImageRef } from '../../src/core/image-ref.js';
import {
  digestsInScope,
  evaluateImage,
  identityPattern,
  imageGlobMatches,
  matchPolicy,
  signaturesNeeded,
  type AppliedPolicy,
  type ImageFacts,
  type ImageResolution
} from '../../src/core/verify/policy.js';
import type { SignatureCheck, VerifyConfig, VerifyPolicy } from '../../src/core/verify/types.js';

const ref = (s: string): ImageRef => {
  const r = parseImageRef(s);
  if (!r) throw new Error(`bad reference ${s}`);
  return r;
};
const D = (c: string) => `sha256:${c.repeat(64)}`;
const policy = (over: Partial<VerifyPolicy> = {}): VerifyPolicy => ({
  images: ['**'],
  require: ['digest'],
  keys: [],
  keyless: [],
  count: 1,
  signScope: 'index',
  ...over
});
const DEFAULT: AppliedPolicy = { require: ['digest'], keys: [], keyless: [], count: 1, signScope: 'index' };

describe('matchPolicy: first match wins, Docker Hub names are normalised, the rest gets the default', () => {
  const config: VerifyConfig = {
    policies: [
      policy({ images: ['ghcr.io/acme/api'] }),
      policy({ images: ['ghcr.io/acme/**'] }),
      policy({ images: ['nginx'] }),
      policy({ images: ['bitnami/*', 'docker.io/redis'] }),
      policy({ images: ['*:latest'] }),
      policy({ images: ['localhost:5000/**'] }),
      policy({ images: ['quay.io/org/app:v*'] })
    ],
    default: DEFAULT
  };
  it.each<[string, number | 'default']>([
    ['ghcr.io/acme/api:1.0', 0],
    ['ghcr.io/acme/api@' + D('a'), 0],
    ['ghcr.io/acme/web:1.0', 1],
    ['ghcr.io/acme/team/web:1.0', 1],
    ['ghcr.io/other/web:1.0', 'default'],
    ['nginx', 2],
    ['nginx:1.27', 2],
    ['library/nginx:1.27', 2],
    ['docker.io/library/nginx:1.27', 2],
    ['index.docker.io/library/nginx@' + D('b'), 2],
    ['nginxinc/nginx-unprivileged:1.27', 'default'],
    ['bitnami/redis:7', 3],
    ['docker.io/bitnami/redis:7', 3],
    ['redis:7', 3],
    ['bitnami/charts/redis:7', 'default'],
    ['alpine', 4],
    ['alpine:latest', 4],
    ['ghcr.io/x/y:latest', 4],
    ['alpine:3.20', 'default'],
    ['alpine@' + D('c'), 'default'],
    ['localhost:5000/app:dev', 5],
    ['localhost:5000/team/app:1', 5],
    ['localhost:5000/team/app', 4],
    ['quay.io/org/app:v2.1', 6],
    ['quay.io/org/app:latest', 4],
    ['quay.io/org/app:dev', 'default'],
    ['quay.io/org/app', 4]
  ])('%s → %s', (image, index) => {
    const m = matchPolicy(config, ref(image));
    expect(m.index).toBe(index);
    expect(m.policy).toBe(index === 'default' ? config.default : config.policies[index]);
  });

  it('the first matching entry decides, even when a later one is more specific', () => {
    const broadFirst: VerifyConfig = {
      policies: [policy({ images: ['ghcr.io/**'], require: [] }), policy({ images: ['ghcr.io/acme/api'], require: ['pinned'] })],
      default: DEFAULT
    };
    expect(matchPolicy(broadFirst, ref('ghcr.io/acme/api:1')).index).toBe(0);
    const specificFirst: VerifyConfig = { policies: [...broadFirst.policies].reverse(), default: DEFAULT };
    expect(matchPolicy(specificFirst, ref('ghcr.io/acme/api:1'))).toMatchObject({ index: 0, policy: { require: ['pinned'] } });
    expect(matchPolicy(specificFirst, ref('ghcr.io/acme/web:1'))).toMatchObject({ index: 1, policy: { require: [] } });
  });

  it('no policies: everything gets the default', () => {
    expect(matchPolicy({ policies: [], default: DEFAULT }, ref('nginx'))).toEqual({ policy: DEFAULT, index: 'default' });
  });

  it.each([
    ['localhost:5000/app', 'localhost:5000/app:1', true],
    ['localhost:5000/app:1', 'localhost:5000/app:1', true],
    ['localhost:5000/app:2', 'localhost:5000/app:1', false],
    ['ghcr.io/acme/*', 'ghcr.io/acme/api:x-dev', true],
    ['ghcr.io/acme/*-dev', 'ghcr.io/acme/api:x-dev', false],
    ['ghcr.io/acme/*:*-dev', 'ghcr.io/acme/api:x-dev', true],
    ['**', 'registry.example.com:8443/a/b/c@' + D('d'), true],
    ['docker.io/nginx', 'nginx', true],
    ['GHCR.io/acme/api', 'ghcr.io/acme/api', false]
  ])('glob %s against %s: %s', (glob, image, expected) => {
    expect(imageGlobMatches(glob, ref(image))).toBe(expected);
  });
});

describe('digestsInScope and signaturesNeeded', () => {
  const multi: ImageResolution = {
    ok: true,
    digest: D('i'),
    platforms: [
      { platform: 'linux/amd64', digest: D('1') },
      { platform: 'linux/arm64', digest: D('2') },
      { platform: 'unknown/unknown', digest: D('3') }
    ]
  };
  it.each([
    ['index', [D('i')]],
    ['platforms', [D('1'), D('2')]],
    ['all', [D('i'), D('1'), D('2')]]
  ] as const)('multi-arch, %s', (signScope, expected) => {
    expect(digestsInScope({ signScope }, multi)).toEqual(expected);
  });
  it.each(['index', 'platforms', 'all'] as const)('single-arch: %s is the one digest', (signScope) => {
    expect(digestsInScope({ signScope }, { ok: true, digest: D('s') })).toEqual([D('s')]);
    expect(digestsInScope({ signScope }, { ok: true, digest: D('s'), platforms: [] })).toEqual([D('s')]);
  });
  it('nothing when the reference did not resolve', () => {
    expect(digestsInScope({ signScope: 'all' }, { ok: false, error: 'x' })).toEqual([]);
  });
  it('signatures are fetched only when required', () => {
    expect(signaturesNeeded({ require: ['digest', 'signature'] })).toBe(true);
    expect(signaturesNeeded({ require: ['digest', 'pinned'] })).toBe(false);
  });
  it('identity-regexp is anchored', () => {
    const re = identityPattern({ identityRegexp: 'https://github\\.com/acme/.*' });
    expect(re?.test('https://github.com/acme/api/.github/workflows/r.yml@refs/heads/main')).toBe(true);
    expect(re?.test('https://evil.example/https://github.com/acme/x')).toBe(false);
    expect(identityPattern({})).toBeUndefined();
  });
});

const check = (digest: string, ok: boolean, signer?: string, detail = ok ? 'verified' : 'the signature does not verify with the key'): SignatureCheck => ({
  format: 'cosign-legacy-tag',
  kind: 'simple-signing',
  digest,
  ok,
  reason: ok ? 'verified' : 'bad-signature',
  detail,
  ...(signer ? { signer } : {})
});

const facts = (over: Partial<ImageFacts> = {}): ImageFacts => ({
  reference: 'ghcr.io/acme/api:1.0',
  pinned: false,
  resolution: { ok: true, digest: D('a') },
  signatures: {},
  ...over
});

describe('evaluateImage', () => {
  const signed = (over: Partial<AppliedPolicy> = {}): AppliedPolicy => ({
    ...DEFAULT,
    require: ['digest', 'signature'],
    keys: [{ path: 'k.pub', source: { file: 'f', line: 1 } }],
    ...over
  });

  it('the default policy passes a resolvable reference, and says why', () => {
    expect(evaluateImage(DEFAULT, facts())).toEqual({ passed: true, reason: `resolves to ${D('a')}`, failures: [] });
  });

  it.each<[string, AppliedPolicy]>([
    ['no requirement at all', { ...DEFAULT, require: [] }],
    ['digest', DEFAULT],
    ['signature', signed()]
  ])('an unresolvable reference fails whatever the policy says (%s)', (_n, p) => {
    const v = evaluateImage(p, facts({ resolution: { ok: false, error: 'GET https://ghcr.io/v2/acme/api/manifests/1.0: 401 Unauthorized' } }));
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([{ requirement: 'resolve', message: expect.stringContaining('401 Unauthorized') }]);
    expect(v.reason).toMatch(/^the reference cannot be resolved, so nothing could be checked: .*401 Unauthorized$/);
  });

  it('a registry that is down fails too', () => {
    const v = evaluateImage({ ...DEFAULT, require: [] }, facts({ resolution: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5000' } }));
    expect(v).toMatchObject({ passed: false, failures: [{ requirement: 'resolve' }] });
  });

  it('a missing manifest is a digest failure when the policy requires digest, else a resolve failure', () => {
    const missing = facts({
      reference: `ghcr.io/acme/api@${D('f')}`,
      pinned: true,
      resolution: { ok: false, missing: true, error: `manifest ${D('f')} unknown` }
    });
    expect(evaluateImage(DEFAULT, missing)).toMatchObject({
      passed: false,
      failures: [{ requirement: 'digest', message: `the image does not exist in the registry: manifest ${D('f')} unknown` }]
    });
    expect(evaluateImage({ ...DEFAULT, require: ['pinned'] }, missing)).toMatchObject({ passed: false, failures: [{ requirement: 'resolve' }] });
  });

  it('a resolution without a digest never passes', () => {
    expect(evaluateImage({ ...DEFAULT, require: [] }, facts({ resolution: { ok: true, digest: '' } }))).toMatchObject({
      passed: false,
      failures: [{ requirement: 'resolve', message: 'the registry returned no digest for the reference' }]
    });
  });

  it('drift: the tag moved since pinning; the message names the old and the new digest', () => {
    const v = evaluateImage(
      DEFAULT,
      facts({ reference: `ghcr.io/acme/api:1.0@${D('a')}`, pinned: true, resolution: { ok: true, digest: D('a'), drift: { tag: '1.0', now: D('b') } } })
    );
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([
      { requirement: 'digest', message: `tag "1.0" moved since it was pinned: the reference pins ${D('a')}, the tag now points to ${D('b')}` }
    ]);
    expect(v.reason).toBe(v.failures[0].message);
  });

  it('drift: the tag no longer exists', () => {
    const v = evaluateImage(DEFAULT, facts({ reference: `x/y:1@${D('a')}`, pinned: true, resolution: { ok: true, digest: D('a'), drift: { tag: '1' } } }));
    expect(v.failures[0]).toEqual({ requirement: 'digest', message: `tag "1" no longer exists in the registry; the reference pins ${D('a')}` });
  });

  it('drift is ignored by a policy that does not require digest', () => {
    const f = facts({ reference: `x/y:1@${D('a')}`, pinned: true, resolution: { ok: true, digest: D('a'), drift: { tag: '1', now: D('b') } } });
    expect(evaluateImage({ ...DEFAULT, require: ['pinned'] }, f)).toMatchObject({ passed: true, reason: `resolves to ${D('a')}, pinned` });
  });

  it('pinned: an unpinned reference fails and the message gives the pinned form', () => {
    const v = evaluateImage({ ...DEFAULT, require: ['digest', 'pinned'] }, facts());
    expect(v).toEqual({
      passed: false,
      reason: `the reference is not pinned to a digest: write ghcr.io/acme/api:1.0@${D('a')}`,
      failures: [{ requirement: 'pinned', message: `the reference is not pinned to a digest: write ghcr.io/acme/api:1.0@${D('a')}` }]
    });
    expect(evaluateImage({ ...DEFAULT, require: ['pinned'] }, facts({ reference: `ghcr.io/acme/api@${D('a')}`, pinned: true })).passed).toBe(true);
  });

  it('count 2 with one good signature fails and says why the other was rejected', () => {
    const v = evaluateImage(
      signed({ count: 2 }),
      facts({
        signatures: { [D('a')]: [check(D('a'), true, 'key:k.pub'), check(D('a'), false, undefined, 'the payload names digest sha256:0000…, not the image')] }
      })
    );
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([
      { requirement: 'signature', message: `1 of 2 required signatures verified for ${D('a')}; rejected: the payload names digest sha256:0000…, not the image` }
    ]);
    expect(v.reason).toBe(v.failures[0].message);
  });

  it('count 2: two signatures by the same signer count once; two signers pass', () => {
    const same = evaluateImage(signed({ count: 2 }), facts({ signatures: { [D('a')]: [check(D('a'), true, 'key:k.pub'), check(D('a'), true, 'key:k.pub')] } }));
    expect(same.reason).toBe(`1 of 2 required signatures verified for ${D('a')} (signatures by the same signer count once)`);
    const two = evaluateImage(signed({ count: 2 }), facts({ signatures: { [D('a')]: [check(D('a'), true, 'key:a.pub'), check(D('a'), true, 'key:b.pub')] } }));
    expect(two).toEqual({ passed: true, reason: `resolves to ${D('a')}, 2 signatures verified on ${D('a')}`, failures: [] });
  });

  it('fail closed: a check marked ok without the signer it verified against, or for another digest, counts for nothing', () => {
    const noSigner = evaluateImage(signed(), facts({ signatures: { [D('a')]: [check(D('a'), true)] } }));
    expect(noSigner.passed).toBe(false);
    const otherDigest = evaluateImage(signed(), facts({ signatures: { [D('a')]: [check(D('b'), true, 'key:k.pub')] } }));
    expect(otherDigest.passed).toBe(false);
  });

  it('no signature found', () => {
    expect(evaluateImage(signed(), facts()).reason).toBe(`no signature found for ${D('a')}`);
  });

  it('the reasons of rejected signatures are in the verdict, each once', () => {
    const v = evaluateImage(
      signed(),
      facts({
        signatures: {
          [D('a')]: [
            check(D('a'), false, undefined, 'the signature does not verify with key keys/cosign.pub'),
            check(D('a'), false, undefined, 'the signature does not verify with key keys/cosign.pub'),
            check(D('a'), false, undefined, 'the certificate identity https://github.com/evil/x is not an accepted signer')
          ]
        }
      })
    );
    expect(v.reason).toBe(
      `0 of 1 required signature verified for ${D('a')}; rejected: the signature does not verify with key keys/cosign.pub; the certificate identity https://github.com/evil/x is not an accepted signer`
    );
  });

  it('a verified signature counts only for the digest it was checked for', () => {
    const v = evaluateImage(signed(), facts({ signatures: { [D('a')]: [check(D('z'), true, 'key:k.pub')] } }));
    expect(v.passed).toBe(false);
    expect(v.reason).toBe(`0 of 1 required signature verified for ${D('a')}`);
  });

  describe('multi-arch sign scopes', () => {
    const resolution: ImageResolution = {
      ok: true,
      digest: D('i'),
      platforms: [
        { platform: 'linux/amd64', digest: D('1') },
        { platform: 'linux/arm64', digest: D('2') }
      ]
    };
    const signatures = { [D('i')]: [check(D('i'), true, 'key:k.pub')], [D('1')]: [check(D('1'), true, 'key:k.pub')] };
    it('platforms: one unsigned platform fails, naming its digest and platform', () => {
      const v = evaluateImage(signed({ signScope: 'platforms' }), facts({ resolution, signatures }));
      expect(v.passed).toBe(false);
      expect(v.failures).toEqual([{ requirement: 'signature', message: `no signature found for ${D('2')} (linux/arm64)` }]);
    });
    it('index: the signed index is enough', () => {
      expect(evaluateImage(signed({ signScope: 'index' }), facts({ resolution, signatures }))).toMatchObject({
        passed: true,
        reason: `resolves to ${D('i')}, 1 signature verified on ${D('i')}`
      });
    });
    it('all: the index and every platform', () => {
      expect(evaluateImage(signed({ signScope: 'all' }), facts({ resolution, signatures })).failures.map((f) => f.message)).toEqual([
        `no signature found for ${D('2')} (linux/arm64)`
      ]);
      const everything = { ...signatures, [D('2')]: [check(D('2'), true, 'key:k.pub')] };
      expect(evaluateImage(signed({ signScope: 'all' }), facts({ resolution, signatures: everything }))).toMatchObject({
        passed: true,
        reason: `resolves to ${D('i')}, 1 signature verified on each of 3 digests`
      });
    });
    it('platforms on a single-arch image: its one digest', () => {
      expect(evaluateImage(signed({ signScope: 'platforms' }), facts({ signatures: { [D('a')]: [check(D('a'), true, 'key:k.pub')] } })).passed).toBe(true);
    });
  });

  it('several failures: the reason names the first and how many more', () => {
    const v = evaluateImage(
      signed({ require: ['digest', 'pinned', 'signature'] }),
      facts({ resolution: { ok: true, digest: D('a'), drift: { tag: '1.0', now: D('b') } } })
    );
    expect(v.failures.map((f) => f.requirement)).toEqual(['digest', 'pinned', 'signature']);
    expect(v.reason).toBe(`${v.failures[0].message} (and 2 more problems)`);
  });

  it('an unresolvable unpinned reference under a pinned policy reports both, resolve first', () => {
    const v = evaluateImage({ ...DEFAULT, require: ['pinned', 'signature'] }, facts({ resolution: { ok: false, error: 'timeout' } }));
    expect(v.failures).toEqual([
      { requirement: 'resolve', message: 'the reference cannot be resolved, so nothing could be checked: timeout' },
      { requirement: 'pinned', message: 'the reference is not pinned to a digest (@sha256:…)' }
    ]);
  });
});
