import { describe, expect, it } from '@jest/globals';
import { formatText, totalsLine } from '../../src/core/report/text.js';
import { finding, makeReport, richReport } from './fixtures.js';

const ESC = '\u001b';

describe('formatText', () => {
  const rich = formatText(richReport());

  it.each([
    [
      'location, severity, message and rule',
      'Dockerfile:2:1  note     MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead  [maintainer-deprecated]'
    ],
    ['the snippet in a gutter', '   2 | MAINTAINER jane@example.com'],
    ['a caret under column 1', '     | ^\n'],
    ['a caret under column 5', '   3 | ENV TOKEN=******** \\\n     |     ^\n'],
    ['a fix is announced with its description', '    fix available: Pin to alpine:3.20'],
    ['a fix without description', '    fix available\n'],
    ['the totals line', '2 errors, 2 warnings, 1 note in 4 files; 2 suppressed; 1 file could not be read\n'],
    ['the raw path of a finding', 'services\\my api\\Dockerfile:1:1  warning  base image node is not pinned']
  ])('shows %s', (_name, expected) => {
    expect(rich).toContain(expected);
  });

  it.each([
    ['ANSI codes without color: true', ESC],
    ['the fix replacement (only the snippet is source text)', 'LABEL org.opencontainers.image.authors="jane@example.com"'],
    ['a duplicate line for an unreadable file that is already a finding', 'could not be read: invalid UTF-8']
  ])('does not show %s', (_name, unexpected) => {
    expect(rich).not.toContain(unexpected);
  });

  it('prints no gutter for a finding without snippet', () => {
    const block = rich.split('\n\n').find((b) => b.startsWith('broken/Dockerfile:1:1'));
    expect(block).toBe('broken/Dockerfile:1:1  error    invalid UTF-8 at line 1: save the file as UTF-8  [parse-error]');
  });

  it('lists an unreadable file that has no finding', () => {
    const out = formatText(makeReport({ files: ['a', 'b'], errors: [{ file: 'b', message: 'EACCES: permission denied' }] }));
    expect(out).toContain('b  error    could not be read: EACCES: permission denied');
    expect(out).toContain('0 errors, 0 warnings, 0 notes in 2 files; 1 file could not be read');
  });

  it('colors severities, location and caret when asked', () => {
    const out = formatText(richReport(), { color: true });
    expect(out).toContain(`${ESC}[31merror  ${ESC}[0m`);
    expect(out).toContain(`${ESC}[33mwarning${ESC}[0m`);
    expect(out).toContain(`${ESC}[36mnote   ${ESC}[0m`);
    expect(out).toContain(`${ESC}[1mDockerfile:2:1${ESC}[0m`);
    expect(out).toContain(`${ESC}[1;31m2 errors`);
    // eslint-disable-next-line no-control-regex
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatText(richReport()));
  });

  it('neutralises control and bidi characters from the Dockerfile', () => {
    const f = finding({
      ruleId: 'x',
      severity: 'warning',
      file: 'Dockerfile',
      line: 1,
      column: 6,
      message: 'bad\u202ename\nnext',
      snippet: 'RUN\techo \u001b[2J\u0007 done'
    });
    const out = formatText(makeReport({ findings: [f] }));
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(out).toContain('bad\uFFFDname next');
    // Tab kept before the caret so it lines up.
    expect(out).toContain('   1 | RUN\techo \uFFFD[2J\uFFFD done\n     |    \t ^');
  });

  it('clamps a caret past the end of the snippet', () => {
    const f = finding({ ruleId: 'x', severity: 'note', file: 'D', line: 12345, column: 99, snippet: 'AB' });
    expect(formatText(makeReport({ findings: [f] }))).toContain('12345 | AB\n      |   ^');
  });

  it.each([
    ['empty run', makeReport({ files: [] }), '0 errors, 0 warnings, 0 notes in 0 files'],
    [
      'singulars',
      makeReport({ files: ['a'], findings: [finding({ ruleId: 'x', severity: 'error', file: 'a', line: 1 })] }),
      '1 error, 0 warnings, 0 notes in 1 file'
    ],
    [
      'suppressed only',
      makeReport({ files: ['a', 'b'], suppressed: [finding({ ruleId: 'x', severity: 'error', file: 'a', line: 1 })] }),
      '0 errors, 0 warnings, 0 notes in 2 files; 1 suppressed'
    ],
    [
      'two errors in one file count once',
      makeReport({
        files: ['a'],
        errors: [
          { file: 'a', message: 'x' },
          { file: 'a', message: 'y' }
        ]
      }),
      '0 errors, 0 warnings, 0 notes in 1 file; 1 file could not be read'
    ]
  ])('totals: %s', (_name, report, expected) => {
    expect(totalsLine(report)).toBe(expected);
    expect(formatText(report).endsWith(`${expected}\n`)).toBe(true);
  });
});
