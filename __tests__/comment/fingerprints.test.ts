import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { baselineOf, compareWith, decodeState, encodeState, fingerprint, fingerprintAll, stateOf, type RunState } from '../../src/core/comment/fingerprints.js';
import { finding } from './fixtures.js';

const a = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 9, message: 'runs as root' });
const b = finding({ ruleId: 'apt-pin', severity: 'warning', file: 'Dockerfile', line: 3, message: 'pin' });
const c = finding({ ruleId: 'label', severity: 'note', file: 'api/Dockerfile', line: 1, message: 'label' });

describe('fingerprints', () => {
  it('are 8 base64 characters of SHA-256 over tool, rule, file, message and occurrence', () => {
    const expected = createHash('sha256').update('lint\u0000root-user\u0000Dockerfile\u0000runs as root\u00000').digest().subarray(0, 6).toString('base64');
    expect(fingerprint(a)).toBe(expected);
    expect(fingerprint(a)).toMatch(/^[A-Za-z0-9+/]{8}$/);
  });

  it.each([
    ['the line', { line: 40, endLine: 40 }, true],
    ['the column', { column: 7 }, true],
    ['the severity', { severity: 'note' as const }, true],
    ['the help', { help: 'x' }, true],
    ['a ./ path', { file: './Dockerfile' }, true],
    ['the tool', { tool: 'gate' }, false],
    ['the rule', { ruleId: 'other' }, false],
    ['the file', { file: 'b/Dockerfile' }, false],
    ['the message', { message: 'runs as UID 0' }, false]
  ])('changing %s keeps it: %s', (_name, change, same) => {
    expect(fingerprint({ ...a, ...change }) === fingerprint(a)).toBe(same);
  });

  it('numbers identical findings of one file in file order, whatever the input order', () => {
    const first = { ...a, line: 2, endLine: 2 };
    const second = { ...a, line: 30, endLine: 30 };
    const fps = fingerprintAll([second, first]);
    expect(fps[1]).toBe(fingerprint(a));
    expect(fps[0]).not.toBe(fps[1]);
    expect(fingerprintAll([first, second])).toEqual([fps[1], fps[0]]);
  });
});

describe('the hidden state line', () => {
  const state: RunState = {
    sha: 'abc123',
    sets: { error: { total: 1, fps: ['AAAAAAAA'] }, warning: { total: 2, fps: ['BBBBBBBB', 'CCCC+/CC'] }, note: { total: 0, fps: [] } },
    delta: { base: 'def456', added: ['BBBBBBBB'], fixed: ['DDDDDDDD'] }
  };

  it('encodes and decodes', () => {
    const line = encodeState(state);
    expect(line).toBe(
      '<!-- container-guard:fingerprints:v1 sha=abc123 error=1:AAAAAAAA warning=2:BBBBBBBBCCCC+/CC note=0: base=def456 new=BBBBBBBB fixed=DDDDDDDD -->'
    );
    expect(decodeState(`text\n\n${line}\n`)).toEqual(state);
  });

  it('encodes a first run as compared with nothing', () => {
    const first = { ...state, delta: { base: null, added: [], fixed: [] } };
    expect(encodeState(first)).toContain(' base=- new= fixed= -->');
    expect(decodeState(encodeState(first))).toEqual(first);
  });

  it('keeps the most severe fingerprints within its budget, then leaves the delta out', () => {
    const full = encodeState(state);
    const withoutDelta = full.replace(' base=def456 new=BBBBBBBB fixed=DDDDDDDD', '');
    expect(encodeState(state, withoutDelta.length)).toBe(withoutDelta);
    const oneWarning = withoutDelta.replace('CCCC+/CC', '');
    expect(encodeState(state, oneWarning.length)).toBe(oneWarning);
    expect(decodeState(oneWarning)).toEqual({
      sha: 'abc123',
      sets: { error: { total: 1, fps: ['AAAAAAAA'] }, warning: { total: 2, fps: ['BBBBBBBB'] }, note: { total: 0, fps: [] } }
    });
  });

  it('encodes a sha that could end the comment', () => {
    const odd = { ...state, sha: 'a --> b' };
    expect(encodeState(odd)).toContain('sha=a%20--%3E%20b ');
    expect(decodeState(encodeState(odd))?.sha).toBe('a --> b');
  });

  it.each([
    ['no line', 'hello'],
    ['no sha', '<!-- container-guard:fingerprints:v1 error=0: warning=0: note=0: -->'],
    ['a missing severity', '<!-- container-guard:fingerprints:v1 sha=a error=0: warning=0: -->'],
    ['a bad fingerprint', '<!-- container-guard:fingerprints:v1 sha=a error=1:AAAA warning=0: note=0: -->'],
    ['no end', '<!-- container-guard:fingerprints:v1 sha=a error=0: warning=0: note=0:']
  ])('reads nothing from %s', (_name, body) => {
    expect(decodeState(body)).toBeUndefined();
  });
});

describe('baselines', () => {
  const fps = fingerprintAll([a, b, c]);
  const run1 = stateOf('sha1', [a, b], fps.slice(0, 2), undefined);

  it('compares with the previous run of another commit', () => {
    const base = baselineOf(run1, 'sha2');
    expect(base).toEqual({ sha: 'sha1', fps: new Set(fps.slice(0, 2)), complete: { error: true, warning: true, note: true } });
    const changes = compareWith([b, c], [fps[1], fps[2]], base!);
    expect(changes).toEqual({ since: 'sha1', added: [c], addedFps: [fps[2]], fixed: [fps[0]], fixedAtLeast: false, unknown: 0 });
  });

  it('a re-run of the same commit compares with what that run compared with', () => {
    expect(baselineOf(run1, 'sha1')).toBeUndefined();
    const changes = compareWith([b, c], [fps[1], fps[2]], baselineOf(run1, 'sha2')!);
    const run2 = stateOf('sha2', [b, c], [fps[1], fps[2]], changes);
    expect(baselineOf(decodeState(encodeState(run2)), 'sha2')).toEqual(baselineOf(run1, 'sha2'));
  });

  it('only calls findings new where the baseline listed its severity in full', () => {
    const partial: RunState = { sha: 's', sets: { error: { total: 1, fps: [fps[0]] }, warning: { total: 5, fps: [] }, note: { total: 0, fps: [] } } };
    const changes = compareWith([a, b, c], fps, baselineOf(partial, 't')!);
    expect(changes).toMatchObject({ added: [c], fixed: [], fixedAtLeast: true, unknown: 1 });
  });
});
