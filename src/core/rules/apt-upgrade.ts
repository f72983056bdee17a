import { defineRule } from './types.js';
import { aptCall, aptDryRun, runInfos } from './util/packages.js';

const UPGRADES = new Set(['upgrade', 'dist-upgrade', 'full-upgrade']);

export default defineRule({
  meta: {
    id: 'apt-upgrade',
    aliases: ['DL3005', 'DS-0024'],
    severity: 'note',
    title: 'apt-get upgrade in a Dockerfile',
    description: [
      "`apt-get upgrade` / `dist-upgrade` upgrades every package of the base image to whatever the mirror has on the day of the build. The result depends on the build date rather than on the Dockerfile, duplicates a whole set of the base image's files into a new layer, and hides the real problem: an outdated base image.",
      '',
      'Build on a recent, pinned base image and rebuild when it is updated (Renovate or Dependabot can bump the digest); the distribution images are rebuilt for security fixes. When one package needs a fix that the base image does not have yet, upgrade that package alone: `apt-get install -y --only-upgrade <package>`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get -y upgrade',
    good: 'FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl=3.0.15-1~deb12u1',
    tags: ['best-practice', 'reproducibility']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd, ['apt-get', 'apt']);
        if (!call || !call.sub || !UPGRADES.has(call.sub) || aptDryRun(call)) continue;
        report({
          line: cmd.line,
          message: `\`${call.program} ${call.sub}\` makes the image depend on the build date: use a newer base image, or \`apt-get install --only-upgrade <package>\` for a single fix`
        });
      }
    }
  }
});
