import { defineRule } from './types.js';
import { commandName, runCommandsDeep } from './util/misc.js';

const TOOLS = new Set(['curl', 'wget']);

export default defineRule({
  meta: {
    id: 'wget-and-curl',
    aliases: ['DL4001', 'DS-0014'],
    severity: 'note',
    title: 'Both wget and curl are used',
    description: [
      '`wget` and `curl` do the same job here. Using both means installing (and patching, and scanning) two download tools, and two sets of flags to get right for TLS, retries and failure handling.',
      '',
      'Pick one and use it throughout the Dockerfile: `curl -fsSLo file URL` or `wget -qO file URL`. On Alpine, BusyBox already provides `wget`; on Debian-based images `curl` is often already present.',
      '',
      'The rule looks at the commands run by every `RUN` in the file (installing both packages is not reported by itself) and reports once, at the first use of whichever tool appears second.'
    ].join('\n'),
    bad: 'FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN wget -qO /tmp/b.tgz https://example.com/b.tgz',
    good: 'FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz',
    tags: ['maintainability', 'image-size']
  },
  defaultOptions: {},
  check({ model, report }) {
    const first = new Map<string, number>();
    for (const { cmd } of runCommandsDeep(model)) {
      const name = commandName(cmd);
      if (!TOOLS.has(name) || first.has(name)) continue;
      first.set(name, cmd.line);
      if (first.size === 2) {
        const other = name === 'curl' ? 'wget' : 'curl';
        report({
          line: cmd.line,
          message: `${name} is used here but ${other} is already used at line ${first.get(other)}: use only ${other} (or only ${name}) throughout the Dockerfile`
        });
        return;
      }
    }
  }
});
