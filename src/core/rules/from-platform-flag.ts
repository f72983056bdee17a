import { defineRule } from './types.js';
import { flagPosition } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'from-platform-flag',
    aliases: ['DL3029', 'FromPlatformFlagConstDisallowed'],
    severity: 'warning',
    title: 'Do not hard-code FROM --platform',
    description: [
      'A constant `FROM --platform=linux/amd64` pins the stage to one platform: the Dockerfile can no longer build a multi-platform image, and on another machine it silently runs under emulation (slow) or produces an image for the wrong architecture.',
      '',
      "Leave the flag out and choose the platform at build time (`docker buildx build --platform linux/amd64,linux/arm64`), or use BuildKit's platform variables, typically `FROM --platform=$BUILDPLATFORM` for a cross-compiling build stage. A stage whose name contains the platform's OS or architecture (`AS build-arm64`, selected later with `FROM build-${TARGETARCH}`) is deliberately per-platform and is not reported, as in BuildKit's `FromPlatformFlagConstDisallowed` check."
    ].join('\n'),
    bad: 'FROM --platform=linux/amd64 golang:1.23 AS build',
    good: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
    tags: ['portability', 'best-practice']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const instr = stage.instruction;
      const flag = instr.flags.find((f) => f.name === 'platform');
      if (!flag || flag.value === undefined) continue;
      const value = flag.value.trim();
      if (value === '' || value.includes('$')) continue;
      const [os = '', arch = ''] = value.toLowerCase().split('/');
      const name = stage.name ?? '';
      if (name && ((os && name.includes(os)) || (arch && name.includes(arch)))) continue;
      const pos = flagPosition(instr, 'platform');
      report({
        line: pos.line,
        column: pos.column,
        message: `FROM --platform=${value} hard-codes the platform; drop the flag and pass --platform to the build, or use a variable such as --platform=$BUILDPLATFORM (a per-platform stage should carry the platform in its name, e.g. AS build-${arch || os})`
      });
    }
  }
});
