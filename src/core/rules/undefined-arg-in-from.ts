import { PLATFORM_ARGS } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { fromWords } from './util/from-args.js';
import { suggestVariable } from './util/variables.js';

export default defineRule({
  meta: {
    id: 'undefined-arg-in-from',
    aliases: ['UndefinedArgInFrom'],
    severity: 'warning',
    title: 'FROM must use declared ARGs',
    description: [
      '`FROM` can only use build arguments declared by an `ARG` before the first `FROM` (and the automatic platform ARGs such as `TARGETPLATFORM`). Any other variable is empty there — `FROM node:$NODE_VERSION` without `ARG NODE_VERSION` at the top pulls `node:` and fails, or a name typed wrong silently changes the image. BuildKit reports it as `UndefinedArgInFrom`.',
      '',
      'Declare the ARG at the top of the file, with a default: `ARG NODE_VERSION=22`. A reference with a default of its own (`${TAG:-3.20}`) is not reported.'
    ].join('\n'),
    bad: 'FROM node:${NODE_VERSION}-alpine',
    good: 'ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\nUSER node',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    const declared = new Set(model.globalArgs.flatMap((i) => i.pairs.map((p) => p.key)));
    for (const w of fromWords(model)) {
      for (const ref of w.refs) {
        if (declared.has(ref.name) || PLATFORM_ARGS.has(ref.name) || ref.operator === ':-' || ref.operator === '-') continue;
        const guess = suggestVariable(ref.name, [...declared, ...PLATFORM_ARGS]);
        report({
          line: w.instr.line,
          column: w.instr.column,
          message: `FROM argument '${ref.name}' is not declared${guess ? ` (did you mean ${guess}?)` : ''}: add ARG ${ref.name}=<default> before the first FROM`
        });
      }
    }
  }
});
