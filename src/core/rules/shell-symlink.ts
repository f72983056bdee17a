import { defineRule } from './types.js';
import { runInfos } from './util/packages.js';

export default defineRule({
  meta: {
    id: 'shell-symlink',
    aliases: ['DL4005'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'Use SHELL to change the default shell',
    description: [
      'Replacing `/bin/sh` with a link to another shell (`ln -sf /bin/bash /bin/sh`) changes the shell of every program in the image that runs `sh`, not only of the build. To run the `RUN` instructions with another shell, say so: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`.',
      '',
      'Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh',
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    tags: ['best-practice']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model))
      for (const cmd of commands) {
        if (cmd.program !== 'ln') continue;
        if (!cmd.args.some((a) => /^-[a-zA-Z]*s[a-zA-Z]*$/.test(a) || a === '--symbolic')) continue;
        const operands = cmd.args.filter((a) => !a.startsWith('-'));
        if (operands.length < 2 || operands[operands.length - 1] !== '/bin/sh') continue;
        report({
          line: cmd.line,
          message: `ln makes /bin/sh a link to ${operands[0]} for every program in the image: use SHELL ["${operands[0]}", "-c"] to change the shell of RUN`
        });
      }
  }
});
