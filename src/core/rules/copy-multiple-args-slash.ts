import { defineRule } from './types.js';
import { copyArgs } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'copy-multiple-args-slash',
    aliases: ['DL3021', 'DS-0011'],
    severity: 'error',
    title: 'COPY with several sources needs a destination ending in /',
    description: [
      'When `COPY` has more than one source, the destination must be a directory and must end with `/`; otherwise the build fails ("When using COPY with more than one source file, the destination must be a directory and end with a /").',
      '',
      'Add the trailing slash: `COPY package.json package-lock.json /app/`. The destination `.` (and `..`) is also accepted, as BuildKit treats it as a directory. Flags (`--from`, `--chown` …) do not count as arguments; the JSON form and heredoc sources are handled; a destination whose variable has no value is not checked.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nCOPY package.json package-lock.json /app',
    good: 'FROM node:22-alpine\nCOPY package.json package-lock.json /app/',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'COPY') continue;
      const { sources, dest } = copyArgs(instr);
      if (!dest || sources.length < 2) continue;
      if (dest.unresolved.length > 0 && /\$\{?\w+\}?$/.test(dest.value)) continue;
      const d = dest.value;
      if (d.endsWith('/') || d.endsWith('\\') || d === '.' || d === '..') continue;
      report({
        line: dest.line,
        column: instr.column,
        message: `COPY with ${sources.length} sources needs a directory destination ending in /: write ${dest.text}/`
      });
    }
  }
});
