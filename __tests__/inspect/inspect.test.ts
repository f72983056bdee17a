/**
 * `inspect` on real images built by umoci: each defect in an upper layer, in a lower layer a later layer
 * deletes (still shipped), in the config and history — found with its layer and path; clean counterparts
 * silent; every source (oci:, oci-archive:, docker-archive:) gives the same findings.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultConfig } from '../../src/core/config/types.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { runInspect } from '../../src/io/inspect-run.js';
import { createImageLayout, type ImageLayoutDir } from '../helpers/defect-images.js';
import { requireTools } from '../helpers/oci-images.js';
import { requireRegistry, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { createPinClient } from '../../src/io/pin-run.js';
import { collectImages, runVerify } from '../../src/io/verify-run.js';
import { parseConfig } from '../../src/core/config/load.js';
import { runAction } from '../helpers/actions.js';
import { makeTree } from '../helpers/fixtures.js';
import { RUNTIMES } from '../helpers/node-runtimes.js';

const TOKEN = 'npm_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GH = 'ghp_' + 'Z9y8X7w6'.repeat(5);
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
    await layout.build(
      'defects',
      [
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
        },
        // A build argument recorded in the history, as BuildKit writes it for a RUN that used it.
        { add: { 'app/version': { content: '1\n' } }, createdBy: `|1 NPM_TOKEN=${TOKEN} /bin/sh -c npm ci` }
      ],
      { env: [`GITHUB_TOKEN=${GH}`], ports: ['22/tcp'] }
    );
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
        'package-cache-in-image !/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease',
        `root-user ${`oci:${layout.dir}:defects`}`,
        `expose-ssh-port ${`oci:${layout.dir}:defects`}`
      ])
    );
    // In the config (Env) and in the history (a build argument): found, never printed.
    const config = report.findings.filter((f) => f.ruleId === 'secret-in-env').map((f) => f.message);
    expect(config).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Env GITHUB_TOKEN holds a GitHub token \(ghp_\*\*\*\*\)/),
        expect.stringMatching(/history step \d+ \(layer 4\) records an npm token/)
      ])
    );
    expect(JSON.stringify(report)).not.toContain(GH.slice(4, 20));
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
    const ids = (r: Awaited<ReturnType<typeof inspect>>) =>
      r.findings.map((f) => `${f.ruleId} ${f.file.includes('!') ? f.file.replace(/^.*!/, '!') : '<image>'}`).sort();
    const fromLayout = ids(await inspect(`oci:${layout.dir}:defects`));
    const archive = await layout.ociArchive();
    expect(ids(await inspect(`oci-archive:${archive}:defects`))).toEqual(fromLayout);
    const docker = await layout.dockerArchive('defects');
    expect(ids(await inspect(`docker-archive:${docker}`))).toEqual(fromLayout);
  }, 60_000);
});

withTools('inspect: bad input is an error naming the blob, never a pass', () => {
  let layout: ImageLayoutDir;
  beforeAll(async () => {
    layout = await createImageLayout();
    await layout.build('app', [{ add: { 'app/main.sh': { content: 'echo hi\n', mode: 0o755 } } }], { user: '10001' });
  }, 60_000);
  afterAll(() => layout?.remove());

  const config = defaultConfig();
  const inspect = async (spec: string) => (await runInspect({ images: [spec], config, rules: BUILTIN_RULES })).report;
  const copies: string[] = [];
  afterAll(() => copies.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const copy = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bad-'));
    copies.push(dir);
    fs.cpSync(layout.dir, dir, { recursive: true });
    return dir;
  };
  const manifestOf = (dir: string) => {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const digest = index.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'] === 'app')
      .digest as string;
    return { index, digest, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'blobs/sha256', digest.slice(7)), 'utf8')) };
  };
  const blob = (dir: string, digest: string) => path.join(dir, 'blobs/sha256', digest.slice(7));
  const expectError = (report: Awaited<ReturnType<typeof inspect>>, re: RegExp) => {
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].message).toMatch(re);
    expect(report.findings.some((f) => f.severity === 'error' && f.ruleId === 'parse-error')).toBe(true);
  };

  it('a truncated layer', async () => {
    const dir = copy();
    const { manifest } = manifestOf(dir);
    const layer = manifest.layers[manifest.layers.length - 1].digest as string;
    const bytes = fs.readFileSync(blob(dir, layer));
    fs.writeFileSync(blob(dir, layer), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectError(await inspect(`oci:${dir}:app`), new RegExp(`layer \\d \\(${layer}\\).*(truncated|not a readable layer|cannot be decompressed|has digest)`));
  });

  it('a layer whose digest does not match', async () => {
    const dir = copy();
    const { manifest } = manifestOf(dir);
    const layer = manifest.layers[0].digest as string;
    const gz = zlib.gzipSync(Buffer.alloc(1024));
    fs.writeFileSync(blob(dir, layer), gz);
    expectError(await inspect(`oci:${dir}:app`), new RegExp(`${layer}.*(has digest sha256:[a-f0-9]{64}, not ${layer}|not a readable layer)`));
  });

  it('an unknown layer media type', async () => {
    const dir = copy();
    const { index, digest, manifest } = manifestOf(dir);
    manifest.layers[0].mediaType = 'application/vnd.example.mystery';
    const body = Buffer.from(JSON.stringify(manifest));
    const d = 'sha256:' + crypto.createHash('sha256').update(body).digest('hex');
    fs.writeFileSync(blob(dir, d), body);
    for (const m of index.manifests) if (m.digest === digest) Object.assign(m, { digest: d, size: body.length });
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
    expectError(await inspect(`oci:${dir}:app`), /unknown media type application\/vnd\.example\.mystery/);
  });

  it('a tarball that is not an image', async () => {
    const file = path.join(layout.dir, '..', 'not-an-image.tar');
    fs.writeFileSync(file, 'this is not a tar archive at all'.repeat(40));
    expectError(await inspect(`oci-archive:${file}`), /is not a tar archive/);
    const tar = path.join(layout.dir, '..', 'just-files.tar');
    execFileSync('tar', ['-C', path.join(layout.dir, '..'), '-cf', tar, 'not-an-image.tar']);
    expectError(await inspect(`docker-archive:${tar}`), /has no manifest\.json/);
    expectError(await inspect(`oci-archive:${tar}`), /not an OCI image layout|has no oci-layout/);
  });

  it('a reference that names nothing it can read, next to a good one: one error, the other still judged', async () => {
    const { report } = await runInspect({ images: ['oci:/nonexistent/layout', `oci:${layout.dir}:app`], config, rules: BUILTIN_RULES });
    expect(report.errors.map((e) => e.file)).toEqual(['oci:/nonexistent/layout']);
    expect(report.files).toHaveLength(2);
  });
});

const withRegistry = tools && requireRegistry() ? describe : describe.skip;

withRegistry('inspect: images in a real registry (docker-registry on 127.0.0.1)', () => {
  let layout: ImageLayoutDir;
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
    layout = await createImageLayout();
    await layout.build('amd', [{ add: { 'root/.git-credentials': { content: 'https://bot:s3cr3t-value@github.com\n' } } }], { ports: ['22/tcp'] });
    await layout.build('arm', [{ add: { 'usr/local/bin/x': { content: 'x', mode: 0o4755 } } }], { architecture: 'arm64', user: '10001' });
    layout.index('multi', [
      { tag: 'amd', architecture: 'amd64' },
      { tag: 'arm', architecture: 'arm64' }
    ]);
    await layout.push('multi', `${reg.host}/team/app:1.0`, true);
  }, 120_000);
  afterAll(async () => {
    layout?.remove();
    await reg?.stop();
  });

  it('judges every platform of an index, each with its own findings', async () => {
    const { report, images } = await runInspect({
      images: [`${reg.host}/team/app:1.0`],
      config: defaultConfig(),
      rules: BUILTIN_RULES,
      registry: createPinClient([])
    });
    expect(report.errors).toEqual([]);
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    const got = report.findings.map((f) => `${f.ruleId} ${f.file}`);
    expect(got).toEqual(
      expect.arrayContaining([
        `credential-file-in-image ${reg.host}/team/app:1.0[linux/amd64]!/root/.git-credentials`,
        `expose-ssh-port ${reg.host}/team/app:1.0[linux/amd64]`,
        `setuid-binary ${reg.host}/team/app:1.0[linux/arm64]!/usr/local/bin/x`
      ])
    );
    expect(JSON.stringify(report)).not.toContain('s3cr3t-value');
  });

  it('--platform picks one; a registry that is down is an error naming the image', async () => {
    const one = await runInspect({
      images: [`${reg.host}/team/app:1.0`],
      platforms: ['linux/arm64'],
      config: defaultConfig(),
      rules: BUILTIN_RULES,
      registry: createPinClient([])
    });
    expect(one.images.map((i) => i.platform)).toEqual(['linux/arm64']);
    const down = await runInspect({
      images: ['127.0.0.1:9/team/app:1.0'],
      config: defaultConfig(),
      rules: BUILTIN_RULES,
      registry: createPinClient([], { timeoutMs: 2000 })
    });
    expect(down.report.errors).toHaveLength(1);
    expect(down.report.errors[0].file).toBe('127.0.0.1:9/team/app:1.0');
  });
});

withRegistry('verify action with inspect: true (bundled entry point, runner emulation)', () => {
  let layout: ImageLayoutDir;
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
    layout = await createImageLayout();
    await layout.build('leaky', [{ add: { 'srv/.env': { content: 'DB_PASSWORD=Tr0ub4dor-and-more\n' } } }], { user: '10001' });
    await layout.push('leaky', `${reg.host}/team/leaky:1.0`);
  }, 120_000);
  afterAll(async () => {
    layout?.remove();
    await reg?.stop();
  });

  it.each(RUNTIMES)('%s: the image findings join verify, the secret is not printed, the step fails', (_label, node) => {
    const ws = makeTree({});
    const r = runAction('verify', ws, { images: `${reg.host}/team/leaky:1.0`, inspect: 'true', 'findings-file': 'verify.json' }, { node });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/credential-file-in-image/);
    expect(r.stdout + fs.readFileSync(path.join(ws, 'verify.json'), 'utf8')).not.toContain('Tr0ub4dor');
    const off = runAction('verify', ws, { images: `${reg.host}/team/leaky:1.0` }, { node });
    expect(off.code).toBe(0);
  });
});

withRegistry('verify policies with require: [non-root, no-secrets] (real registry)', () => {
  let layout: ImageLayoutDir;
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
    layout = await createImageLayout();
    await layout.build('rootful', [{ add: { 'app/.npmrc': { content: '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n' } } }]);
    await layout.build('tidy', [{ add: { 'app/main.sh': { content: 'echo hi\n', mode: 0o755 } } }], { user: '10001:10001' });
    await layout.push('rootful', `${reg.host}/team/rootful:1.0`);
    await layout.push('tidy', `${reg.host}/team/tidy:1.0`);
  }, 120_000);
  afterAll(async () => {
    layout?.remove();
    await reg?.stop();
  });

  it('fails an image that runs as root and ships a token, passes a tidy one, and names the cause', async () => {
    const ws = makeTree({ '.container-guard.yml': 'verify:\n  policies:\n    - images: ["**"]\n      require: [digest, non-root, no-secrets]\n' });
    const config = parseConfig(fs.readFileSync(path.join(ws, '.container-guard.yml'), 'utf8'), path.join(ws, '.container-guard.yml'), BUILTIN_RULES);
    const client = createPinClient([]);
    const collected = collectImages({ cwd: ws, config, images: [`${reg.host}/team/rootful:1.0`, `${reg.host}/team/tidy:1.0`] });
    const run = await runVerify({ cwd: ws, config, client, collected });
    const [rootful, tidy] = run.results;
    expect(rootful.passed).toBe(false);
    expect(rootful.failures.map((f) => f.requirement).sort()).toEqual(['no-secrets', 'non-root']);
    expect(rootful.reason).toMatch(/non-root: the image config sets no User|no-secrets: .npmrc with a registry token/);
    expect(JSON.stringify(run)).not.toContain('abcdefghijklmnop');
    expect(tidy.passed).toBe(true);
    expect(tidy.reason).toMatch(/inspected: non-root, no-secrets/);
  }, 60_000);
});
