/**
 * `inspect` on real images built by umoci: each defect in an upper layer, in a lower layer a later layer
 * deletes (still shipped), in the config and history — found with its layer and path; clean counterparts
 * silent; every source (oci:, oci-archive:, docker-archive:) gives the same findings.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { runInspect } from '../../src/io/inspect-run.js';
import { createImageLayout, type ImageLayoutDir } from '../helpers/defect-images.js';
import { requireTools } from '../helpers/oci-images.js';

const TOKEN = 'npm_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  '-----END OPENSSH PRIVATE KEY-----',
  ''
].join('\n');

const tools = requireTools();
const withTools = tools ? describe : describe.skip;

withTools('inspect: image-only rules on umoci images', () => {
  let layout: ImageLayoutDir;
  beforeAll(async () => {
    layout = await createImageLayout();
    await layout.build('defects', [
      {
        add: { 'root/.ssh/id_ed25519': { content: KEY, mode: 0o600 }, 'app/.npmrc': { content: `//registry.npmjs.org/:_authToken=${TOKEN}\n` } },
        createdBy: 'COPY . /app'
      },
      { remove: ['root/.ssh/id_ed25519'], createdBy: 'RUN rm /root/.ssh/id_ed25519' },
      {
        add: {
          'usr/local/bin/rootsh': { content: '#!/bin/sh\n', mode: 0o4755 },
          'usr/bin/passwd': { content: 'x', mode: 0o4755 },
          'opt/app/run.sh': { content: 'echo\n', mode: 0o777 },
          'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease': { content: 'x'.repeat(2048) }
        },
        createdBy: 'RUN chmod 777 /opt/app/run.sh'
      }
    ]);
    await layout.build('clean', [
      {
        add: {
          'app/.npmrc': { content: 'registry=https://registry.npmjs.org/\n' },
          'app/.env': { content: 'LOG_LEVEL=debug\nAPI_TOKEN=${API_TOKEN}\n' },
          'etc/ssl/certs/ca.pem': { content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
          'usr/lib/python3/site-packages/x/tests/key.pem': { content: KEY },
          'usr/bin/passwd': { content: 'x', mode: 0o4755 },
          'opt/app/run.sh': { content: 'echo\n', mode: 0o755 }
        }
      }
    ]);
  }, 120_000);
  afterAll(() => layout?.remove());

  const config = defaultConfig();
  const inspect = async (spec: string) => (await runInspect({ images: [spec], config, rules: BUILTIN_RULES })).report;

  it('finds each defect with its layer and path, and never prints the secret', async () => {
    const report = await inspect(`oci:${layout.dir}:defects`);
    expect(report.errors).toEqual([]);
    const got = report.findings.map((f) => `${f.ruleId} ${f.file.replace(/^.*!/, '!')}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'credential-file-in-image !/root/.ssh/id_ed25519',
        'credential-file-in-image !/app/.npmrc',
        'setuid-binary !/usr/local/bin/rootsh',
        'world-writable-path !/opt/app/run.sh',
        'package-cache-in-image !/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease'
      ])
    );
    const key = report.findings.find((f) => f.file.endsWith('id_ed25519'))!;
    expect(key.message).toMatch(/layer 1 .*sha256:[a-f0-9]{64}; deleted in layer 2, but still shipped/);
    expect(got).not.toContain('setuid-binary !/usr/bin/passwd');
    expect(JSON.stringify(report)).not.toContain(TOKEN.slice(4, 20));
    expect(JSON.stringify(report)).not.toContain('b3BlbnNzaC1rZXktdjEA');
  });

  it('is silent on the clean counterparts', async () => {
    const report = await inspect(`oci:${layout.dir}:clean`);
    expect(report.errors).toEqual([]);
    expect(
      report.findings.filter((f) => ['credential-file-in-image', 'setuid-binary', 'world-writable-path', 'package-cache-in-image'].includes(f.ruleId))
    ).toEqual([]);
  });

  it('gives the same findings from an oci-archive and a docker-archive of the same image', async () => {
    const ids = (r: Awaited<ReturnType<typeof inspect>>) => r.findings.map((f) => `${f.ruleId} ${f.file.replace(/^.*!/, '!')}`).sort();
    const fromLayout = ids(await inspect(`oci:${layout.dir}:defects`));
    const archive = await layout.ociArchive();
    expect(ids(await inspect(`oci-archive:${archive}:defects`))).toEqual(fromLayout);
    const docker = await layout.dockerArchive('defects');
    expect(ids(await inspect(`docker-archive:${docker}`))).toEqual(fromLayout);
  }, 60_000);
});
