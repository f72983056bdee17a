import { defineRule } from './types.js';
import { aptCall, runInfos } from './util/packages.js';

const APT_GET = new Set([
  'install',
  'reinstall',
  'remove',
  'purge',
  'autoremove',
  'autopurge',
  'update',
  'upgrade',
  'dist-upgrade',
  'build-dep',
  'source',
  'download',
  'clean',
  'autoclean',
  'auto-clean',
  'distclean',
  'dist-clean',
  'satisfy',
  'check',
  'changelog'
]);
const APT_CACHE = new Set(['search', 'show', 'showsrc', 'policy', 'depends', 'rdepends', 'madison', 'showpkg', 'pkgnames', 'dump']);

function replacement(sub: string | undefined): string {
  if (sub === undefined) return 'apt-get or apt-cache';
  if (APT_GET.has(sub)) return `apt-get ${sub}`;
  if (sub === 'full-upgrade') return 'apt-get dist-upgrade';
  if (APT_CACHE.has(sub)) return `apt-cache ${sub}`;
  if (sub === 'list') return 'dpkg-query -W (installed packages) or apt-cache policy';
  return 'apt-get or apt-cache';
}

export default defineRule({
  meta: {
    id: 'apt-not-apt-get',
    aliases: ['DL3027', 'CKV_DOCKER_9'],
    severity: 'warning',
    title: 'apt used instead of apt-get',
    description: [
      '`apt` is the interactive front end for people at a terminal. Its command-line interface is not stable (it prints `WARNING: apt does not have a stable CLI interface. Use with caution in scripts.`), its output and defaults may change between releases, and it shows progress bars meant for humans.',
      '',
      'In a Dockerfile use the script-oriented tools: `apt-get` for `update`, `install`, `remove`, `purge`, `upgrade` (`apt full-upgrade` is `apt-get dist-upgrade`), and `apt-cache` for `search`, `show`, `policy`, `depends`. `apt list --installed` becomes `dpkg-query -W`.',
      '',
      'One finding per `RUN`, at its first `apt`, naming every `apt` subcommand it uses.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt update && apt install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN (the command is `apt`, whatever its subcommands), naming each use, at the first.
      let line: number | undefined;
      const used: string[] = [];
      const instead: string[] = [];
      for (const cmd of commands) {
        const call = aptCall(cmd, ['apt']);
        if (!call) continue;
        line ??= cmd.line;
        const text = `\`apt${call.sub === undefined ? '' : ` ${call.sub}`}\``;
        if (used.includes(text)) continue;
        used.push(text);
        instead.push(`\`${replacement(call.sub)}\``);
      }
      if (line === undefined) continue;
      const many = used.length > 1;
      report({
        line,
        message: `${used.join(', ')} ${many ? 'are' : 'is'} meant for interactive use and ${many ? 'have' : 'has'} no stable CLI: write ${instead.join(', ')} instead`
      });
    }
  }
});
