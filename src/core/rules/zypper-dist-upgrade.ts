import { defineRule } from './types.js';
import { runInfos, zypperCall } from './util/packages.js';

export default defineRule({
  meta: {
    id: 'zypper-dist-upgrade',
    aliases: ['DL3035'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'Do not use zypper dist-upgrade',
    description: [
      '`zypper dist-upgrade` (`dup`) moves the whole system to whatever the repositories hold today, possibly across a distribution release: the image the Dockerfile builds changes from one day to the next, and packages can be replaced or removed. Use a base image of the release you want, and update it by changing its tag.',
      '',
      'Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive dist-upgrade',
    good: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install -y nginx=1.21.5 && zypper clean',
    tags: ['best-practice', 'reproducibility']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = zypperCall(cmd);
        if (call?.sub !== 'dist-upgrade' && call?.sub !== 'dup') continue;
        report({ line: cmd.line, message: `zypper ${call.sub} upgrades the whole distribution at build time: use a newer base image tag instead` });
      }
    }
  }
});
