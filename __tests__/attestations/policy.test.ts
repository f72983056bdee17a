/**
 * Attestation policies, pure: predicate-type short names, the `attestations:` list in the config
 * (exactly the issue's shape), the GitHub preset, and conditions over in-toto statements.
 */
import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from '../../src/core/config/load.js';
import {
  evaluateAttestations,
  evaluateCondition,
  githubPreset,
  parseStatement,
  resolvePredicateType,
  splitConditionPath,
  type AttestationCheck
} from '../../src/core/verify/attestations.js';

const ISSUE_POLICY = `verify:
  policies:
    - images: ['ghcr.io/acme/**']
      require: [digest, signature, attestation]
      keys: [keys/release.pub]
      attestations:
        - type: https://slsa.dev/provenance/v1      # the statement's predicateType
          keys: [keys/release.pub]
          conditions:
            predicate.buildDefinition.externalParameters.workflow.repository: https://github.com/acme/api
            predicate.runDetails.builder.id: https://github.com/actions/runner/github-hosted
        - type: https://spdx.dev/Document
`;

const load = (text: string) => parseConfig(text, 'cfg/.container-guard.yml', []);
const configError = (text: string): string => {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
};

describe('predicate types', () => {
  test.each([
    ['slsaprovenance', 'https://slsa.dev/provenance/v0.2'],
    ['slsaprovenance02', 'https://slsa.dev/provenance/v0.2'],
    ['slsaprovenance1', 'https://slsa.dev/provenance/v1'],
    ['spdx', 'https://spdx.dev/Document'],
    ['cyclonedx', 'https://cyclonedx.org/bom'],
    ['vuln', 'https://cosign.sigstore.dev/attestation/vuln/v1'],
    ['openvex', 'https://openvex.dev/ns'],
    ['https://example.com/my/predicate/v1', 'https://example.com/my/predicate/v1']
  ])('%s', (name, type) => {
    const r = resolvePredicateType(name);
    expect(r.ok && r.types).toContain(type);
  });

  test.each(['slsa', 'provenance', 'SPDX-2.3', 'ftp://x/y', ''])('unknown: %j', (name) => {
    const r = resolvePredicateType(name);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toMatch(/unknown predicate type/);
  });
});

