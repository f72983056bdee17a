import { describe, expect, it } from '@jest/globals';
import { DEFAULT_INCLUDE, DEFAULT_EXCLUDE } from '../src/core/config/types.js';
import { parseShard, selectDockerfiles, shardFiles } from '../src/core/discover.js';

const select = (paths: string[]) => selectDockerfiles(paths, DEFAULT_INCLUDE, DEFAULT_EXCLUDE);

describe('discovery of Dockerfiles by name', () => {
  it.each([
    'Dockerfile',
    'dockerfile',
    'DOCKERFILE',
    'DockerFile',
    'app/Dockerfile.dev',
    'app/dockerfile.prod',
    'app/Dockerfile-alpine',
    'app/dockerfile-jboss-base-7-base-1.1-3',
    'app/Dockerfile_windows',
    'app/DOCKERFILE_ARM64',
    'app/api.Dockerfile',
    'app/api.dockerfile',
    'app/api.DOCKERFILE',
    'Containerfile',
    'containerfile',
    'app/Containerfile.fedora',
    'app/Containerfile-ubi9',
    'app/containerfile_test',
    'app/web.containerfile',
    'app/web.Containerfile',
    '.devcontainer/Dockerfile',
    'hack/dockerfiles/lint.Dockerfile',
    'app/Dockerfile.python3.12'
  ])('%s is a Dockerfile', (p) => {
    expect(select([p])).toEqual([p]);
  });

  it.each([
    'Dockerfile.dockerignore',
    'app/api.Dockerfile.dockerignore',
    'Containerfile.containerignore',
    'src/dockerfile_parser.py',
    'src/dockerfile-lint.json',
    'docs/Dockerfile-guide.md',
    'pkg/dockerfile_test.go',
    'lib/dockerfile-utils.ts',
    'Dockerfile.template.bak',
    'README.md',
    'mydockerfile',
    'Dockerfiles/readme',
    'node_modules/pkg/Dockerfile',
    '.git/Dockerfile'
  ])('%s is not', (p) => {
    expect(select([p])).toEqual([]);
  });

  it('a configured include matches in any case, excludes match as written', () => {
    expect(selectDockerfiles(['images/App.Build', 'images/app.build'], ['images/*.build'], [])).toEqual(['images/App.Build', 'images/app.build']);
    expect(selectDockerfiles(['vendor/Dockerfile', 'Vendor/Dockerfile'], DEFAULT_INCLUDE, ['vendor/**'])).toEqual(['Vendor/Dockerfile']);
  });

  it('returns a sorted list', () => {
    expect(select(['b/Dockerfile', 'a/dockerfile-x', 'a/Dockerfile'])).toEqual(['a/Dockerfile', 'a/dockerfile-x', 'b/Dockerfile']);
  });
});

describe('shards', () => {
  it('every file lands in exactly one shard', () => {
    const files = Array.from({ length: 11 }, (_, i) => `d${String(i).padStart(2, '0')}/Dockerfile`);
    const shards = [1, 2, 3].map((k) => shardFiles(files, parseShard(`${k}/3`)));
    expect(shards.flat().sort()).toEqual(files);
    expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(1);
  });
  it.each(['0/2', '3/2', 'x', '1/0'])('rejects %s', (t) => {
    expect(() => parseShard(t)).toThrow(/invalid shard/);
  });
});
