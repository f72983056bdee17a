import { beforeAll, describe, expect, it } from '@jest/globals';
import rule from '../../src/core/rules/multiple-instructions.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nENTRYPOINT ["app"]\nCMD ["--help"]\nHEALTHCHECK CMD ["app", "ping"]',
    { name: 'one per stage', code: 'FROM alpine:3.20 AS a\nCMD ["a"]\nFROM a\nCMD ["b"]' },
    { name: 'ONBUILD CMD does not count', code: 'FROM alpine:3.20\nONBUILD CMD ["a"]\nCMD ["b"]' },
    {
      name: 'the CMD of a HEALTHCHECK is not a CMD',
      code: 'FROM python:3-alpine\nHEALTHCHECK CMD curl -f http://localhost || exit 1\nCMD python -m http.server'
    },
    { name: 'the word in a RUN', code: 'FROM alpine:3.20\nRUN echo CMD\nCMD ["x"]' }
  ],
  invalid: [
    { name: 'CMD: the overridden one', code: 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]', errors: [{ line: 2, message: 'the CMD at line 3 overrides it' }] },
    {
      name: 'ENTRYPOINT, shell and exec form, any case',
      code: 'FROM alpine:3.20\nENTRYPOINT /init.sh\nCMD ["x"]\nentrypoint ["app"]',
      errors: [{ line: 2, message: 'Multiple ENTRYPOINT instructions' }]
    },
    {
      name: 'HEALTHCHECK NONE counts',
      code: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/\nHEALTHCHECK NONE',
      errors: [{ line: 2, message: 'HEALTHCHECK at line 3' }]
    },
    {
      name: 'three: each but the last',
      code: 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]',
      errors: [
        { line: 2, message: 'line 3' },
        { line: 3, message: 'line 4' }
      ]
    },
    { name: 'second stage only', code: 'FROM alpine:3.20 AS a\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\nCMD ["c"]', errors: [{ line: 4 }] }
  ]
});

describe('multiple-instructions severities and suppression by any alias', () => {
  beforeAll(loadShellParser);
  it('ENTRYPOINT and HEALTHCHECK are errors, CMD a warning', () => {
    const code = 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nHEALTHCHECK NONE\nHEALTHCHECK NONE';
    expect(lintWith(rule, { code }).findings.map((f) => `${f.line}:${f.severity}`)).toEqual(['2:warning', '4:error', '6:error']);
  });
  it.each(['hadolint ignore=DL4003', 'check=skip=MultipleInstructionsDisallowed', 'container-guard ignore=multiple-cmd'])(
    '# %s above the overridden CMD',
    (pragma) => {
      const r = lintWith(rule, { code: `FROM alpine:3.20\n# ${pragma}\nCMD ["a"]\nCMD ["b"]` });
      expect(r.findings).toEqual([]);
      expect(r.suppressed).toHaveLength(1);
    }
  );
});
