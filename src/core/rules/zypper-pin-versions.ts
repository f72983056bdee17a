import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, isDynamic, isIgnored, listPackages, runInfos, zypperCall } from './util/packages.js';

interface Options {
  ignore: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'zypper-pin-versions',
    aliases: ['DL3037'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'zypper install without pinned versions',
    description: [
      'Without a version, `zypper install nginx` installs whatever the repository has on the day of the build. Pin each package with `name=version` (or `>=`, `<`): `zypper install -y nginx=1.21.5`. Local `.rpm` files, patterns (`-t pattern`) and variables are not reported.',
      '',
      'Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx && zypper clean',
    good: 'FROM opensuse/leap:15.6\nRUN zypper install -y nginx=1.21.5 && zypper clean',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = zypperCall(cmd);
        if (call?.sub !== 'install' && call?.sub !== 'in') continue;
        if (call.opts.some((o) => (o.name === 't' || o.name === 'type') && o.value !== 'package')) continue;
        const names = call.operands.filter(
          (a) => !/[=<>]/.test(a) && !isDynamic(a) && !/\.rpm$/i.test(a) && !/^(\/|\.{1,2}\/|https?:)/.test(a) && !isIgnored(a, options.ignore)
        );
        if (names.length === 0) continue;
        report({ line: cmd.line, message: `pin the version of ${listPackages(names)} in zypper ${call.sub}: write \`${names[0]}=<version>\`` });
      }
    }
  }
});