describe('the attestations list in the config', () => {
  test("the issue's shape loads", () => {
    const c = load(ISSUE_POLICY);
    const p = c.verify.policies[0]!;
    expect(p.require).toEqual(['digest', 'signature', 'attestation']);
    expect(p.attestations!.map((a) => [a.type, a.predicateTypes[0], a.keys.length, a.conditions.length])).toEqual([
      ['https://slsa.dev/provenance/v1', 'https://slsa.dev/provenance/v1', 1, 2],
      ['https://spdx.dev/Document', 'https://spdx.dev/Document', 0, 0]
    ]);
    expect(p.attestations![0]!.keys[0]!.path).toBe('cfg/keys/release.pub');
    expect(p.attestations![0]!.conditions[1]).toEqual({ path: 'predicate.runDetails.builder.id', glob: 'https://github.com/actions/runner/github-hosted' });
    expect(p.attestations![1]!.source!.line).toBe(12);
  });

  test.each<[string, string, RegExp]>([
    ['an unknown predicate type', ISSUE_POLICY.replace('https://spdx.dev/Document', 'sbom'), /:12: .*unknown predicate type "sbom"/],
    [
      'attestation required, none listed',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      keys: [a.pub]\n',
      /requires "attestation" but lists no "attestations"/
    ],
    [
      'attestations listed, not required',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [digest]\n      attestations:\n        - type: spdx\n          keys: [a.pub]\n',
      /lists attestations but does not require "attestation"/
    ],
    [
      'no signer anywhere',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - type: spdx\n',
      /names no "keys", "keyless" or "github" signer/
    ],
    [
      'no type',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      keys: [a.pub]\n      attestations:\n        - conditions: { a: b }\n',
      /needs a "type"/
    ],
    [
      'an empty key in a condition path',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      keys: [a.pub]\n      attestations:\n        - type: spdx\n          conditions: { "predicate..x": b }\n',
      /not a dotted path/
    ],
    [
      'a github preset without owner or repo',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - github: { source-ref: refs/heads/main }\n',
      /needs "owner" or "repo"/
    ],
    [
      'a github preset with its own signers',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - github: { repo: acme/api }\n          keys: [a.pub]\n',
      /"github" names the signer: use it or "keys"\/"keyless", not both/
    ],
    [
      'a keyless signer with a bad regexp',
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - type: spdx\n          keyless: [{ issuer: x, identity-regexp: "(a" }]\n',
      /invalid identity-regexp/
    ]
  ])('%s is a config error', (_n, text, re) => {
    expect(configError(text)).toMatch(re);
  });

  test('the github short form is gh attestation verify --repo --signer-workflow --source-ref --deny-self-hosted-runners', () => {
    const c = load(
      'verify:\n  policies:\n    - images: ["**"]\n      require: [attestation]\n      attestations:\n        - github: { repo: acme/api, source-ref: refs/heads/main, signer-workflow: acme/api/.github/workflows/release.yml, deny-self-hosted-runners: true }\n'
    );
    const a = c.verify.policies[0]!.attestations![0]!;
    expect(a.predicateTypes).toEqual(['https://slsa.dev/provenance/v1']);
    expect(a.keyless).toEqual([
      {
        issuer: 'https://token.actions.githubusercontent.com',
        identityRegexp: 'https://github\\.com/acme/api/\\.github/workflows/release\\.yml@.+',
        github: { repository: 'acme/api', ref: 'refs/heads/main' }
      }
    ]);
    expect(a.conditions).toEqual([{ path: 'predicate.runDetails.builder.id', glob: 'https://github.com/actions/runner/github-hosted' }]);
  });

  test('--owner alone: any repository of the owner', () => {
    const p = githubPreset({ owner: 'acme' });
    expect('keyless' in p && p.keyless).toEqual({
      issuer: 'https://token.actions.githubusercontent.com',
      identityRegexp: 'https://github\\.com/acme/[^/]+/.+'
    });
    expect(githubPreset({ owner: 'acme', repo: 'evil/api' })).toEqual({ error: 'github.repo evil/api is not a repository of owner acme' });
  });
});

const PROVENANCE = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'ghcr.io/acme/api', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: {
      externalParameters: { workflow: { ref: 'refs/heads/main', repository: 'https://github.com/acme/api', path: '.github/workflows/release.yml' } },
      resolvedDependencies: [{ uri: 'git+https://github.com/acme/api@refs/heads/main', digest: { gitCommit: 'c'.repeat(40) } }]
    },
    runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } },
    'odd.key': 1
  }
};

describe('conditions', () => {
  test.each<[string, string, string | true]>([
    ['predicate.runDetails.builder.id', 'https://github.com/actions/runner/github-hosted', true],
    ['predicate.buildDefinition.externalParameters.workflow.repository', 'https://github.com/acme/*', true],
    ['predicate.buildDefinition.externalParameters.workflow.ref', 'refs/heads/ma?n', true],
    ['predicate.buildDefinition.resolvedDependencies.0.uri', 'git+https://github.com/acme/api@*', true],
    ['predicate.buildDefinition.resolvedDependencies.*.digest.gitCommit', 'c*', true],
    ['predicate.odd\\.key', '1', true],
    ['predicateType', 'https://slsa.dev/provenance/v1', true],
    [
      'predicate.runDetails.builder.id',
      'https://github.com/actions/runner/self-hosted',
      'condition predicate.runDetails.builder.id: "https://github.com/actions/runner/github-hosted" does not match "https://github.com/actions/runner/self-hosted"'
    ],
    [
      'predicate.buildDefinition.externalParameters.workflow.repository',
      'https://github.com/acme/web',
      'condition predicate.buildDefinition.externalParameters.workflow.repository: "https://github.com/acme/api" does not match "https://github.com/acme/web"'
    ],
    [
      'predicate.buildDefinition.internalParameters.github.runner_environment',
      'github-hosted',
      'condition predicate.buildDefinition.internalParameters.github.runner_environment: the statement has nothing at predicate.buildDefinition.internalParameters (so nothing at predicate.buildDefinition.internalParameters.github.runner_environment)'
    ],
    [
      'predicate.buildDefinition.resolvedDependencies.5.uri',
      '*',
      'condition predicate.buildDefinition.resolvedDependencies.5.uri: the statement has nothing at predicate.buildDefinition.resolvedDependencies.5 (so nothing at predicate.buildDefinition.resolvedDependencies.5.uri)'
    ],
    ['predicate.runDetails', '*', 'condition predicate.runDetails: the statement holds an object there, not a value to match "*"'],
    ['predicate.runDetails.builder.id.x', '*', 'condition predicate.runDetails.builder.id.x: the statement has nothing at predicate.runDetails.builder.id.x'],
    // A glob is matched whole: a prefix is not enough.
    [
      'predicate.runDetails.builder.id',
      'https://github.com/actions/runner',
      'condition predicate.runDetails.builder.id: "https://github.com/actions/runner/github-hosted" does not match "https://github.com/actions/runner"'
    ]
  ])('%s ~ %s', (path, glob, want) => {
    const r = evaluateCondition(PROVENANCE, { path, glob });
    if (want === true) expect(r).toEqual({ ok: true });
    else expect(r).toEqual({ ok: false, detail: want });
  });

  test('path syntax', () => {
    expect(splitConditionPath('a.b\\.c.0')).toEqual(['a', 'b.c', '0']);
    expect(splitConditionPath('')).toBeUndefined();
    expect(splitConditionPath('a.')).toBeUndefined();
  });
});

