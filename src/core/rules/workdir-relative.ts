import path from 'node:path';
import { defineRule } from './types.js';
import { stageAncestry, stageOf } from './util/misc.js';

/** Absolute on Linux (`/app`) or Windows (`C:\app`, `c:/app`, `\app`), or starting with a variable. */
function isAbsoluteOrVariable(p: string): boolean {
  return /^[/\\$]/.test(p) || /^[A-Za-z]:([\\/]|$)/.test(p);
}

export default defineRule({
  meta: {
    id: 'workdir-relative',
    aliases: ['DL3000', 'DS-0009', 'CKV_DOCKER_10', 'WorkdirRelativePath'],
    severity: 'error',
    title: 'WORKDIR should be an absolute path',
    description: [
      'A relative `WORKDIR` is resolved against the previous `WORKDIR`, which may come from the base image and change when the base image changes. The directory the following instructions run in then depends on something the Dockerfile does not show.',
      '',
      'Write an absolute path: `WORKDIR /app`, or `WORKDIR /app/src` instead of `WORKDIR src` after `WORKDIR /app`. When an earlier absolute `WORKDIR` of the stage (or of the stage it builds on) is known, the message names the equivalent absolute path.',
      '',
      'Paths starting with a variable (`WORKDIR $HOME/app`, `WORKDIR ${APP_DIR}`) and Windows paths (`C:\\app`, `c:/app`, `\\app`) are accepted.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nWORKDIR app',
    good: 'FROM node:22-alpine\nWORKDIR /app',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    // Last absolute WORKDIR per stage, for the suggestion.
    const current = new Map<number, string | undefined>();
    const known = (stageIndex: number): string | undefined => {
      const stage = model.stages[stageIndex];
      if (!stage) return undefined;
      for (const s of stageAncestry(model, stage)) if (current.has(s.index)) return current.get(s.index);
      return undefined;
    };
    for (const instr of model.instructions) {
      if (instr.keyword !== 'WORKDIR') continue;
      const dir = instr.words.map((w) => w.value).join(' ');
      if (dir === '') continue;
      const stage = stageOf(model, instr);
      const prev = stage ? known(stage.index) : undefined;
      if (isAbsoluteOrVariable(dir)) {
        const resolved = instr.resolve(dir);
        if (stage)
          current.set(stage.index, resolved.unresolved.length === 0 && resolved.value.startsWith('/') ? path.posix.normalize(resolved.value) : undefined);
        continue;
      }
      if (dir.startsWith('~')) {
        if (stage) current.set(stage.index, undefined);
        report({
          line: instr.line,
          column: instr.column,
          message: `WORKDIR ${dir}: Docker does not expand ~, this is a directory named "~" under the previous WORKDIR; write the absolute path, e.g. WORKDIR /home/<user>${dir.slice(1)}`
        });
        continue;
      }
      const abs = prev ? path.posix.join(prev, dir) : undefined;
      if (stage) current.set(stage.index, abs);
      report({
        line: instr.line,
        column: instr.column,
        message: abs
          ? `WORKDIR ${dir} is relative to the previous WORKDIR: write WORKDIR ${abs}`
          : `WORKDIR ${dir} is relative to the base image's working directory: write an absolute path such as WORKDIR ${path.posix.join('/', dir)}`
      });
    }
  }
});
