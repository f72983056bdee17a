import { defineRule } from './types.js';
import { exposedPorts } from './util/misc.js';

const MAX_PORT = 65535;

export default defineRule({
  meta: {
    id: 'expose-port-range',
    aliases: ['DL3011', 'DS-0008'],
    severity: 'error',
    title: 'EXPOSE port outside 0-65535',
    description: [
      'TCP and UDP ports are 16-bit numbers: valid ports run from 0 to 65535. `EXPOSE 80000` is a typo (often a missing or extra digit) and the build or `docker run -P` fails on it.',
      '',
      'Write the intended port, for example `EXPOSE 8000`. Ranges (`EXPOSE 8000-8010`) are checked at both ends, and a range must not run backwards. Ports that come from an `ARG` or `ENV` with a value are checked after substitution; ports whose variable has no value are not checked.'
    ].join('\n'),
    bad: 'FROM nginx:1.27\nEXPOSE 80800',
    good: 'FROM nginx:1.27\nEXPOSE 8080',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      for (const p of exposedPorts(instr)) {
        const shown = p.value === p.text ? p.text : `${p.text} (= ${p.value})`;
        const bad = [p.start, p.end].find((n) => n > MAX_PORT);
        if (bad !== undefined) {
          report({ line: p.line, column: instr.column, message: `EXPOSE ${shown}: port ${bad} is outside 0-65535; write a port between 0 and 65535` });
        } else if (p.end < p.start) {
          report({
            line: p.line,
            column: instr.column,
            message: `EXPOSE ${shown}: the range runs backwards; write it as ${p.end}-${p.start}${p.protocol ? '/' + p.protocol : ''}`
          });
        }
      }
    }
  }
});
