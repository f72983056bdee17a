import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, isDynamic, isIgnored, listPackages, runInfos, yumCall } from './util/packages.js';

interface Options {
  ignore: string[];
}

const INSTALLS = new Set(['install', 'in', 'reinstall', 'localinstall']);

/** A package argument without a version: `nginx`, not `nginx-1.24.0`, `nginx-1.24*`, a file or a group. */
export function unpinnedRpmPackage(arg: string): boolean {
  if (isDynamic(arg) || arg.startsWith('@') || /[=<>]/.test(arg)) return false;
  if (/\.rpm$/i.test(arg) || /^(\/|\.{1,2}\/|~|https?:)/.test(arg)) return false;
  // name-version[-release][.arch]: a dash followed by a digit.
  return !/-\d/.test(arg);
}

export default defineRule<Options>({
  meta: {
    id: 'rpm-pin-versions',
    aliases: ['DL3033', 'DL3041'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'yum/dnf install without pinned versions',
    description: [
      'Without a version, `dnf install nginx` installs whatever the repository has on the day of the build, so two builds of the same Dockerfile can ship different software.',
      '',
      'Pin each package: `dnf install -y nginx-1.24.0` (`name-version[-release]`, a glob such as `nginx-1.24*` also counts). Local `.rpm` files, URLs, groups (`@core`) and variables are not reported. `yum`, `dnf`, `dnf5`, `microdnf` and `tdnf` are checked (hadolint DL3033 for yum, DL3041 for dnf).',
      '',
      'Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all',
    good: 'FROM rockylinux:9\nRUN dnf install -y nginx-1.20.1 && dnf clean all',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = yumCall(cmd);
        if (!call?.sub || !INSTALLS.has(call.sub)) continue;
        const names = call.operands.filter((a) => unpinnedRpmPackage(a) && !isIgnored(a, options.ignore));
        if (names.length === 0) continue;
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(names)} in ${call.program} ${call.sub}: write \`${names[0]}-<version>\``
        });
      }
    }
  }
});
