import { defineRule } from './types.js';
import { aptCall, aptDryRun, aptSettings, configWritten, hasOpt, isTrue, optCount, optValues, runInfos, type ParsedCall } from './util/packages.js';

/** apt-get subcommands that ask "Do you want to continue? [Y/n]" and abort without a terminal. */
const PROMPTING = new Set(['install', 'remove', 'purge', 'autoremove', 'autopurge', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall']);

const ASSUME_YES_CONF = /APT::Get::Assume-Yes\s*"?\s*(1|true|yes|on)\b/i;

function quietLevel(call: ParsedCall): number {
  let level = optCount(call, 'q') + call.opts.filter((o) => o.name === 'quiet' && o.value === undefined).length;
  for (const v of optValues(call, 'q', 'quiet')) if (/^\d+$/.test(v)) level = Math.max(level, Number(v));
  return level;
}

function answersYes(call: ParsedCall): boolean {
  if (hasOpt(call, 'y', 'yes', 'assume-yes')) return true;
  // `-qq` (quiet level 2) implies -y, as apt-get(8) documents and hadolint accepts.
  if (quietLevel(call) >= 2) return true;
  // Dry runs never prompt.
  if (aptDryRun(call)) return true;
  return isTrue(aptSettings(call).get('apt::get::assume-yes'));
}

export default defineRule({
  meta: {
    id: 'apt-get-yes',
    aliases: ['DL3014', 'DS-0021'],
    severity: 'warning',
    title: 'apt-get install without -y',
    description: [
      'A build has no terminal: when `apt-get install` (or `remove`, `purge`, `upgrade`, `dist-upgrade`, `build-dep` ...) wants to confirm, it reads end-of-file, prints `Abort.` and the build fails, typically as soon as a package pulls in a dependency.',
      '',
      'Pass `-y` (`--yes`, `--assume-yes`) so apt-get never waits for an answer. `-qq` also implies `-y`, as do `-o APT::Get::Assume-Yes=true`, an `APT::Get::Assume-Yes "true";` apt configuration written earlier in the stage, and piping `yes` into the command.',
      '',
      '`DEBIAN_FRONTEND=noninteractive` does not answer this prompt; it only silences debconf questions. `apt` (instead of `apt-get`) is reported by `apt-not-apt-get`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || !call.sub || !PROMPTING.has(call.sub)) continue;
        if (answersYes(call)) continue;
        if (cmd.pipeline && cmd.pipeline.indexOf(cmd) > 0 && cmd.pipeline.slice(0, cmd.pipeline.indexOf(cmd)).some((c) => c.program === 'yes')) continue;
        if (configWritten(model, instr, cmd, ASSUME_YES_CONF)) continue;
        report({
          line: cmd.line,
          message: `\`apt-get ${call.sub}\` without -y waits for a confirmation the build cannot give: write \`apt-get ${call.sub} -y\``
        });
      }
    }
  }
});
