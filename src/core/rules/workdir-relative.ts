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
      'Write an absolute path: `WORKDIR /app`. A relative `WORKDIR` after an absolute one of the same stage (or of the stage it builds on) is not reported: the directory is then fully determined by the Dockerfile, as BuildKit’s `WorkdirRelativePath` check reads it.',
      '',
      'Paths starting with a variable (`WORKDIR $HOME/app`, `WORKDIR ${APP_DIR}`) and Windows paths (`C:\\app`, `c:/app`, `\\app`) are accepted.'
    ].join('\n'),
    differences:
      'hadolint (DL3000), Trivy (DS-0009) and Checkov (CKV_DOCKER_10) report every relative `WORKDIR`; container-guard follows BuildKit and reports only one that depends on the base image’s working directory (no absolute `WORKDIR` in force in the stage or the stages it builds on). `WORKDIR ~/…` is always reported: Docker does not expand `~`.',
    bad: 'FROM node:22-alpine\nWORKDIR app',
    good: 'FROM node:22-alpine\nWORKDIR /app',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    // Per stage: whether an absolute WORKDIR is in force (a variable counts), and its path when known.
    const current = new Map<number, { path?: string }>();
    const inForce = (stageIndex: number): { path?: string } | undefined => {
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
      const prev = stage ? inForce(stage.index) : undefined;
      if (isAbsoluteOrVariable(dir)) {
        const resolved = instr.resolve(dir);
        if (stage)
          current.set(stage.index, {
            path: resolved.unresolved.length === 0 && resolved.value.startsWith('/') ? path.posix.normalize(resolved.value) : undefined
          });
        continue;
      }
      if (dir.startsWith('~')) {
        report({
          line: instr.line,
          column: instr.column,
          message: `WORKDIR ${dir}: Docker does not expand ~, this is a directory named "~" under the previous WORKDIR; write the absolute path, e.g. WORKDIR /home/<user>${dir.slice(1)}`
        });
        continue;
      }
      // Relative to an absolute WORKDIR of this build: fully determined by the Dockerfile (BuildKit's reading).
      if (prev) {
        if (stage) current.set(stage.index, { path: prev.path ? path.posix.join(prev.path, dir) : undefined });
        continue;
      }
      report({
        line: instr.line,
        column: instr.column,
        message: `WORKDIR ${dir} is relative to the base image's working directory: write an absolute path such as WORKDIR ${path.posix.join('/', dir)}`
      });
    }
  }
});
