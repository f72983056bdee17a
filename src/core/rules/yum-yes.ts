import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { configWritten, hasOpt, isTrue, optValues, runInfos, yumCall, zypperCall } from './util/packages.js';

/** yum/dnf subcommands that ask "Is this ok [y/N]:" (dnf5 short aliases included). */
const YUM_PROMPTING = new Set([
  'install',
  'in',
  'groupinstall',
  'localinstall',
  'reinstall',
  'rei',
  'remove',
  'rm',
  'erase',
  'autoremove',
  'update',
  'upgrade',
  'up',
  'update-minimal',
  'upgrade-minimal',
  'up-min',
  'downgrade',
  'dg',
  'distro-sync',
  'distrosync',
  'dsync',
  'swap',
  'builddep',
  'groupremove',
  'groupupdate'
]);
/** Subcommands that prompt only with one of these actions: `dnf group install`, `dnf module enable`. */
const YUM_NESTED: Record<string, Set<string>> = {
  group: new Set(['install', 'remove', 'upgrade', 'update', 'mark']),
  groups: new Set(['install', 'remove', 'upgrade', 'update']),
  module: new Set(['install', 'remove', 'enable', 'disable', 'reset', 'switch-to', 'update', 'upgrade'])
};
const ZYPPER_PROMPTING = new Set([
  'install',
  'in',
  'remove',
  'rm',
  'update',
  'up',
  'dist-upgrade',
  'dup',
  'patch',
  'source-install',
  'si',
  'install-new-recommends',
  'inr'
]);

const ASSUMEYES_CONF = /(^|\s)assumeyes\s*=\s*(1|true|yes|on)\b/im;

function yumFinding(cmd: ShellCommand): string | undefined {
  const call = yumCall(cmd);
  // microdnf never prompts (its -y is accepted and does nothing).
  if (!call || !call.sub || call.program === 'microdnf') return undefined;
  const nested = YUM_NESTED[call.sub];
  if (!YUM_PROMPTING.has(call.sub) && !(nested && call.operands[0] !== undefined && nested.has(call.operands[0]))) return undefined;
  if (hasOpt(call, 'y', 'assumeyes')) return undefined;
  if (optValues(call, 'setopt').some((v) => /^assumeyes=/i.test(v) && isTrue(v.slice(v.indexOf('=') + 1)))) return undefined;
  const sub = nested ? `${call.sub} ${call.operands[0]}` : call.sub;
  return `\`${call.program} ${sub}\` without -y waits for a confirmation the build cannot give: write \`${call.program} ${sub} -y\``;
}

function zypperFinding(cmd: ShellCommand): string | undefined {
  const call = zypperCall(cmd);
  if (!call || !call.sub || !ZYPPER_PROMPTING.has(call.sub)) return undefined;
  if (hasOpt(call, 'non-interactive', 'no-confirm', 'y')) return undefined;
  // -n is --non-interactive only as a global option (after `install` it means --name).
  if (call.opts.some((o) => o.name === 'n' && o.global)) return undefined;
  return `\`zypper ${call.sub}\` without --non-interactive waits for a confirmation the build cannot give: write \`zypper --non-interactive ${call.sub}\` (or \`zypper ${call.sub} -y\`)`;
}

export default defineRule({
  meta: {
    id: 'yum-yes',
    aliases: ['DL3030', 'DL3038', 'DL3034'],
    severity: 'warning',
    title: 'yum/dnf/zypper install without -y',
    description: [
      'A build has no terminal: `yum install` and `dnf install` (and `remove`, `update`, `group install`, `module enable` ...) ask `Is this ok [y/N]:`, read end-of-file and stop with `Operation aborted.`, failing the build. `zypper` does the same.',
      '',
      'Pass `-y` (`--assumeyes`) to yum, dnf and tdnf, and `--non-interactive` (`-n`, before the command) or `-y`/`--no-confirm` (after it) to zypper. `--setopt=assumeyes=1` and an `assumeyes=1` line written to the yum/dnf configuration earlier in the stage count too.',
      '',
      '`microdnf` is not reported: it never asks (its `-y` is accepted and ignored).'
    ].join('\n'),
    bad: 'FROM rockylinux:9\nRUN dnf install nginx && dnf clean all',
    good: 'FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const isYum = cmd.program !== 'zypper';
        const message = isYum ? yumFinding(cmd) : zypperFinding(cmd);
        if (!message) continue;
        if (isYum && configWritten(model, instr, cmd, ASSUMEYES_CONF)) continue;
        if (cmd.pipeline && cmd.pipeline.slice(0, cmd.pipeline.indexOf(cmd)).some((c) => c.program === 'yes')) continue;
        report({ line: cmd.line, message });
      }
    }
  }
});
