import { defineRule } from './types.js';
import { aptCall, aptDryRun, aptSettings, configWritten, hasOpt, isFalse, runInfos } from './util/packages.js';

const NO_RECOMMENDS_CONF = /APT::Install-Recommends\s*"?\s*(0|false|no|off)\b/i;

export default defineRule({
  meta: {
    id: 'apt-get-no-install-recommends',
    aliases: ['DL3015', 'DS-0029'],
    severity: 'note',
    title: 'apt-get install without --no-install-recommends',
    description: [
      'By default `apt-get install` also installs every package the requested ones merely *recommend*: documentation, GUI helpers, extra libraries. They make the image bigger, slower to pull and add packages (and CVEs) nobody asked for.',
      '',
      'Write `apt-get install -y --no-install-recommends <packages>` and list what you really need. `-o APT::Install-Recommends=false`, or an `APT::Install-Recommends "false";` apt configuration written earlier in the stage (`/etc/apt/apt.conf.d/`), work too.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    tags: ['best-practice', 'image-size', 'cis:4.3']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || call.sub !== 'install' || aptDryRun(call)) continue;
        if (hasOpt(call, 'no-install-recommends')) continue;
        if (call.opts.some((o) => o.name === 'install-recommends' && isFalse(o.value))) continue;
        if (isFalse(aptSettings(call).get('apt::install-recommends'))) continue;
        if (configWritten(model, instr, cmd, NO_RECOMMENDS_CONF)) continue;
        report({
          line: cmd.line,
          message: '`apt-get install` also installs recommended packages: write `apt-get install --no-install-recommends`'
        });
        break; // one finding per RUN (the same advice again would be dropped anyway)
      }
    }
  }
});
