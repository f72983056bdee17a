/** FROM … AS name: the casing facts FromAsCasing and StageNameCasing judge, and their one-line fixes. */
import type { Fix } from '../../finding.js';
import type { DockerfileModel, Stage } from '../../dockerfile/model.js';
import { asWordIndex, keywordAsWritten, wordPosition, type Position } from './stages.js';

export interface StageCasing {
  keyword: string;
  asWord: string;
  /** `AS` as it should be written: the case of FROM (unchanged when FROM is mixed case). */
  wantAs: string;
  nameWord?: string;
  asPos: Position;
  namePos: Position;
  asBad: boolean;
  nameBad: boolean;
}

export function stageCasing(model: DockerfileModel, stage: Stage): StageCasing | undefined {
  const instr = stage.instruction;
  const k = asWordIndex(instr);
  if (k < 0) return undefined;
  const asWord = instr.words[k].value;
  const nameWord = instr.words[k + 1]?.value;
  const keyword = keywordAsWritten(model, instr);
  const wantAs = keyword === keyword.toUpperCase() ? 'AS' : keyword === keyword.toLowerCase() ? 'as' : asWord;
  return {
    keyword,
    asWord,
    wantAs,
    nameWord,
    asPos: wordPosition(instr, k),
    namePos: wordPosition(instr, k + 1),
    asBad: asWord !== wantAs,
    nameBad: nameWord !== undefined && !nameWord.includes('$') && nameWord !== nameWord.toLowerCase()
  };
}

/** The FROM line with one word replaced, when the FROM is on one line and the word is written plainly. */
export function wordFix(model: DockerfileModel, stage: Stage, pos: Position, from: string, to: string, description: string): Fix | undefined {
  const { line, endLine } = stage.instruction;
  const text = model.lines[line - 1];
  if (line !== endLine || pos.line !== line || text === undefined) return undefined;
  const at = pos.column - 1;
  if (text.slice(at, at + from.length) !== from) return undefined;
  return { line, endLine, replacement: text.slice(0, at) + to + text.slice(at + from.length), description };
}
