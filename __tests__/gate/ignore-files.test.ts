import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/core/config/load.js';
import {
  legacyConstraintsMatch,
  legacyIgnoreSyntax,
  parseGrypeIgnore,
  parseLegacyIgnore,
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
  type LegacyIgnoreRule
} from '../../src/core/gate/ignore-files.js';
import type { ScanFinding } from '../../src/core/gate/types.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('.trivyignore', () => {
  it('ids, comments, expiry (the day before exp:, as Trivy drops the entry at midnight), reasons', () => {
    const text = [
      '# Accept the risk',
      'CVE-2018-14618',
      '',
      '# No impact in our settings',
      '# (see PLAT-12)',
      'CVE-2019-14697 exp:2023-01-01',
      'CVE-2019-1543',
      '',
      'AVD-DS-0002   # runs as root on purpose',
      'generic-unwanted-rule exp:2030-03-01 key2:value2',
      '   CVE-2020-1\t'
    ].join('\n');
    const rules = parseTrivyIgnore(text, 'repo/.trivyignore');
    expect(rules).toEqual([
      { id: 'CVE-2018-14618', reason: 'Accept the risk', source: { file: 'repo/.trivyignore', line: 2 }, syntax: 'trivyignore' },
      {
        id: 'CVE-2019-14697',
        reason: 'No impact in our settings (see PLAT-12)',
        until: '2022-12-31',
        source: { file: 'repo/.trivyignore', line: 6 },
        syntax: 'trivyignore'
      },
      { id: 'CVE-2019-1543', reason: 'No impact in our settings (see PLAT-12)', source: { file: 'repo/.trivyignore', line: 7 }, syntax: 'trivyignore' },
      { id: 'AVD-DS-0002', reason: 'runs as root on purpose', source: { file: 'repo/.trivyignore', line: 9 }, syntax: 'trivyignore' },
      { id: 'generic-unwanted-rule', reason: 'from .trivyignore', until: '2030-02-28', source: { file: 'repo/.trivyignore', line: 10 }, syntax: 'trivyignore' },
      { id: 'CVE-2020-1', reason: 'from .trivyignore', source: { file: 'repo/.trivyignore', line: 11 }, syntax: 'trivyignore' }
    ]);
  });

  it('a comment after entries starts a new block; CRLF line ends; leap days', () => {
    const rules = parseTrivyIgnore('# a\r\nCVE-1\r\n# b\r\nCVE-2 exp:2024-03-01\r\n', '.trivyignore');
    expect(rules.map((r) => [r.id, r.reason, r.until, r.source.line])).toEqual([
      ['CVE-1', 'a', undefined, 2],
      ['CVE-2', 'b', '2024-02-29', 4]
    ]);
  });

  it('an empty or comment-only file has no rules', () => {
    expect(parseTrivyIgnore('', '.trivyignore')).toEqual([]);
    expect(parseTrivyIgnore('# nothing\n\n', '.trivyignore')).toEqual([]);
  });

  it.each([
    ['not a date', 'CVE-1\nCVE-2 exp:2023-13-01\n', 2, /invalid expiry "exp:2023-13-01" for CVE-2/],
    ['wrong format', 'CVE-3 exp:01/02/2023', 1, /expected exp:YYYY-MM-DD/],
    ['empty date', '\n\nCVE-4 exp:', 3, /invalid expiry/]
  ])('bad expiry (%s) names file:line', (_name, text, line, message) => {
    const e = errorOf(() => parseTrivyIgnore(text, 'x/.trivyignore'));
    expect(e.line).toBe(line);
    expect(e.message).toMatch(new RegExp(`^x/\\.trivyignore:${line}: `));
    expect(e.message).toMatch(message);
  });
});

