import { defineRule } from './types.js';

const RESERVED = /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/;

/** Docker's label key guidelines: lower-case alphanumerics, `.` and `-`, starting and ending alphanumeric, no doubled separators. */
export function labelKeyProblem(key: string): string | undefined {
  if (key.includes('$')) return undefined;
  if (RESERVED.test(key)) return 'uses a namespace reserved for Docker (com.docker.*, io.docker.*, org.dockerproject.*)';
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(key)) return 'should contain only lower-case letters, digits, "." and "-", and start with a letter or digit';
  if (!/[a-z0-9]$/.test(key)) return 'should end with a letter or digit';
  if (/[.-]{2}/.test(key)) return 'should not contain two separators in a row';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'label-key-format',
    aliases: ['DL3048'],
    severity: 'note',
    enabledByDefault: false,
    title: 'Label keys should follow the Docker key format',
    description: [
      'Docker recommends label keys in reverse-DNS notation: lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit, without doubled separators (`org.opencontainers.image.source`), and keeps the `com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces for itself. Tools that read labels (registries, scanners, `docker inspect --format`) handle such keys the same way everywhere.',
      '',
      'Keys built from a variable are not checked. Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nLABEL Maintainer="jane@example.com"',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="jane@example.com"',
    tags: ['style']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'LABEL') continue;
      for (const p of instr.pairs) {
        const problem = labelKeyProblem(p.key);
        if (problem) report({ line: instr.lineAt(instr.restOffset + p.offset), column: instr.column, message: `Label key "${p.key}" ${problem}` });
      }
    }
  }
});
