/**
 * In-toto statements shaped as the attesters write them (written here from the specs, not copied):
 * SLSA v1 provenance as actions/attest-build-provenance produces it for a GitHub-hosted run, and SPDX
 * and CycloneDX SBOMs. Signed with the independent test signer of helpers/sigstore.ts.
 */
import type { TestSigstore, BundleOptions } from '../helpers/sigstore.js';

export const SLSA_V1 = 'https://slsa.dev/provenance/v1';
export const SPDX = 'https://spdx.dev/Document';
export const GITHUB_HOSTED = 'https://github.com/actions/runner/github-hosted';
export const SELF_HOSTED = 'https://github.com/actions/runner/self-hosted';

const subjects = (digests: string | string[], name: string) =>
  [digests].flat().map((d) => {
    const [alg, hex] = d.split(':');
    return { name, digest: { [alg!]: hex } };
  });

export interface ProvenanceOptions {
  repository?: string;
  ref?: string;
  commit?: string;
  builder?: string;
  event?: string;
  name?: string;
}

export function provenance(digests: string | string[], o: ProvenanceOptions = {}): Buffer {
  const repo = o.repository ?? 'acme/api';
  const ref = o.ref ?? 'refs/heads/main';
  const commit = o.commit ?? '0123456789abcdef0123456789abcdef01234567';
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: subjects(digests, o.name ?? 'registry.test/acme/api'),
      predicateType: SLSA_V1,
      predicate: {
        buildDefinition: {
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
          externalParameters: { workflow: { ref, repository: `https://github.com/${repo}`, path: '.github/workflows/release.yml' } },
          internalParameters: {
            github: {
              event_name: o.event ?? 'push',
              repository_id: '1',
              repository_owner_id: '2',
              runner_environment: o.builder === SELF_HOSTED ? 'self-hosted' : 'github-hosted'
            }
          },
          resolvedDependencies: [{ uri: `git+https://github.com/${repo}@${ref}`, digest: { gitCommit: commit } }]
        },
        runDetails: { builder: { id: o.builder ?? GITHUB_HOSTED }, metadata: { invocationId: `https://github.com/${repo}/actions/runs/1/attempts/1` } }
      }
    })
  );
}

export function spdx(digests: string | string[], packages = 3): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: subjects(digests, 'registry.test/acme/api'),
      predicateType: SPDX,
      predicate: {
        spdxVersion: 'SPDX-2.3',
        dataLicense: 'CC0-1.0',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: 'acme/api',
        packages: Array.from({ length: packages }, (_, i) => ({ SPDXID: `SPDXRef-Package-${i}`, name: `pkg-${i}`, versionInfo: '1.0' }))
      }
    })
  );
}

/** A bundle over a statement, with the signer's defaults (keyless, GitHub claims of acme/api). */
export const attest = (s: TestSigstore, st: Buffer, o?: BundleOptions) => s.bundle({ dsse: st }, o);
