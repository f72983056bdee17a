import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'expose-invalid-format',
    aliases: ['ExposeInvalidFormat'],
    severity: 'warning',
    title: 'EXPOSE takes a port, not an IP address or a host-port mapping',
    description: [
      '`EXPOSE` documents which ports the container listens on; it cannot publish a port. An IP address (`127.0.0.1:80:80`) or a host-port mapping (`8080:80`) belongs in `docker run -p` or a compose file. BuildKit warns about it (`ExposeInvalidFormat`) and will make it an error.',
      '',
      'Write only the container port and, optionally, the protocol: `EXPOSE 80` or `EXPOSE 53/udp`.'
    ].join('\n'),
    bad: 'FROM nginx:1.27\nEXPOSE 8080:80',
    good: 'FROM nginx:1.27\nEXPOSE 80',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      for (const w of instr.words) {
        const value = instr.resolve(w.value).value;
        if (!value.includes(':')) continue;
        const port = value.split(':').pop() ?? value;
        report({
          line: instr.lineAt(instr.restOffset + w.offset),
          column: instr.column,
          message: `EXPOSE instruction should not define an IP address or host-port mapping, found '${w.value}': write EXPOSE ${port} and publish the port with docker run -p`
        });
      }
    }
  }
});
