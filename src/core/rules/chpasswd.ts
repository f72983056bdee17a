import { runCommands } from '../dockerfile/model.js';
import { defineRule } from './types.js';

const basename = (p: string) => p.split('/').pop() ?? p;

export default defineRule({
  meta: {
    id: 'chpasswd',
    aliases: ['CKV2_DOCKER_17'],
    severity: 'error',
    title: 'Do not set passwords with chpasswd',
    description: [
      '`chpasswd` sets account passwords inside the image. The password (or its hash) lands in `/etc/shadow` in a layer that anyone who pulls the image can read, and the clear-text password usually sits in the `RUN` line itself, which is kept in the image history and in source control. Every container from the image then shares the same known password.',
      '',
      'Instead, do not give image accounts passwords at all: create users without one (`useradd`/`adduser -D` leave the account locked), switch with `USER` rather than logging in, use key-based authentication for services such as SSH with keys provided at run time, and pass credentials the application needs at run time (`docker run -e`, Docker/Kubernetes secrets) or at build time with `RUN --mount=type=secret`.',
      '',
      'Reported for every `chpasswd` command in a `RUN`, piped or not, also with `-e` (pre-hashed passwords are still baked in and can be cracked offline).'
    ].join('\n'),
    bad: 'FROM ubuntu:24.04\nRUN useradd -m app && echo "app:changeme" | chpasswd',
    good: 'FROM ubuntu:24.04\nRUN useradd -m app\nUSER app',
    tags: ['security', 'cis:4.10']
  },
  defaultOptions: {},
  check({ model, report }) {
    const message =
      'chpasswd bakes a password into the image (/etc/shadow and the image history): create the user without a password, switch with USER, and pass credentials at run time or with RUN --mount=type=secret';
    for (const { cmd } of runCommands(model)) {
      if (cmd.program === 'chpasswd') report({ line: cmd.line, message });
    }
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.json || instr.json.length === 0) continue;
      if (basename(instr.json[0]) === 'chpasswd') report({ line: instr.line, column: instr.column, message });
    }
  }
});
