import type { Stage } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { asWordIndex, wordPosition } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'duplicate-stage-name',
    aliases: ['DL3024', 'DS-0012', 'CKV_DOCKER_11', 'DuplicateStageName'],
    severity: 'error',
    title: 'Stage names must be unique',
    description: [
      'Stage names (`FROM … AS <name>`) are what `COPY --from`, `RUN --mount=from=`, later `FROM <name>` and `docker build --target` refer to. Two stages with the same name (compared case-insensitively) make those references ambiguous: builders disagree on which stage wins, and a refactoring can silently copy files from the wrong stage.',
      '',
      'Give each stage its own name and update the references to the renamed stage.'
    ].join('\n'),
    bad: 'FROM golang:1.23 AS build\nRUN go build -o /app ./cmd/app\nFROM node:22 AS build\nRUN npm run build',
    good: 'FROM golang:1.23 AS build-go\nRUN go build -o /app ./cmd/app\nFROM node:22 AS build-web\nRUN npm run build',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    const first = new Map<string, Stage>();
    const used = new Set(model.stages.map((s) => s.name).filter((n): n is string => n !== undefined));
    for (const stage of model.stages) {
      const name = stage.name;
      if (!name) continue;
      const prev = first.get(name);
      if (!prev) {
        first.set(name, stage);
        continue;
      }
      let n = 2;
      while (used.has(`${name}-${n}`)) n++;
      const suggestion = `${name}-${n}`;
      used.add(suggestion);
      const k = asWordIndex(stage.instruction);
      const pos = wordPosition(stage.instruction, k >= 0 ? k + 1 : 0);
      const written = k >= 0 ? (stage.instruction.words[k + 1]?.value ?? name) : name;
      report({
        line: pos.line,
        column: pos.column,
        message: `Stage name "${written}" is already used by the stage on line ${prev.instruction.line} (stage names are case-insensitive); give this stage a unique name, e.g. AS ${suggestion}, and update the COPY --from, FROM and --target references to it`
      });
    }
  }
});
