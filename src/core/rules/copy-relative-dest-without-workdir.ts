import { defineRule } from './types.js';
import { copyArgs, stageAncestry, stageOf } from './util/misc.js';

function isAbsoluteOrVariable(p: string): boolean {
  return /^[/\\$]/.test(p) || /^[A-Za-z]:([\\/]|$)/.test(p);
}

export default defineRule({
  meta: {
    id: 'copy-relative-dest-without-workdir',
    aliases: ['DL3045'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'COPY to a relative destination without a WORKDIR',
    description: [
      'A relative `COPY` destination is resolved against the working directory. Without a `WORKDIR` in the stage (or in the stages it builds on), that is whatever the base image set — `/` for most images, something else for others — and it changes when the base image does.',
      '',
      'Set `WORKDIR /app` first, or write an absolute destination. Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nCOPY package.json .',
    good: 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json .',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
      const dest = copyArgs(instr).dest;
      if (!dest || isAbsoluteOrVariable(dest.value)) continue;
      const stage = stageOf(model, instr);
      if (!stage) continue;
      const lineages = stageAncestry(model, stage);
      const hasWorkdir = lineages.some((s) => s.instructions.some((i) => i.keyword === 'WORKDIR' && (s !== stage || i.index < instr.index)));
      if (hasWorkdir) continue;
      report({
        line: instr.line,
        column: instr.column,
        message: `${instr.keyword} to the relative destination "${dest.value}" without a WORKDIR: add WORKDIR <dir> before it, or write an absolute destination`
      });
    }
  }
});
