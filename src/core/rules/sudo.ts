import { runCommands } from '../dockerfile/model.js';
import { defineRule } from './types.js';

const basename = (p: string) => p.split('/').pop() ?? p;

export default defineRule({
  meta: {
    id: 'sudo',
    aliases: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1'],
    severity: 'error',
    title: 'Do not use sudo in RUN',
    description: [
      '`sudo` in a `RUN` step means the step runs as a non-root user that may escalate: it needs the `sudo` package and a sudoers entry in the image, which any process in the container can then use to become root, and its TTY and environment handling cause unpredictable builds.',
      '',
      'Instead, switch users with the `USER` instruction: `USER root` before the steps that need root, then `USER app` again afterwards, so the image ends as the unprivileged user. To drop privileges at run time (in an entrypoint), use `gosu` or `su-exec`, not `sudo`.',
      '',
      'Reported for every command run through `sudo` in a shell-form `RUN` (also `env sudo …`, `sudo -u x …`) and for exec-form `RUN ["sudo", …]`.'
    ].join('\n'),
    bad: 'FROM node:22\nUSER node\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl',
    good: 'FROM node:22\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER node',
    tags: ['security']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { cmd } of runCommands(model)) {
      const viaSudo = cmd.wrappers.includes('sudo') || cmd.program === 'sudo';
      if (!viaSudo) continue;
      const what = cmd.program === 'sudo' ? 'sudo' : `sudo ${cmd.name}`;
      report({
        line: cmd.line,
        message: `RUN uses ${what}: put USER root before this step (and USER <app user> after it) instead of sudo`
      });
    }
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.json || instr.json.length === 0) continue;
      if (basename(instr.json[0]) !== 'sudo') continue;
      report({
        line: instr.line,
        column: instr.column,
        message: 'RUN uses sudo: put USER root before this step (and USER <app user> after it) instead of sudo'
      });
    }
  }
});
