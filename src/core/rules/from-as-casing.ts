import { defineRule } from './types.js';
import { stageCasing, wordFix } from './util/casing.js';

export default defineRule({
  meta: {
    id: 'from-as-casing',
    aliases: ['FromAsCasing'],
    severity: 'note',
    title: "The 'AS' keyword should match the case of 'FROM'",
    description: [
      "Dockerfile keywords are case-insensitive, but mixing styles (`FROM debian:12 as builder`) hurts readability and is flagged by BuildKit's `FromAsCasing` check: write `AS` in upper case after an upper-case `FROM`, and `as` in lower case after a lower-case `from`.",
      '',
      'A mixed-case keyword such as `From` is not checked (there is no case to match). The casing of the stage name is the separate rule `stage-name-casing` (BuildKit `StageNameCasing`).'
    ].join('\n'),
    bad: 'FROM golang:1.23 as builder',
    good: 'FROM golang:1.23 AS builder',
    tags: ['style', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const c = stageCasing(model, stage);
      if (!c?.asBad) continue;
      report({
        line: c.asPos.line,
        column: c.asPos.column,
        message: `'${c.asWord}' and '${c.keyword}' keywords' casing do not match; write ${c.keyword} … ${c.wantAs} ${c.nameWord ?? '<name>'}`,
        fix: wordFix(model, stage, c.asPos, c.asWord, c.wantAs, `Write ${c.wantAs} in the case of ${c.keyword}`)
      });
    }
  }
});
