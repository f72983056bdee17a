import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import type { Finding } from '../../src/core/finding.js';
import {
  artifactLocation,
  FINGERPRINT_KEY,
  formatSarif,
  mergeSarif,
  runCategory,
  securitySeverity,
  toSarif,
  type SarifLog,
  type SarifResult
} from '../../src/core/report/sarif.js';
import { finding, makeReport, RULES, richReport } from './fixtures.js';

// The official SARIF 2.1.0 schema, as shipped in @microsoft/jest-sarif. It is
// a draft-04 document; Ajv 8 speaks draft-07, which reads every keyword this
// schema uses the same way (it has no boolean exclusiveMinimum/Maximum), so we
// drop the draft-04 `$schema`/`id` and compile it as draft-07. ajv-formats is
// not installed: the three formats the schema uses are checked by hand.
const schemaUrl = new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url);
const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;
// unicodeRegExp: false because one pattern of the schema (language) is not valid with the `u` flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
const isUri = (s: string) => {
  try {
    return new URL(s).protocol !== '';
  } catch {
    return false;
  }
};
ajv.addFormat('uri', isUri);
ajv.addFormat('uri-reference', (s: string) => {
  try {
    new URL(s, 'http://base.invalid/dir/');
    return !/\s/.test(s);
  } catch {
    return false;
  }
});
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

const resultsOf = (log: SarifLog): SarifResult[] => log.runs[0].results;

describe('toSarif: schema', () => {
  it.each([
    ['a rich report (fixes, suppressed, no snippet, unreadable file)', () => toSarif(richReport())],
    ['a rich report with a category', () => toSarif(richReport(), { category: 'container-guard/lint' })],
    ['an empty report', () => toSarif(makeReport({ files: [] }))],
    [
      'a report whose rules have no metadata',
      () => toSarif(makeReport({ rules: [], findings: [finding({ ruleId: 'x', severity: 'note', file: 'a', line: 0, column: 0 })] }))
    ],
    [
      'an absolute POSIX and a Windows path',
      () =>
        toSarif(
          makeReport({
            findings: [
              finding({ ruleId: 'x', severity: 'note', file: '/src/Docker file', line: 1 }),
              finding({ ruleId: 'x', severity: 'note', file: 'C:\\src\\Dockerfile', line: 1 })
            ]
          })
        )
    ],
    [
      'a merged log',
      () =>
        mergeSarif([
          toSarif(richReport(), { category: 'lint' }),
          toSarif(makeReport(), { category: 'verify' }),
          toSarif(makeReport({ tool: { name: 'other', version: 'x', informationUri: '' } }))
        ])
    ],
    ['the formatted string parsed back', () => JSON.parse(formatSarif(richReport()))]
  ])('%s is valid SARIF 2.1.0', (_name, make) => {
    expectValid(make());
  });

  it('the validator does reject broken logs', () => {
    const log = toSarif(richReport()) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } }, results: [] }] })).toBe(false);
  });
});