describe('statements', () => {
  test.each<[string, string, RegExp]>([
    ['not JSON', '{', /not UTF-8 JSON/],
    ['a cosign simple-signing payload', '{"critical":{"type":"cosign container image signature"}}', /not an in-toto Statement/],
    ['no predicateType', '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"00"}}]}', /no 'predicateType'/],
    ['no subject', '{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[]}', /no 'subject'/],
    ['a subject without digest', '{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[{"name":"a"}]}', /no 'digest'/]
  ])('%s is rejected', (_n, text, re) => {
    const r = parseStatement(Buffer.from(text));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toMatch(re);
  });
});

describe('the attestation requirement', () => {
  const spec = (type: string) => ({ type, predicateTypes: [type], keys: [], keyless: [], conditions: [] });
  const D = `sha256:${'a'.repeat(64)}`;
  const P1 = `sha256:${'1'.repeat(64)}`;
  const P2 = `sha256:${'2'.repeat(64)}`;
  const check = (requirement: number, digest: string, ok: boolean, reason = ok ? 'verified' : 'condition-failed', detail = reason): AttestationCheck => ({
    requirement,
    format: 'referrers',
    digest,
    ok,
    reason,
    detail
  });

  test('met on the digest, or on every platform', () => {
    expect(evaluateAttestations([spec('spdx')], [check(0, D, true)], D)).toEqual([]);
    expect(evaluateAttestations([spec('spdx')], [check(0, P1, true), check(0, P2, true)], D, [P1, P2])).toEqual([]);
    expect(evaluateAttestations([spec('spdx')], [check(0, P1, true)], D, [P1, P2])[0]!.message).toMatch(
      /no spdx attestation found for .* \(or each of its 2 platforms\)/
    );
  });

  test('missing, SBOM only, rejected: messages name the cause', () => {
    const specs = [spec('https://slsa.dev/provenance/v1'), spec('spdx')];
    // Only an SBOM: the provenance entry fails, naming what was found.
    const f = evaluateAttestations(specs, [check(1, D, true), check(0, D, false, 'wrong-type')], D, [], ['https://spdx.dev/Document']);
    expect(f).toEqual([
      { requirement: 'attestation', message: `no https://slsa.dev/provenance/v1 attestation found for ${D} (found: https://spdx.dev/Document)` }
    ]);
    expect(evaluateAttestations(specs, [], D)[0]!.message).toMatch(/\(no attestations found\)/);
    const g = evaluateAttestations(
      specs,
      [check(0, D, false, 'bad-signature', 'x'), check(0, D, false, 'condition-failed', 'condition a.b: "1" does not match "2"'), check(1, D, true)],
      D
    );
    expect(g).toEqual([
      {
        requirement: 'attestation',
        message: 'https://slsa.dev/provenance/v1 attestation rejected: condition a.b: "1" does not match "2" (and 1 more rejected)'
      }
    ]);
    expect(evaluateAttestations([], [], D)[0]!.message).toMatch(/lists no attestations/);
  });
});
