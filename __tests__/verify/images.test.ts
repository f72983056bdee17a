/** Which references verify checks: a Dockerfile's external images and reference lists, as tables. */
import { describe, expect, test } from '@jest/globals';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { groupByReference, imagesOfDockerfile, parseImageList } from '../../src/core/verify/images.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('imagesOfDockerfile', () => {
  test.each<[string, string, Record<string, string>, [number, string, string][], [number, string][]]>([
    ['plain FROM', 'FROM nginx:1.27\n', {}, [[1, 'docker.io/library/nginx:1.27', 'FROM']], []],
    ['no tag means latest', 'FROM alpine\n', {}, [[1, 'docker.io/library/alpine:latest', 'FROM']], []],
    ['digest kept', `FROM ghcr.io/acme/api:1.4@${D}\n`, {}, [[1, `ghcr.io/acme/api:1.4@${D}`, 'FROM']], []],
    [
      'stage alias and scratch are not images',
      'FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /x /x\n',
      {},
      [[1, 'docker.io/library/golang:1.23', 'FROM']],
      []
    ],
    ['ARG default resolved', 'ARG BASE=debian:12\nFROM ${BASE}\n', {}, [[2, 'docker.io/library/debian:12', 'FROM']], []],
    ['build arg wins over the default', 'ARG BASE=debian:12\nFROM ${BASE}\n', { BASE: 'ubuntu:24.04' }, [[2, 'docker.io/library/ubuntu:24.04', 'FROM']], []],
    ['unresolvable ARG is skipped with the reason', 'ARG BASE\nFROM ${BASE}\n', {}, [], [[2, 'cannot resolve BASE (no ARG default and no build arg)']]],
    [
      'invalid reference is a failure, with why',
      'FROM Not_Valid:tag\n',
      {},
      [],
      [[1, '"Not_Valid:tag" has upper-case letters in its repository: repositories are lower case']]
    ],
    [
      'COPY --from image and RUN --mount from image',
      'FROM alpine:3.20\nCOPY --from=busybox:1.37 /bin/busybox /bin/\nRUN --mount=type=bind,from=quay.io/x/y:2,target=/m true\n',
      {},
      [
        [1, 'docker.io/library/alpine:3.20', 'FROM'],
        [2, 'docker.io/library/busybox:1.37', 'COPY --from'],
        [3, 'quay.io/x/y:2', 'RUN --mount from']
      ],
      []
    ],
    [
      'COPY --from stage index is not an image',
      'FROM alpine:3.20\nFROM alpine:3.20\nCOPY --from=0 /a /a\n',
      {},
      [
        [1, 'docker.io/library/alpine:3.20', 'FROM'],
        [2, 'docker.io/library/alpine:3.20', 'FROM']
      ],
      []
    ],
    ['templates are not images', 'FROM nginx:{{ version }}\n', {}, [], [[1, 'a template placeholder, not an image']]]
  ])('%s', (_name, text, buildArgs, uses, skipped) => {
    const r = imagesOfDockerfile(parseDockerfile('Dockerfile', text, { buildArgs }));
    expect(r.uses.map((u) => [u.line, u.reference, u.via])).toEqual(uses);
    expect(r.skipped.map((s) => [s.line, s.reason])).toEqual(skipped);
    for (const u of r.uses) expect(u.file).toBe('Dockerfile');
  });
});

describe('parseImageList', () => {
  test('lines, commas, spaces and comments; each reference keeps its line and column', () => {
    const r = parseImageList('# images we ship\nnginx:1.27, ghcr.io/acme/api:1.4\n\n  quay.io/x/y@' + D + '  # pinned\nBAD REF!\n', 'images.txt');
    expect(r.uses.map((u) => [u.line, u.column, u.reference])).toEqual([
      [2, 1, 'docker.io/library/nginx:1.27'],
      [2, 13, 'ghcr.io/acme/api:1.4'],
      [4, 3, `quay.io/x/y@${D}`]
    ]);
    expect(r.skipped.map((s) => [s.file, s.line, s.text])).toEqual([
      ['images.txt', 5, 'BAD'],
      ['images.txt', 5, 'REF!']
    ]);
  });
});

test('groupByReference keeps first-seen order and every use', () => {
  const a = imagesOfDockerfile(parseDockerfile('a/Dockerfile', 'FROM nginx:1.27\nFROM alpine:3\n'));
  const b = imagesOfDockerfile(parseDockerfile('b/Dockerfile', 'FROM docker.io/library/nginx:1.27\n'));
  const groups = groupByReference([...a.uses, ...b.uses]);
  expect([...groups.keys()]).toEqual(['docker.io/library/nginx:1.27', 'docker.io/library/alpine:3']);
  expect(groups.get('docker.io/library/nginx:1.27')!.map((u) => u.file)).toEqual(['a/Dockerfile', 'b/Dockerfile']);
});
