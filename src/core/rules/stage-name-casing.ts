import type { Fix } from '../finding.js';
import { defineRule } from './types.js';
import { asWordIndex, keywordAsWritten, wordPosition, type Position } from './util/stages.js';

interface Edit {
  pos: Position;
  from: string;
  to: string;
}

/** The FROM line with the edits applied, when the FROM is on one line and the words are written plainly. */
function lineFix(lines: string[], line: number, endLine: number, edits: Edit[]): Fix | undefined {
  if (line !== endLine || edits.length === 0) return undefined;
  let text = lines[line - 1];
  if (text === undefined) return undefined;
  // Right to left, so earlier columns stay valid.
  for (const e of [...edits].sort((a, b) => b.pos.column - a.pos.column)) {
    if (e.pos.line !== line) return undefined;
    const at = e.pos.column - 1;
    if (text.slice(at, at + e.from.length) !== e.from) return undefined;
    text = text.slice(0, at) + e.to + text.slice(at + e.from.length);
  }
  return { line, endLine, replacement: text, description: 'Fix the casing of AS and the stage name' };
}

export default defineRule({
  meta: {
    id: 'stage-name-casing',
    aliases: ['FromAsCasing', 'StageNameCasing'],
    severity: 'note',
    title: 'Write AS in the same case as FROM, and stage names in lower case',
    description: [
      "Dockerfile keywords are case-insensitive, but mixing styles (`FROM debian:12 as builder`) hurts readability and is flagged by BuildKit's `FromAsCasing` check: write `AS` in upper case after an upper-case `FROM`, and `as` in lower case after a lower-case `from`. A mixed-case keyword such as `From` is not checked.",
      '',
      "Stage names are case-insensitive too: BuildKit lower-cases them, so `AS Builder` and `--from=builder` name the same stage. BuildKit's `StageNameCasing` check asks for lower-case names so that the name you read is the name the builder uses; write `AS builder`."
    ].join('\n'),
    bad: 'FROM golang:1.23 as Builder',
    good: 'FROM golang:1.23 AS builder',
    tags: ['style', 'maintainability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const instr = stage.instruction;
      const k = asWordIndex(instr);
      if (k < 0) continue;
      const asWord = instr.words[k].value;
      const nameWord = instr.words[k + 1]?.value;
      const keyword = keywordAsWritten(model, instr);
      const upper = keyword === keyword.toUpperCase();
      const lower = keyword === keyword.toLowerCase();
      const wantAs = upper ? 'AS' : lower ? 'as' : asWord;
      const asPos = wordPosition(instr, k);
      const namePos = wordPosition(instr, k + 1);
      const edits: Edit[] = [];
      const asBad = asWord !== wantAs;
      const nameBad = nameWord !== undefined && !nameWord.includes('$') && nameWord !== nameWord.toLowerCase();
      if (asBad) edits.push({ pos: asPos, from: asWord, to: wantAs });
      if (nameBad) edits.push({ pos: namePos, from: nameWord, to: nameWord.toLowerCase() });
      const fix = lineFix(model.lines, instr.line, instr.endLine, edits);
      if (asBad) {
        report({
          line: asPos.line,
          column: asPos.column,
          message: `'${asWord}' and '${keyword}' keywords' casing do not match; write ${keyword} … ${wantAs} ${nameWord === undefined ? '<name>' : nameBad ? nameWord.toLowerCase() : nameWord}`,
          fix
        });
      }
      if (nameBad) {
        report({
          line: namePos.line,
          column: namePos.column,
          message: `Stage name "${nameWord}" should be lower case (stage names are case-insensitive and BuildKit lower-cases them); write ${wantAs} ${nameWord.toLowerCase()}`,
          fix
        });
      }
    }
  }
});