describe('.trivyignore.yaml', () => {
  const text = `vulnerabilities:
  - id: CVE-2019-0001
    paths:
      - "**/*-lock.json"
    statement: lock files are not shipped
  - id: CVE-2019-0005
    expired_at: 2023-01-01
  - id: CVE-2019-0007
    purls:
      - "pkg:golang/github.com/aquasecurity/aaa@9.9.9"
      - "pkg:maven/org.apache/commons-text"
misconfigurations:
  - id: AVD-DS-0002
    paths: ["app/Dockerfile"]
secrets:
  - id: generic-unwanted-rule
licenses:
  - id: GPL-3.0
`;

  it('each section, kinds, paths, purls (one rule each, package from the purl), expiry, statements', () => {
    const rules = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
    const src = (line: number) => ({ file: '.trivyignore.yaml', line });
    expect(rules).toEqual([
      {
        id: 'CVE-2019-0001',
        reason: 'lock files are not shipped',
        source: src(2),
        syntax: 'trivyignore-yaml',
        kinds: ['vulnerability'],
        paths: ['**/*-lock.json']
      },
      { id: 'CVE-2019-0005', reason: 'from .trivyignore.yaml', until: '2022-12-31', source: src(6), syntax: 'trivyignore-yaml', kinds: ['vulnerability'] },
      {
        id: 'CVE-2019-0007',
        reason: 'from .trivyignore.yaml',
        source: src(8),
        syntax: 'trivyignore-yaml',
        kinds: ['vulnerability'],
        package: 'github.com/aquasecurity/aaa',
        purls: ['pkg:golang/github.com/aquasecurity/aaa@9.9.9']
      },
      {
        id: 'CVE-2019-0007',
        reason: 'from .trivyignore.yaml',
        source: src(8),
        syntax: 'trivyignore-yaml',
        kinds: ['vulnerability'],
        package: 'org.apache:commons-text',
        purls: ['pkg:maven/org.apache/commons-text']
      },
      {
        id: 'AVD-DS-0002',
        reason: 'from .trivyignore.yaml',
        source: src(13),
        syntax: 'trivyignore-yaml',
        kinds: ['misconfiguration'],
        paths: ['app/Dockerfile']
      },
      { id: 'generic-unwanted-rule', reason: 'from .trivyignore.yaml', source: src(16), syntax: 'trivyignore-yaml', kinds: ['secret'] }
    ]);
  });

  it('expired_at as a date-time: the last full day before it', () => {
    const [r] = parseTrivyIgnoreYaml('vulnerabilities:\n  - id: CVE-1\n    expired_at: "2024-05-10T15:00:00Z"\n', 'f.yaml');
    expect(r.until).toBe('2024-05-09');
  });

  it('empty, comments only and empty sections give no rules', () => {
    expect(parseTrivyIgnoreYaml('', 'f.yaml')).toEqual([]);
    expect(parseTrivyIgnoreYaml('# none\n', 'f.yaml')).toEqual([]);
    expect(parseTrivyIgnoreYaml('vulnerabilities:\nsecrets: []\n', 'f.yaml')).toEqual([]);
  });

  it.each([
    ['invalid YAML', 'vulnerabilities:\n  - id: [CVE-1\n', 3, /invalid YAML/],
    ['not a mapping', '- CVE-1\n', 1, /must be a mapping/],
    ['unknown section', 'vulnerabilities: []\nvulnerabilitys:\n  - id: CVE-1\n', 2, /unknown key "vulnerabilitys"/],
    ['section not a list', 'secrets:\n  id: x\n', 1, /"secrets" must be a list/],
    ['entry not a mapping', 'vulnerabilities:\n  - CVE-1\n', 2, /entries must be mappings/],
    ['unknown entry key', 'vulnerabilities:\n  - id: CVE-1\n    reason: x\n', 3, /unknown key "reason"/],
    ['entry without id', 'vulnerabilities:\n  - id: CVE-1\n  - paths: ["vendor/**"]\n    statement: vendored\n', 3, /entry without an id/],
    ['bad expired_at', 'vulnerabilities:\n  - id: CVE-1\n    expired_at: someday\n', 3, /expired_at "someday" is not a date/],
    ['impossible expired_at', 'vulnerabilities:\n  - id: CVE-1\n    expired_at: 2023-02-30\n', 3, /is not a date/],
    ['bad purl', 'vulnerabilities:\n  - id: CVE-1\n    purls:\n      - pkg:npm/ok@1\n      - not-a-purl\n', 5, /"not-a-purl" is not a package URL/],
    ['paths not a list', 'vulnerabilities:\n  - id: CVE-1\n    paths: "a/**"\n', 3, /paths must be a list of strings/],
    ['statement not a string', 'vulnerabilities:\n  - id: CVE-1\n    statement: [a]\n', 3, /statement must be a string/]
  ])('%s → ConfigError at file:line', (_name, yaml, line, message) => {
    const e = errorOf(() => parseTrivyIgnoreYaml(yaml, 'ci/.trivyignore.yaml'));
    expect(e.file).toBe('ci/.trivyignore.yaml');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });
});

