import { defineRule } from './types.js';
import { runInfos } from './util/packages.js';

const QUIET = /^(-q|--quiet|-nv|--no-verbose|--progress(=.*)?|-o|--output-file(=.*)?|-a|--append-output(=.*)?)$/;

export default defineRule({
  meta: {
    id: 'wget-progress',
    aliases: ['DL3047'],
    severity: 'note',
    enabledByDefault: false,
    title: 'wget without --progress bloats the build log',
    description: [
      'Without a terminal, `wget` prints a progress line for every few kilobytes: a large download fills the build log with thousands of lines. Pass `--progress=dot:giga` (or `-q` / `-nv` to print less).',
      '',
      'Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN wget https://example.com/big.tar.gz',
    good: 'FROM debian:12\nRUN wget --progress=dot:giga https://example.com/big.tar.gz',
    tags: ['style']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model))
      for (const cmd of commands) {
        if (cmd.program !== 'wget') continue;
        if (cmd.args.some((a) => QUIET.test(a) || /^-[a-zA-Z]*q/.test(a))) continue;
        report({ line: cmd.line, message: 'wget without --progress prints a line per few kilobytes in a build log: add --progress=dot:giga (or -nv)' });
      }
  }
});
