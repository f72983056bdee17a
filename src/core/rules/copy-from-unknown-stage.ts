import { defineRule } from './types.js';
import { classifyFrom, closestName, describeSource, fromSources, isTemplated, variableNames } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'copy-from-unknown-stage',
    aliases: ['DL3022'],
    severity: 'warning',
    title: 'COPY --from must name an earlier stage or an image',
    description: [
      "`COPY --from=<x>` (and `RUN --mount=…,from=<x>`) takes a stage name, a stage index or an image. When `<x>` is neither the name of a stage defined earlier nor an index of one, BuildKit silently treats it as an image name and tries to pull it from Docker Hub: a typo such as `--from=buidler` fails late with a confusing pull error, or, worse, pulls someone else's image that happens to have that name.",
      '',
      'This rule reports:',
      '',
      '- a bare word that names no stage (`--from=buidler`), suggesting the closest stage name;',
      '- a stage that is defined only later in the file (stages must be defined before they are used);',
      "- a stage index that is not lower than the current stage's;",
      '- `COPY --from=$VAR`: BuildKit does not expand variables in `--from`; declare a stage `FROM ${VAR} AS name` and copy from `name`.',
      '',
      'Values that look like image references (they contain `/`, `:`, `.` or `@`, e.g. `nginx:1.27`) are images and are judged by `unpinned-base-image`. To copy from an image with a one-word name, write it with its tag (`--from=busybox:1.37`). A reference to the stage itself is reported by `copy-from-self`.'
    ].join('\n'),
    bad: 'FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app',
    good: 'FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const src of fromSources(model)) {
      const here = src.instr.stage;
      const what = describeSource(src);
      const say = (message: string) => report({ line: src.position.line, column: src.position.column, message });
      if (src.what === 'COPY --from' && src.hasVariables) {
        const v = variableNames(src.value)[0] ?? 'IMAGE';
        const name = v.toLowerCase().replace(/_/g, '-');
        say(
          `${what}: BuildKit does not expand variables in --from; declare a stage instead: ARG ${v}=<image>:<version> before the first FROM, FROM \${${v}} AS ${name}, then COPY --from=${name}`
        );
        continue;
      }
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const value = src.resolved;
      const target = classifyFrom(model, value);
      if (target.kind === 'bad-index') {
        const n = model.stages.length;
        say(
          `${what}: this Dockerfile has only ${n} stage${n === 1 ? '' : 's'} (numbered from 0); refer to an earlier stage by its name (FROM … AS name, then --from=name)`
        );
        continue;
      }
      if (target.kind === 'stage') {
        const s = target.stage;
        if (s.index < here || s.index === here) continue; // the same stage: copy-from-self
        if (target.byIndex) {
          say(
            `${what} refers to stage ${s.index} (line ${s.instruction.line}), which comes after this stage (stage ${here}); stages can only use earlier stages: use the name of an earlier stage, or move that stage above this one`
          );
        } else {
          say(
            `${what} refers to stage "${s.name}", which is defined later, on line ${s.instruction.line}; stages can only use earlier stages: move FROM … AS ${s.name} above this stage`
          );
        }
        continue;
      }
      if (target.looksLikeImage) continue;
      // Lazily: closestName stops early on files with thousands of stages.
      const earlier = (function* () {
        for (const s of model.stages) {
          if (s.index >= here) return;
          if (s.name) yield s.name;
        }
      })();
      const guess = closestName(value, earlier);
      const hint = guess ? `did you mean --from=${guess}? Otherwise name an earlier stage` : `name an earlier stage (FROM … AS ${value.toLowerCase()})`;
      say(
        `${what}: no stage named "${value}" is defined before this instruction, so it would be pulled as the image docker.io/library/${value.toLowerCase()}; ${hint}, or, if you meant that image, write it with a tag, e.g. --from=${value}:<version>`
      );
    }
  }
});
