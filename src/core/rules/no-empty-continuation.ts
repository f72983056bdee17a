import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'no-empty-continuation',
    aliases: ['NoEmptyContinuation'],
    severity: 'warning',
    title: 'No empty lines inside a continued instruction',
    description: [
      'An empty line after a line ending in `\\` does not end the instruction: the builder skips it and joins the next line, so a line that looks like the start of the next step is still part of this one. BuildKit warns about it (`NoEmptyContinuation`) and says it will become an error.',
      '',
      'Remove the empty line, or end the instruction before it. Comment lines inside a continuation are allowed; heredoc bodies are not checked.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && \\\n\n    apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.endLine === instr.line) continue;
      // The continued part ends where the first heredoc body starts.
      const last = instr.heredocs.length ? instr.heredocs[0].line - 1 : instr.endLine;
      const empty: number[] = [];
      for (let l = instr.line + 1; l <= last; l++) if ((model.lines[l - 1] ?? '').trim() === '') empty.push(l);
      if (empty.length === 0) continue;
      report({
        line: instr.line,
        column: instr.column,
        endLine: last,
        message: `Empty continuation line${empty.length > 1 ? 's' : ''} at ${empty.join(', ')}: the builder joins the next line into this ${instr.keyword}; remove ${empty.length > 1 ? 'them' : 'it'}`
      });
    }
  }
});