describe('toSarif: content', () => {
  const report = richReport();
  const log = toSarif(report);
  const run = log.runs[0];
  const rules = run.tool.driver.rules ?? [];

  it('has the header, the driver and one run', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({
      name: 'container-guard',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://github.com/container-guard/container-guard'
    });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.automationDetails).toBeUndefined();
  });

  it('lists every rule that appears (findings and suppressed), sorted, once', () => {
    expect(rules.map((r) => r.id)).toEqual(['maintainer-deprecated', 'no-secret-in-env', 'parse-error', 'pin-base-image']);
  });

  it('points each result at its rule', () => {
    for (const r of run.results) expect(rules[r.ruleIndex as number].id).toBe(r.ruleId);
  });

  it('describes a rule from its metadata', () => {
    const r = rules.find((x) => x.id === 'no-secret-in-env');
    expect(r).toMatchObject({
      name: 'NoSecretInEnv',
      shortDescription: { text: 'Secret in ENV or ARG' },
      fullDescription: { text: RULES[1].description },
      helpUri: 'https://github.com/container-guard/container-guard/blob/main/docs/rules/no-secret-in-env.md',
      defaultConfiguration: { level: 'error', enabled: true },
      properties: { tags: ['security', 'cis:4.10'], precision: 'high', 'security-severity': '9.0' }
    });
    expect(r?.help?.text).toContain('Bad:\nFROM alpine\nENV TOKEN=abc```def');
    // The bad example holds ``` so its fence is longer.
    expect(r?.help?.markdown).toContain('````dockerfile\nFROM alpine\nENV TOKEN=abc```def\n````');
    expect(r?.help?.markdown).toContain('**Good**');
  });

  it('describes a rule without metadata from its finding', () => {
    expect(rules.find((x) => x.id === 'parse-error')).toEqual({
      id: 'parse-error',
      name: 'ParseError',
      shortDescription: { text: 'parse-error' },
      helpUri: 'https://github.com/container-guard/container-guard/blob/main/docs/rules/parse-error.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: [], precision: 'high' }
    });
  });

  it('consumes precision: tags and sets security-severity only for security rules', () => {
    expect(rules.find((x) => x.id === 'pin-base-image')?.properties).toEqual({
      tags: ['security', 'supply-chain'],
      precision: 'very-high',
      'security-severity': '6.0',
      aliases: ['DL3006', 'DL3007']
    });
    expect(rules.find((x) => x.id === 'maintainer-deprecated')?.properties).not.toHaveProperty('security-severity');
  });

  it.each([
    [['security'], 'error', '9.0'],
    [['security'], 'warning', '6.0'],
    [['security'], 'note', '3.0'],
    [['Security'], 'note', '3.0'],
    [['security', 'security-severity:7.5'], 'error', '7.5'],
    [['security', 'security-severity:10'], 'note', '10.0'],
    [['security', 'security-severity:11'], 'warning', '6.0'],
    [['security', 'security-severity:high'], 'warning', '6.0'],
    [['best-practice'], 'error', undefined],
    [['security-severity:8.0'], 'error', undefined]
  ] as const)('security-severity of %j at %s is %s', (tags, level, expected) => {
    expect(securitySeverity(tags, level)).toBe(expected);
  });

  it('scores security-severity from the most severe level the rule has in this run', () => {
    const f = (severity: Finding['severity'], line: number) => finding({ ruleId: 'no-secret-in-env', severity, file: 'D', line });
    const score = (...fs: Finding[]) => toSarif(makeReport({ findings: fs })).runs[0].tool.driver.rules?.[0].properties?.['security-severity'];
    expect(score(f('note', 1))).toBe('3.0');
    expect(score(f('note', 1), f('warning', 2))).toBe('6.0');
  });

  it('writes a result with location, region, snippet and fingerprint', () => {
    const r = resultsOf(log).find((x) => x.ruleId === 'no-secret-in-env');
    expect(r).toMatchObject({
      level: 'error',
      message: { text: 'ENV TOKEN holds a secret (value masked)' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 5, endLine: 4, snippet: { text: 'ENV TOKEN=******** \\' } }
          }
        }
      ]
    });
    expect(r?.partialFingerprints?.[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}:1$/);
    expect(r?.fixes).toBeUndefined();
    expect(r?.suppressions).toBeUndefined();
  });

  it('leaves the snippet out when the finding has none', () => {
    const r = resultsOf(log).find((x) => x.ruleId === 'parse-error');
    expect(r?.locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1 });
  });

  it('writes fixes as whole-line replacements', () => {
    const r = resultsOf(log).find((x) => x.ruleId === 'pin-base-image' && x.locations[0].physicalLocation.artifactLocation.uri === 'Dockerfile');
    expect(r?.fixes).toEqual([
      {
        description: { text: 'Pin to alpine:3.20' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 1, endLine: 1 }, insertedContent: { text: 'FROM alpine:3.20' } }]
          }
        ]
      }
    ]);
    const m = resultsOf(log).find((x) => x.ruleId === 'maintainer-deprecated' && !x.suppressions);
    expect(m?.fixes?.[0]).not.toHaveProperty('description');
  });

  it('includes suppressed findings after the others, with the suppression kind', () => {
    const results = resultsOf(log);
    expect(results).toHaveLength(report.findings.length + report.suppressed.length);
    expect(results.slice(0, report.findings.length).every((r) => !r.suppressions)).toBe(true);
    expect(results.slice(report.findings.length).map((r) => r.suppressions)).toEqual([
      [{ kind: 'inSource', status: 'accepted' }],
      [{ kind: 'external', status: 'accepted' }]
    ]);
  });

  it('reports unreadable files as tool execution notifications', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'could not read broken/Dockerfile: invalid UTF-8 at line 1: save the file as UTF-8' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'broken/Dockerfile', uriBaseId: '%SRCROOT%' } } }]
          }
        ]
      }
    ]);
  });

  it.each([
    ['Dockerfile', { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['./docker/Dockerfile', { uri: 'docker/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['services\\my api\\Dockerfile', { uri: 'services/my%20api/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['a#b/c:d?.Dockerfile', { uri: 'a%23b/c%3Ad%3F.Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['/abs/path/Dockerfile', { uri: 'file:///abs/path/Dockerfile' }],
    ['C:\\work\\Dockerfile', { uri: 'file:///C:/work/Dockerfile' }]
  ])('artifactLocation(%j)', (file, expected) => {
    expect(artifactLocation(file)).toEqual(expected);
  });

  it('writes automationDetails.id from the category', () => {
    expect(toSarif(makeReport(), { category: 'container-guard/lint' }).runs[0].automationDetails).toEqual({ id: 'container-guard/lint/' });
    expect(toSarif(makeReport(), { category: 'lint/' }).runs[0].automationDetails).toEqual({ id: 'lint/' });
  });

  it('formatSarif is the same log as JSON text', () => {
    const text = formatSarif(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": "2.1.0"');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(log)));
  });
});

describe('toSarif: fingerprints', () => {
  const fp = (findings: Finding[]) => resultsOf(toSarif(makeReport({ findings }))).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
  const at = (line: number, snippet?: string, message = 'm', ruleId = 'pin-base-image', file = 'Dockerfile') =>
    finding({ ruleId, severity: 'warning', file, line, snippet, message });

  it('is deterministic', () => {
    expect(fp([at(1, 'FROM a')])).toEqual(fp([at(1, 'FROM a')]));
  });

  it.each([
    ['the line moves', [at(1, 'FROM a')], [at(7, 'FROM a')]],
    ['only indentation changes', [at(1, 'FROM   a')], [at(1, '  FROM a ')]],
    ['the message changes but the snippet does not', [at(1, 'FROM a', 'one')], [at(1, 'FROM a', 'two')]]
  ])('stays the same when %s', (_name, a, b) => {
    expect(fp(a)).toEqual(fp(b));
  });

  it.each([
    ['the snippet', [at(1, 'FROM a')], [at(1, 'FROM b')]],
    ['the rule', [at(1, 'FROM a')], [at(1, 'FROM a', 'm', 'other-rule')]],
    ['the file', [at(1, 'FROM a')], [at(1, 'FROM a', 'm', 'pin-base-image', 'Other')]],
    ['the message, when there is no snippet', [at(1, undefined, 'one')], [at(1, undefined, 'two')]]
  ])('changes with %s', (_name, a, b) => {
    expect(fp(a)).not.toEqual(fp(b));
  });

  it('numbers identical lines in one file so they stay distinct', () => {
    const [a, b] = fp([at(1, 'FROM a'), at(5, 'FROM a')]);
    expect(a?.endsWith(':1')).toBe(true);
    expect(b?.endsWith(':2')).toBe(true);
    expect(a?.split(':')[0]).toBe(b?.split(':')[0]);
  });

  it('treats backslash and forward-slash paths alike', () => {
    expect(fp([at(1, 'FROM a', 'm', 'r', 'a\\Dockerfile')])).toEqual(fp([at(1, 'FROM a', 'm', 'r', 'a/Dockerfile')]));
  });

  it('does not renumber findings when an identical one is suppressed', () => {
    const a = at(1, 'FROM a');
    const b = at(5, 'FROM a');
    const both = resultsOf(toSarif(makeReport({ findings: [a, b] }))).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
    const oneSuppressed = resultsOf(toSarif(makeReport({ findings: [b], suppressed: [a] })));
    expect(oneSuppressed[0].partialFingerprints?.[FINGERPRINT_KEY]).toBe(both[1]);
    expect(oneSuppressed[1].partialFingerprints?.[FINGERPRINT_KEY]).toBe(both[0]);
  });
});

describe('mergeSarif', () => {
  const lint = toSarif(richReport(), { category: 'container-guard/lint' });
  const verify = toSarif(makeReport({ findings: [finding({ ruleId: 'sig', severity: 'error', file: 'image.ref', line: 1 })] }), {
    category: 'container-guard/verify'
  });

  it('keeps one run per source, in order, with its category', () => {
    const merged = mergeSarif([lint, verify]);
    expect(merged.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(merged.version).toBe('2.1.0');
    expect(merged.runs.map((r) => r.automationDetails?.id)).toEqual(['container-guard/lint/', 'container-guard/verify/']);
    expect(merged.runs[0]).toEqual(lint.runs[0]);
    expect(merged.runs[1].results).toHaveLength(1);
  });

  it('copies runs instead of sharing them', () => {
    const merged = mergeSarif([lint]);
    merged.runs[0].results.length = 0;
    expect(lint.runs[0].results.length).toBeGreaterThan(0);
  });

  it.each([
    ['no logs', [], 0],
    ['one log', [lint], 1],
    ['a log with two runs plus another', [mergeSarif([lint, verify]), toSarif(makeReport(), { category: 'gate' })], 3],
    [
      'same category, different tools',
      [lint, toSarif(makeReport({ tool: { name: 'trivy', version: '1', informationUri: '' } }), { category: 'container-guard/lint' })],
      2
    ]
  ])('merges %s', (_name, logs, runs) => {
    const merged = mergeSarif(logs as SarifLog[]);
    expect(merged.runs).toHaveLength(runs);
    expectValid(merged);
  });

  it.each([
    ['the same category twice', [lint, lint]],
    ['two runs without category', [toSarif(makeReport()), toSarif(makeReport())]],
    [
      'categories that differ only in the run id',
      [
        toSarif(makeReport(), { category: 'a' }),
        { ...toSarif(makeReport()), runs: [{ ...toSarif(makeReport()).runs[0], automationDetails: { id: 'a/2024-01-01' } }] }
      ]
    ]
  ])('refuses %s (GitHub rejects it) unless allowed', (_name, logs) => {
    expect(() => mergeSarif(logs as SarifLog[])).toThrow(/same|category/);
    expect(mergeSarif(logs as SarifLog[], { allowDuplicateCategories: true }).runs).toHaveLength(2);
  });

  it('refuses a log of another SARIF version', () => {
    expect(() => mergeSarif([{ ...lint, version: '2.0.0' } as unknown as SarifLog])).toThrow(/2\.0\.0/);
  });

  it.each([
    [undefined, ''],
    ['lint/', 'lint'],
    ['a/b/2024-01-01', 'a/b'],
    ['plain', 'plain']
  ])('runCategory of id %j is %j', (id, expected) => {
    expect(runCategory({ tool: { driver: { name: 'x' } }, results: [], ...(id ? { automationDetails: { id } } : {}) })).toBe(expected);
  });
});
