import { defineRule } from './types.js';
import { commandName } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'run-cd',
    aliases: ['DL3003', 'DS-0013'],
    severity: 'warning',
    title: 'Use WORKDIR instead of cd in RUN',
    description: [
      '`cd` in a `RUN` only lasts until the end of that `RUN`; the next instruction starts in the `WORKDIR` again. Scattering `cd` through the Dockerfile hides where commands run and makes long `RUN` chains fragile (`cd build && make` silently runs in the wrong place if the directory is missing and `set -e` is not in force).',
      '',
      'Set the directory with `WORKDIR /path` (it is created if needed and applies to every following instruction), then run the commands.',
      '',
      'Like hadolint, the rule reports any `cd` command in a `RUN`, also the common `cd dir && make` chain and a `cd` in a subshell: when the directory is fixed, a `WORKDIR` before the `RUN` expresses it better. Where a temporary `cd` is genuinely clearer (building in a throw-away directory inside one `RUN`), suppress the finding with a reason. One finding is reported per `RUN`, at its first `cd`.'
    ].join('\n'),
    bad: 'FROM golang:1.23\nCOPY . /src\nRUN cd /src && go build -o /out/app .',
    good: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .',
    tags: ['best-practice', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const script = model.shellOf(instr);
      if (!script) continue;
      const cd = script.commands.find((c) => commandName(c) === 'cd');
      if (!cd) continue;
      const dir = cd.args.find((a) => !a.startsWith('-'));
      const literal = dir !== undefined && dir.startsWith('/') && !/[$`*?]/.test(dir);
      report({
        line: cd.line,
        column: instr.column,
        message: literal
          ? `cd ${dir} in RUN does not carry over to later instructions: set WORKDIR ${dir} before this RUN instead`
          : `cd in RUN does not carry over to later instructions: set the directory with WORKDIR <absolute path> before this RUN instead`
      });
    }
  }
});
