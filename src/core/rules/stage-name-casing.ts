import { defineRule } from './types.js';
import { stageCasing, wordFix } from './util/casing.js';

export default defineRule({
  meta: {
    id: 'stage-name-casing',
    aliases: ['StageNameCasing'],
    severity: 'note',
    title: 'Stage names should be lower case',
    description: [
      "Stage names are case-insensitive: BuildKit lower-cases them, so `AS Builder` and `--from=builder` name the same stage. BuildKit's `StageNameCasing` check asks for lower-case names so that the name you read is the name the builder uses; write `AS builder`.",
      '',
      'Names built from a variable (`AS ${NAME}`) are not checked. The casing of the `AS` keyword itself is the separate rule `from-as-casing` (BuildKit `FromAsCasing`).'
    ].join('\n'),
    bad: 'FROM golang:1.23 AS Builder',
    good: 'FROM golang:1.23 AS builder',
    tags: ['style', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const c = stageCasing(model, stage);
      if (!c?.nameBad || c.nameWord === undefined) continue;
      const lower = c.nameWord.toLowerCase();
      report({
        line: c.namePos.line,
        column: c.namePos.column,
        message: `Stage name "${c.nameWord}" should be lower case (stage names are case-insensitive and BuildKit lower-cases them); write ${c.asWord} ${lower}`,
        fix: wordFix(model, stage, c.namePos, c.nameWord, lower, 'Write the stage name in lower case')
      });
    }
  }
});
