import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, apkCall, hasOpt, isDynamic, isIgnored, listPackages, runInfos } from './util/packages.js';

interface Options {
  ignore: string[];
}

/** A package argument of `apk add` without a version constraint. */
export function unpinnedApkPackage(arg: string): boolean {
  if (/[=~<>]/.test(arg) || isDynamic(arg)) return false;
  if (/\.apk$/i.test(arg) || /^(\/|\.{1,2}\/|~)/.test(arg)) return false;
  // Provider names (so:libc.musl-x86_64.so.1, cmd:curl, pc:zlib) carry no package version.
  if (/^(so|cmd|pc|py3?|ocaml4?|dbus):/.test(arg)) return false;
  return true;
}

/** `curl@testing` → `curl`. */
function baseName(arg: string): string {
  return arg.replace(/@.*$/, '');
}

export default defineRule<Options>({
  meta: {
    id: 'apk-pin-versions',
    aliases: ['DL3018'],
    severity: 'warning',
    title: 'apk add without pinned versions',
    description: [
      'Without a version, `apk add curl` installs whatever the Alpine mirror has on the day of the build, so two builds of the same Dockerfile can ship different software.',
      '',
      'Pin each package: `apk add curl=8.9.1-r2` for an exact version, or `curl~8.9` to accept patch and package revisions of 8.9 (`apk policy curl` or pkgs.alpinelinux.org shows the versions). `>`, `<` and `=~` constraints count as pinned. `.apk` files, paths, variables, provider names (`so:`, `cmd:`, `pc:`) and the name given to `--virtual`/`-t` are not reported.',
      '',
      'Alpine removes old package versions from a branch when it publishes a fix, so exact pins need regular updates (Renovate can do it); `~` pins break less often. List packages you do not want to pin in `ignore`.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN: the packages of all its apk adds, at the first one.
      let line: number | undefined;
      const loose: string[] = [];
      const seen = new Set<string>();
      for (const cmd of commands) {
        const call = apkCall(cmd);
        if (!call || call.sub !== 'add' || hasOpt(call, 's', 'simulate')) continue;
        const here = call.operands.filter((p) => unpinnedApkPackage(p) && !isIgnored(baseName(p), options.ignore));
        if (here.length === 0) continue;
        line ??= cmd.line;
        for (const p of here)
          if (!seen.has(p)) {
            seen.add(p);
            loose.push(p);
          }
      }
      if (line === undefined) continue;
      const example = baseName(loose[0]);
      report({
        line,
        message: `pin the version of ${listPackages(loose)} in apk add: write \`${example}=<version>\` or \`${example}~<major.minor>\` (\`apk policy ${example}\` lists them)`
      });
    }
  }
});