describe('.grype.yaml', () => {
  it('ignore rules with vulnerability, package name/version/type/location, fix-state, reason; other settings not read', () => {
    const text = `output: json
fail-on-severity: high
ignore:
  - vulnerability: CVE-2008-4318
    fix-state: unknown
    package:
      name: libcurl
      version: 1.5.1
      type: npm
      location: "/usr/local/lib/node_modules/**"
  - vulnerability: GHSA-jfh8-c2jp-5v3q
    reason: not reachable from our code
    include-aliases: true
  - vex-status: not_affected
    vex-justification: vulnerable_code_not_present
`;
    expect(parseGrypeIgnore(text, '.grype.yaml')).toEqual([
      {
        id: 'CVE-2008-4318',
        reason: 'from .grype.yaml',
        source: { file: '.grype.yaml', line: 4 },
        syntax: 'grype',
        fixState: 'unknown',
        package: 'libcurl',
        version: '1.5.1',
        packageType: 'npm',
        location: '/usr/local/lib/node_modules/**'
      },
      { id: 'GHSA-jfh8-c2jp-5v3q', reason: 'not reachable from our code', source: { file: '.grype.yaml', line: 11 }, syntax: 'grype' }
    ]);
  });

  it('a Grype config without ignore rules has none', () => {
    expect(parseGrypeIgnore('output: table\n', '.grype.yaml')).toEqual([]);
    expect(parseGrypeIgnore('ignore:\n', '.grype.yaml')).toEqual([]);
    expect(parseGrypeIgnore('', '.grype.yaml')).toEqual([]);
  });

  it.each([
    ['invalid YAML (an unterminated quote is reported where the file ends)', 'ignore:\n  - vulnerability: "CVE-1\n', 3, /invalid YAML/],
    ['ignore not a list', 'ignore:\n  vulnerability: CVE-1\n', 1, /"ignore" must be a list/],
    ['rule without vulnerability', 'ignore:\n  - vulnerability: CVE-1\n  - fix-state: wont-fix\n', 3, /without "vulnerability".*only-fixable/],
    ['unknown key', 'ignore:\n  - vulnerability: CVE-1\n    vulnerabilty: CVE-2\n', 3, /unknown key "vulnerabilty"/],
    ['namespace is not supported', 'ignore:\n  - vulnerability: CVE-1\n    namespace: nvd\n', 3, /"namespace" is not supported/],
    ['match-type is not supported', 'ignore:\n  - vulnerability: CVE-1\n    match-type: exact-direct-match\n', 3, /"match-type" is not supported/],
    [
      'package.language is not supported',
      'ignore:\n  - vulnerability: CVE-1\n    package:\n      language: python\n',
      4,
      /"package\.language" is not supported/
    ],
    ['bad fix-state', 'ignore:\n  - vulnerability: CVE-1\n    fix-state: maybe\n', 3, /fix-state must be one of/],
    ['package not a mapping', 'ignore:\n  - vulnerability: CVE-1\n    package: libcurl\n', 3, /package must be a mapping/],
    ['package name not a string', 'ignore:\n  - vulnerability: CVE-1\n    package:\n      name: [a]\n', 4, /package\.name must be a non-empty string/],
    ['include-aliases not a boolean', 'ignore:\n  - vulnerability: CVE-1\n    include-aliases: yes please\n', 3, /include-aliases must be true or false/]
  ])('%s → ConfigError at file:line', (_name, yaml, line, message) => {
    const e = errorOf(() => parseGrypeIgnore(yaml, 'ops/.grype.yaml'));
    expect(e.file).toBe('ops/.grype.yaml');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });
});

