import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'expose-proto-casing',
    aliases: ['ExposeProtoCasing'],
    severity: 'note',
    title: 'EXPOSE protocols should be lower case',
    description:
      "The protocol of an `EXPOSE` port is `tcp` or `udp` in lower case; other casings are accepted by the builder only for now. BuildKit's `ExposeProtoCasing` check reports them: write `EXPOSE 53/udp`, not `EXPOSE 53/UDP`.",
    bad: 'FROM coredns/coredns:1.11.3\nEXPOSE 53/UDP',
    good: 'FROM coredns/coredns:1.11.3\nEXPOSE 53/udp',
    tags: ['style']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      for (const w of instr.words) {
        const m = /\/([A-Za-z]+)$/.exec(w.value);
        if (!m || m[1] === m[1].toLowerCase()) continue;
        report({
          line: instr.lineAt(instr.restOffset + w.offset),
          column: instr.column,
          message: `Defined protocol '${w.value}' in EXPOSE instruction should be lowercase: write ${w.value.slice(0, m.index)}/${m[1].toLowerCase()}`
        });
      }
    }
  }
});
