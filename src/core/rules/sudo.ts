import { runCommands, type Instruction } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { scriptText } from './util/misc.js';
import { isRootUser } from './util/users.js';

const basename = (p: string) => p.split('/').pop() ?? p;

/** sudo options that take a value (`-u app`, `-g grp`, `-C 3`, `-p prompt`, `-D dir`, `-h host`, `-R dir`, `-T 10`, `-r role`, `-t type`, `-U user`). */
const VALUE_OPTS = new Set(['u', 'g', 'C', 'p', 'D', 'h', 'R', 'T', 'r', 't', 'U']);

/**
 * The user `sudo -u <user>` / `--user=<user>` runs the command as, read from the command text starting at
 * `sudo` (after any `env …` wrappers); undefined when there is no -u (sudo runs as root).
 */
export function sudoTargetUser(text: string): string | undefined {
  const words = (text.match(/"[^"]*"|'[^']*'|[^\s;&|]+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
  let k = words.findIndex((w) => basename(w) === 'sudo');
  if (k < 0) return undefined;
  let user: string | undefined;
  for (k++; k < words.length; k++) {
    const w = words[k];
    if (w === '--') break;
    if (w.startsWith('--')) {
      const [name, value] = w.slice(2).split('=', 2);
      if (name === 'user') user = value ?? words[++k];
      else if (
        ['group', 'close-from', 'prompt', 'chdir', 'host', 'chroot', 'command-timeout', 'role', 'type', 'other-user'].includes(name) &&
        value === undefined
      )
        k++;
      continue;
    }
    if (!w.startsWith('-') || w === '-') break;
    // A cluster of short flags: `-Eu app`, `-uapp`, `-E`.
    for (let i = 1; i < w.length; i++) {
      const f = w[i];
      if (!VALUE_OPTS.has(f)) continue;
      const rest = w.slice(i + 1);
      const value = rest !== '' ? rest : words[++k];
      if (f === 'u') user = value;
      break;
    }
  }
  return user === '' ? undefined : user;
}

export default defineRule({
  meta: {
    id: 'sudo',
    aliases: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1'],
    severity: 'error',
    title: 'Do not use sudo in RUN',
    description: [
      '`sudo` in a `RUN` step means the step runs as a non-root user that may escalate: it needs the `sudo` package and a sudoers entry in the image, which any process in the container can then use to become root, and its TTY and environment handling cause unpredictable builds.',
      '',
      'Instead, switch users with the `USER` instruction: `USER root` before the steps that need root, then `USER app` again afterwards, so the image ends as the unprivileged user. To drop privileges at run time (in an entrypoint), use `gosu` or `su-exec`, not `sudo`.',
      '',
      '`sudo -u <user> cmd` runs a step as another (unprivileged) user: switch with `USER <user>` before the step instead, not `USER root`.',
      '',
      'Reported once per `RUN` and command run through `sudo` in a shell-form `RUN` (also `env sudo …`, `sudo -u x …`: `sudo apt-get update && sudo apt-get install …` is one finding, `sudo apt-get … && sudo systemctl …` two) and for exec-form `RUN ["sudo", …]`.'
    ].join('\n'),
    bad: 'FROM node:22\nUSER node\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl',
    good: 'FROM node:22\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER node',
    tags: ['security']
  },
  defaultOptions: {},
  check({ model, report }) {
    const texts = new Map<Instruction, string>();
    const textOf = (instr: Instruction) => {
      let t = texts.get(instr);
      if (t === undefined) texts.set(instr, (t = scriptText(instr)));
      return t;
    };
    const seen = new Set<string>();
    const once = (instrIndex: number, what: string) => {
      const key = `${instrIndex}\u0000${what}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const { instr, cmd } of runCommands(model)) {
      const viaSudo = cmd.wrappers.includes('sudo') || cmd.program === 'sudo';
      if (!viaSudo) continue;
      // The options of sudo are at the start of the command: a short window of the text is enough (and keeps
      // a RUN of thousands of sudo commands linear).
      const user = cmd.program === 'sudo' ? undefined : sudoTargetUser(textOf(instr).slice(cmd.offset, cmd.offset + 512));
      const asOther = user !== undefined && !isRootUser(user);
      const what = cmd.program === 'sudo' ? 'sudo' : asOther ? `sudo -u ${user} ${cmd.name}` : `sudo ${cmd.name}`;
      // One finding per RUN and command: `sudo apt-get update && sudo apt-get install` is one mistake.
      if (!once(instr.index, what)) continue;
      report({
        line: cmd.line,
        message: asOther
          ? `RUN uses ${what}: put USER ${user} before this step instead of sudo (and USER back to the previous user after it if later steps need that)`
          : `RUN uses ${what}: put USER root before this step (and USER <app user> after it) instead of sudo`
      });
    }
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.json || instr.json.length === 0) continue;
      if (basename(instr.json[0]) !== 'sudo') continue;
      const user = sudoTargetUser(instr.json.join(' '));
      const asOther = user !== undefined && !isRootUser(user);
      report({
        line: instr.line,
        column: instr.column,
        message: asOther
          ? `RUN uses sudo -u ${user}: put USER ${user} before this step instead of sudo`
          : 'RUN uses sudo: put USER root before this step (and USER <app user> after it) instead of sudo'
      });
    }
  }
});