describe('syntax from the file name, and dispatch', () => {
  it.each([
    ['.trivyignore', 'trivyignore'],
    ['repo/.trivyignore', 'trivyignore'],
    ['repo/.trivyignore.yaml', 'trivyignore-yaml'],
    ['trivyignore.yml', 'trivyignore-yaml'],
    ['.grype.yaml', 'grype'],
    ['ci\\grype.yml', 'grype'],
    ['.container-guard.yml', undefined]
  ])('%s → %s', (file, syntax) => {
    expect(legacyIgnoreSyntax(file)).toBe(syntax);
  });

  it('parseLegacyIgnore dispatches', () => {
    expect(parseLegacyIgnore('CVE-1', 'a', 'trivyignore')[0].syntax).toBe('trivyignore');
    expect(parseLegacyIgnore('secrets:\n  - id: x\n', 'a', 'trivyignore-yaml')[0].kinds).toEqual(['secret']);
    expect(parseLegacyIgnore('ignore:\n  - vulnerability: CVE-1\n', 'a', 'grype')[0].syntax).toBe('grype');
  });
});

describe('legacyConstraintsMatch', () => {
  const f = (extra: Partial<ScanFinding> = {}): ScanFinding => ({
    kind: 'vulnerability',
    id: 'CVE-1',
    aliases: [],
    severity: 'high',
    fixable: false,
    package: 'libcurl',
    version: '1.5.1',
    purl: 'pkg:npm/libcurl@1.5.1',
    status: 'unknown',
    target: '/usr/local/lib/node_modules/libcurl/package.json',
    title: 't',
    source: { format: 'grype', file: 'g.json' },
    ...extra
  });
  const rule = (extra: Partial<LegacyIgnoreRule>): LegacyIgnoreRule => ({
    id: 'CVE-1',
    reason: 'r',
    source: { file: 'x', line: 1 },
    syntax: 'grype',
    ...extra
  });

  it.each<[string, Partial<LegacyIgnoreRule>, Partial<ScanFinding>, boolean]>([
    ['no constraints', {}, {}, true],
    ['kind matches', { kinds: ['vulnerability'] }, {}, true],
    ['kind differs', { kinds: ['secret'] }, {}, false],
    ['path glob over the target', { paths: ['**/node_modules/**'] }, {}, true],
    [
      'path glob over the location',
      { paths: ['app/Dockerfile'] },
      { kind: 'misconfiguration', target: 'app/Dockerfile', location: { file: 'app/Dockerfile', line: 3 } },
      true
    ],
    ['path glob, leading slash tolerated', { paths: ['usr/local/**'] }, {}, true],
    ['path glob misses', { paths: ['**/*-lock.json'] }, {}, false],
    ['purl without version', { purls: ['pkg:npm/libcurl'] }, {}, true],
    ['purl with another version', { purls: ['pkg:npm/libcurl@2'] }, {}, false],
    ['purl, finding has none', { purls: ['pkg:npm/libcurl'] }, { purl: undefined }, false],
    ['version', { version: '1.5.1' }, {}, true],
    ['other version', { version: '1.5.2' }, {}, false],
    ['package type npm', { packageType: 'npm' }, {}, true],
    ['package type python vs npm purl', { packageType: 'python' }, {}, false],
    ['package type go-module vs golang purl', { packageType: 'go-module' }, { purl: 'pkg:golang/github.com/a/b@v1' }, true],
    ['location glob', { location: '/usr/local/lib/node_modules/**' }, {}, true],
    ['location glob misses', { location: '/opt/**' }, {}, false],
    ['fix state', { fixState: 'unknown' }, {}, true],
    ['other fix state', { fixState: 'wont-fix' }, {}, false]
  ])('%s', (_name, r, finding, want) => {
    expect(legacyConstraintsMatch(rule(r), f(finding))).toBe(want);
  });
});
