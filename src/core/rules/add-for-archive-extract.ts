import path from 'node:path';
import { defineRule } from './types.js';
import { copyArgs, isArchiveName, stageOf } from './util/misc.js';
import { runInfos } from './util/packages.js';

/** `tar -xzf`, `tar xzf` (old-style mode word first), `tar --extract`. */
function extracts(args: string[]): boolean {
  if (args[0] !== undefined && /^[a-zA-Z]*x[a-zA-Z]*$/.test(args[0])) return true;
  return args.some((a) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(a) || a === '--extract' || a === '--get');
}

export default defineRule({
  meta: {
    id: 'add-for-archive-extract',
    aliases: ['DL3010'],
    severity: 'note',
    enabledByDefault: false,
    title: 'Use ADD to extract a local archive',
    description: [
      '`COPY app.tar.gz /tmp/` followed by `RUN tar -xzf /tmp/app.tar.gz` keeps the archive in a layer even when a later step deletes it. `ADD app.tar.gz /opt/app/` extracts a local tar archive (gzip, bzip2, xz) in one step and ships only the files.',
      '',
      'Reported at the `COPY` of an archive that a later `RUN` of the same stage extracts with `tar -x`. Off by default (as in the `recommended` preset): on in `strict`. This is the one case where `add-instead-of-copy` does not ask for `COPY`.'
    ].join('\n'),
    bad: 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz',
    good: 'FROM debian:12\nADD app.tar.gz /opt/',
    tags: ['best-practice', 'image-size']
  },
  defaultOptions: {},
  check({ model, report }) {
    const copies = new Map<string, { line: number; column: number; stage: number; name: string }>();
    for (const instr of model.instructions) {
      if (instr.keyword !== 'COPY' || instr.flags.some((f) => f.name === 'from')) continue;
      for (const src of copyArgs(instr).sources) {
        if (!isArchiveName(src.value) || /^https?:/.test(src.value)) continue;
        const name = path.posix.basename(src.value);
        copies.set(`${instr.stage}:${name}`, { line: instr.line, column: instr.column, stage: instr.stage, name });
      }
    }
    if (copies.size === 0) return;
    const reported = new Set<string>();
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        if (cmd.program !== 'tar' || !extracts(cmd.args)) continue;
        const stage = stageOf(model, instr)?.index ?? instr.stage;
        for (const arg of cmd.args) {
          const key = `${stage}:${path.posix.basename(arg)}`;
          const copy = copies.get(key);
          if (!copy || reported.has(key)) continue;
          reported.add(key);
          report({
            line: copy.line,
            column: copy.column,
            message: `${copy.name} is copied, then extracted at line ${cmd.line}: ADD ${copy.name} <dir>/ extracts it without keeping the archive in a layer`
          });
        }
      }
    }
  }
});
