import type { ShellCommand, ShellScript } from '../shell/parser.js';
import { defineRule } from './types.js';
import { baseName, commandName, jsonArray, stageAncestry, stageOf } from './util/misc.js';

/** The pipefail state after an option list (`set` arguments or a SHELL array), starting from `on`. */
function enablesPipefail(args: readonly string[], on = false): boolean {
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    // `-o pipefail`, `-euxo pipefail`; `+o pipefail` turns it off again.
    if (/^[-+][a-zA-Z]*o$/.test(arg) && args[k + 1] === 'pipefail') {
      on = arg.startsWith('-');
      k++;
    } else if (arg === '-opipefail') {
      on = true;
    }
  }
  return on;
}

/** The first command of the script that is part of a pipeline. */
function firstPiped(script: ShellScript): ShellCommand | undefined {
  return script.commands.find((c) => c.pipeline !== undefined);
}

export default defineRule({
  meta: {
    id: 'shell-pipefail',
    aliases: ['DL4006'],
    severity: 'warning',
    title: 'Set -o pipefail before RUN with a pipe',
    description: [
      "A pipeline's exit status is that of its last command. In `RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg`, a failed download still lets the step succeed (gpg happily writes an empty keyring) and the build carries on with a broken image.",
      '',
      'Make the shell fail when any command of a pipeline fails:',
      '',
      '- once per stage, before the `RUN`s: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (on Alpine/BusyBox: `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`);',
      "- or inside the `RUN` itself, before the first pipe: `RUN set -o pipefail && curl … | gpg …` (with a shell that supports it; Debian's `/bin/sh` is dash, which needs a recent version).",
      '',
      'The rule reports a shell-form `RUN` containing a pipe (`|`) when neither the `SHELL` in force (which stages inherit from the stage they build on) nor an earlier `set` in the same script enables `pipefail`. Exec-form `RUN`s and stages whose `SHELL` is not a POSIX shell (PowerShell, cmd) are not checked.'
    ].join('\n'),
    bad: 'FROM debian:12-slim\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg',
    good: 'FROM debian:12-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg',
    tags: ['reliability', 'best-practice']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const script = model.shellOf(instr);
      if (!script || script.pipelines === 0) continue;
      const shell = model.shellFor(instr);
      if (shell && enablesPipefail(shell.slice(1))) continue;
      const piped = firstPiped(script);
      const limit = piped ? piped.offset : Infinity;
      let pipefail = false;
      for (const c of script.commands) {
        if (c.offset >= limit) break;
        if (commandName(c) === 'set') pipefail = enablesPipefail(c.args, pipefail);
      }
      if (pipefail) continue;

      const stage = stageOf(model, instr);
      const root = stage ? stageAncestry(model, stage).pop() : undefined;
      const image = root ? (root.from.image?.raw ?? root.from.resolved) : '';
      const prog = shell ? baseName(shell[0] ?? '') : 'sh';
      let suggestion: string;
      if (shell && (prog === 'bash' || prog === 'zsh' || prog === 'ksh' || prog === 'ash')) {
        suggestion = `SHELL ${jsonArray([shell[0], '-o', 'pipefail', ...shell.slice(1)])}`;
      } else if (/alpine|busybox/i.test(image)) {
        suggestion = 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]';
      } else {
        suggestion = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';
      }
      report({
        line: piped?.line ?? instr.line,
        column: instr.column,
        message: `RUN with a pipe fails only if the last command fails: add ${suggestion} before this RUN, or start it with set -o pipefail &&`
      });
    }
  }
});
