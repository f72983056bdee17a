import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, aptCall, aptDryRun, isDynamic, isIgnored, listPackages, runInfos } from './util/packages.js';

interface Options {
  ignore: string[];
}

/** A package argument that names no version: not `pkg=1.2`, a `.deb` file, a path, a variable or a removal (`pkg-`). */
export function unpinnedAptPackage(arg: string): boolean {
  if (arg.includes('=') || isDynamic(arg)) return false;
  if (/\.deb$/i.test(arg) || /^(\/|\.{1,2}\/|~)/.test(arg)) return false;
  // `pkg-` asks apt-get install to remove pkg.
  if (arg.endsWith('-')) return false;
  return true;
}

export default defineRule<Options>({
  meta: {
    id: 'apt-pin-versions',
    aliases: ['DL3008'],
    severity: 'warning',
    title: 'apt-get install without pinned versions',
    description: [
      'Without a version, `apt-get install curl` installs whatever the mirror has on the day of the build: two builds of the same Dockerfile can ship different packages, and a rebuild can break or change behaviour without any change to the source.',
      '',
      'Pin each package with `pkg=<version>` (`apt-cache policy pkg` or `apt-cache madison pkg` shows the versions): `apt-get install -y curl=7.88.1-10+deb12u5`. Version wildcards such as `curl=7.88.*` are accepted. Local `.deb` files, paths, variables (`$PACKAGES`) and removals (`pkg-`) are not reported.',
      '',
      'Unlike hadolint, a release pin such as `curl/bookworm-backports` is reported: it still installs whatever version that release has today.',
      '',
      'Pinned versions disappear from the mirrors when Debian or Ubuntu publish a fix, so pinning means updating the pins regularly (a bot such as Renovate can do it). If that is not a trade-off you want for some packages, list them in `ignore`.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN: the packages of all its apt-get installs, at the first one.
      let line: number | undefined;
      const loose: string[] = [];
      const seen = new Set<string>();
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || call.sub !== 'install' || aptDryRun(call)) continue;
        const here = call.operands.filter((p) => unpinnedAptPackage(p) && !isIgnored(p.replace(/\/.*$/, ''), options.ignore));
        if (here.length === 0) continue;
        line ??= cmd.line;
        for (const p of here)
          if (!seen.has(p)) {
            seen.add(p);
            loose.push(p);
          }
      }
      if (line === undefined) continue;
      const example = loose[0].replace(/\/.*$/, '');
      report({
        line,
        message: `pin the version of ${listPackages(loose)} in apt-get install: write \`${example}=<version>\` (\`apt-cache policy ${example}\` lists them)`
      });
    }
  }
});
