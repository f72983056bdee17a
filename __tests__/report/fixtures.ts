/** Shared RunReport fixtures for the formatter tests (not a test file itself). */
import { compareFindings, countBySeverity, type Finding, type Severity } from '../../src/core/finding.js';
import type { RunReport } from '../../src/core/report/types.js';
import type { RuleMeta } from '../../src/core/rules/types.js';
import { docsUrl } from '../../src/core/rules/types.js';

export const RULES: RuleMeta[] = [
  {
    id: 'maintainer-deprecated',
    aliases: ['DL4000', 'MaintainerDeprecated'],
    severity: 'note',
    title: 'MAINTAINER is deprecated',
    description: 'The `MAINTAINER` instruction is deprecated. Use the OCI label instead.',
    bad: 'FROM alpine:3.20\nMAINTAINER jane@example.com',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="jane@example.com"',
    tags: ['maintainability']
  },
  {
    id: 'no-secret-in-env',
    aliases: ['DL3000-ish', 'SecretsUsedInArgOrEnv'],
    severity: 'error',
    title: 'Secret in ENV or ARG',
    description: 'Values of `ENV` and `ARG` stay in the image history. Use a build secret.',
    bad: 'FROM alpine\nENV TOKEN=abc```def',
    good: 'FROM alpine\nRUN --mount=type=secret,id=token cat /run/secrets/token',
    tags: ['security', 'cis:4.10', 'security']
  },
  {
    id: 'pin-base-image',
    aliases: ['DL3006', 'DL3007'],
    severity: 'warning',
    title: 'Pin the base image',
    description: 'Pin the base image by digest.',
    bad: 'FROM alpine',
    good: 'FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    tags: ['security', 'precision:very-high', 'supply-chain']
  }
];

export function finding(p: Partial<Finding> & { ruleId: string; severity: Severity; file: string; line: number }): Finding {
  return {
    aliases: [],
    column: 1,
    endLine: p.line,
    message: `${p.ruleId} at line ${p.line}`,
    help: docsUrl(p.ruleId),
    tool: 'lint',
    ...p
  };
}

export function makeReport(p: Partial<RunReport> = {}): RunReport {
  const findings = p.findings ?? [];
  return {
    tool: { name: 'container-guard', version: '0.1.0', informationUri: 'https://github.com/container-guard/container-guard' },
    suppressed: [],
    files: ['Dockerfile'],
    errors: [],
    rules: RULES,
    ...p,
    findings,
    counts: p.counts ?? countBySeverity(findings)
  };
}

/** Several findings: fixes, multi-line, no snippet, odd paths; two suppressed; one unreadable file. */
export function richReport(): RunReport {
  const findings: Finding[] = [
    finding({
      ruleId: 'parse-error',
      severity: 'error',
      file: 'broken/Dockerfile',
      line: 1,
      message: 'invalid UTF-8 at line 1: save the file as UTF-8',
      help: docsUrl('parse-error')
    }),
    finding({
      ruleId: 'pin-base-image',
      severity: 'warning',
      file: 'Dockerfile',
      line: 1,
      message: 'base image alpine is not pinned',
      snippet: 'FROM alpine',
      fix: { line: 1, endLine: 1, replacement: 'FROM alpine:3.20', description: 'Pin to alpine:3.20' }
    }),
    finding({
      ruleId: 'maintainer-deprecated',
      severity: 'note',
      file: 'Dockerfile',
      line: 2,
      message: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead',
      snippet: 'MAINTAINER jane@example.com',
      fix: { line: 2, endLine: 2, replacement: 'LABEL org.opencontainers.image.authors="jane@example.com"' }
    }),
    finding({
      ruleId: 'no-secret-in-env',
      severity: 'error',
      file: 'Dockerfile',
      line: 3,
      column: 5,
      endLine: 4,
      message: 'ENV TOKEN holds a secret (value masked)',
      snippet: 'ENV TOKEN=******** \\'
    }),
    finding({
      ruleId: 'pin-base-image',
      severity: 'warning',
      file: 'services\\my api\\Dockerfile',
      line: 1,
      message: 'base image node is not pinned',
      snippet: 'FROM node'
    })
  ];
  const suppressed: Finding[] = [
    finding({
      ruleId: 'pin-base-image',
      severity: 'warning',
      file: 'Dockerfile.dev',
      line: 1,
      message: 'base image golang is not pinned',
      snippet: 'FROM golang'
    }),
    {
      ...finding({ ruleId: 'maintainer-deprecated', severity: 'note', file: 'Dockerfile.dev', line: 2, snippet: 'MAINTAINER x' }),
      suppressedBy: 'config'
    } as Finding
  ];
  return makeReport({
    findings: findings.sort(compareFindings),
    suppressed: suppressed.sort(compareFindings),
    files: ['Dockerfile', 'Dockerfile.dev', 'broken/Dockerfile', 'services/my api/Dockerfile'],
    errors: [{ file: 'broken/Dockerfile', message: 'invalid UTF-8 at line 1: save the file as UTF-8' }]
  });
}

/** `n` findings of one severity, one per line of `file`. */
export function many(n: number, severity: Severity, file = 'Dockerfile', ruleId = 'pin-base-image'): Finding[] {
  return Array.from({ length: n }, (_, i) => finding({ ruleId, severity, file, line: i + 1, snippet: `FROM image${i}` }));
}
