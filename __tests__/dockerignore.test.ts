/** .dockerignore semantics (BuildKit's pattern matcher) and which file a Dockerfile's build reads. */
import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { ignoredBy, parseDockerignore } from '../src/core/dockerignore.js';
import { readDockerignores } from '../src/io/lint-run.js';
import { makeTree } from './helpers/fixtures.js';

describe('ignoredBy', () => {
  it.each([
    ['a plain name excludes the file', ['secret.txt'], 'secret.txt', true],
    ['a directory excludes what is under it', ['node_modules'], 'node_modules/x/index.js', true],
    ['leading slash and ./ are dropped', ['/tmp'], './tmp/a.txt', true],
    ['one level wildcard', ['*/tmp/*'], 'a/tmp/b', true],
    ['one level wildcard does not match at the root', ['*/tmp/*'], 'tmp/b', false],
    ['** matches any depth', ['**/*.log'], 'a/b/c.log', true],
    ['an exception re-includes', ['*.md', '!README.md'], 'README.md', false],
    ['the last matching pattern wins', ['!README.md', '*.md'], 'README.md', true],
    ['comments and blank lines are not patterns', ['# x', '', '  '], 'x', false],
    ['dot files match *', ['*'], '.env', true],
    ['paths outside the context are not judged', ['*'], '../x', false]
  ])('%s', (_n, lines, file, ignored) => {
    expect(ignoredBy(parseDockerignore(lines), file) !== undefined).toBe(ignored);
  });

  it('names the deciding pattern and its line', () => {
    expect(ignoredBy(parseDockerignore(['# header', 'build', '!build/keep']), 'build/out.bin')).toEqual({ pattern: 'build', exclude: true, line: 2 });
  });
});

describe('readDockerignores', () => {
  const ws = makeTree({
    Dockerfile: 'FROM scratch',
    '.dockerignore': 'root-ignore',
    'svc/Dockerfile': 'FROM scratch',
    'svc/.dockerignore': 'svc-ignore',
    'svc/Dockerfile.dockerignore': 'own-ignore',
    'mono/api/Dockerfile': 'FROM scratch',
    'other/Dockerfile': 'FROM scratch'
  });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('reads <Dockerfile>.dockerignore first, then .dockerignore of the context (default: the folder)', () => {
    const got = readDockerignores(ws, ['Dockerfile', 'svc/Dockerfile', 'mono/api/Dockerfile', 'other/Dockerfile'], { 'mono/**/Dockerfile': '.' });
    expect(Object.fromEntries([...got].map(([f, d]) => [f, `${d.file}:${d.lines[0]}`]))).toEqual({
      Dockerfile: '.dockerignore:root-ignore',
      'svc/Dockerfile': 'svc/Dockerfile.dockerignore:own-ignore',
      'mono/api/Dockerfile': '.dockerignore:root-ignore'
    });
  });

  it('ignores what is not a regular file', () => {
    fs.mkdirSync(`${ws}/dir/.dockerignore`, { recursive: true });
    expect(readDockerignores(ws, ['dir/Dockerfile'], {}).size).toBe(0);
  });
});
