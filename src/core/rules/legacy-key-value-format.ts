import { defineRule } from './types.js';

/** `KEY value with spaces` → `KEY="value with spaces"`, quoting only when needed. */
function keyValue(key: string, value: string): string {
  return /^[^\s"'\\]*$/.test(value) ? `${key}=${value}` : `${key}="${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

export default defineRule({
  meta: {
    id: 'legacy-key-value-format',
    aliases: ['LegacyKeyValueFormat'],
    severity: 'note',
    title: 'Write ENV and LABEL as key=value',
    description: [
      '`ENV KEY value` (with a space) is the legacy form: everything after the key, spaces included, is the value, and only one variable can be set. It is easy to misread (`ENV A B=1` sets `A` to `B=1`) and BuildKit reports it (`LegacyKeyValueFormat`).',
      '',
      'Write `ENV KEY=value` (quote values with spaces: `ENV GREETING="hello world"`). The fix does that for one-line instructions.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nENV APP_HOME /srv/app',
    good: 'FROM alpine:3.20\nENV APP_HOME=/srv/app',
    tags: ['style', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if ((instr.keyword !== 'ENV' && instr.keyword !== 'LABEL') || !instr.legacyPairs) continue;
      const pair = instr.pairs[0];
      if (!pair) continue;
      const line = model.lines[instr.line - 1] ?? '';
      const value = pair.value ?? '';
      const fix =
        instr.endLine === instr.line && !value.includes('$')
          ? {
              line: instr.line,
              endLine: instr.line,
              replacement: `${line.slice(0, instr.column - 1)}${line.substr(instr.column - 1, instr.keyword.length)} ${keyValue(pair.key, value)}`,
              description: `Write ${instr.keyword} ${pair.key}=…`
            }
          : undefined;
      report({
        line: instr.line,
        column: instr.column,
        message: `"${instr.keyword} key=value" should be used instead of legacy "${instr.keyword} key value" format: write ${instr.keyword} ${pair.key}=…`,
        fix
      });
    }
  }
});
