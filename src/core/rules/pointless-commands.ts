import { defineRule } from './types.js';
import { commandName, runCommandsDeep } from './util/misc.js';

/** hadolint DL3001's list, with what to do instead. */
const POINTLESS: Record<string, string> = {
  ssh: 'fetch sources over HTTPS, or use RUN --mount=type=ssh with the command that needs the key (git clone, scp)',
  vim: 'edit files non-interactively (sed -i, a heredoc) or COPY the finished file',
  shutdown: 'remove it: a build step cannot shut anything down',
  service: 'services started in RUN stop when the step ends: start the process from CMD/ENTRYPOINT (or an entrypoint script)',
  ps: 'remove it: it only inspects the throw-away build container',
  free: 'remove it: it only inspects the throw-away build container',
  top: 'remove it: it is interactive and only inspects the throw-away build container',
  kill: 'remove it: processes do not outlive the RUN step; start long-running processes from CMD/ENTRYPOINT',
  mount: 'use RUN --mount=type=bind|cache|tmpfs|secret instead; mount needs privileges the build does not have',
  ifconfig: 'remove it: the build network is not the runtime network (configure ports with EXPOSE and at run time)'
};

export default defineRule({
  meta: {
    id: 'pointless-commands',
    aliases: ['DL3001'],
    severity: 'note',
    title: 'Command that makes no sense in a RUN',
    description: [
      "Some commands are meant for an interactive, long-running machine and do nothing useful in a `RUN` step, which executes once in a throw-away container during the build: `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` and `ifconfig` (hadolint's list). They usually signal a misunderstanding (a `service nginx start` that does not survive the step) or debugging leftovers.",
      '',
      'Instead: start processes from `CMD`/`ENTRYPOINT`; edit files with `sed` or `COPY`; use `RUN --mount=type=ssh` / `type=cache` / `type=secret` instead of `ssh` keys or `mount`; drop diagnostic commands. Where such a command is genuinely part of the build (for example starting a database to load a schema and stopping it again in the same `RUN`), suppress the finding with a reason.'
    ].join('\n'),
    bad: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends nginx && service nginx start',
    good: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends nginx\nCMD ["nginx", "-g", "daemon off;"]',
    tags: ['best-practice', 'cis:4.3']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { cmd } of runCommandsDeep(model)) {
      const name = commandName(cmd);
      if (!Object.prototype.hasOwnProperty.call(POINTLESS, name)) continue;
      report({ line: cmd.line, message: `${name} makes no sense in a RUN step: ${POINTLESS[name]}` });
    }
  }
});
