import { KNOWN_INSTRUCTIONS } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { keywordAsWritten } from './util/stages.js';

export default defineRule({
  meta: {
    id: 'consistent-instruction-casing',
    aliases: ['ConsistentInstructionCasing'],
    severity: 'note',
    title: 'Instructions should all be written in the same case',
    description: [
      "Instruction keywords are case-insensitive, but a file that mixes `RUN` and `run` is harder to read and to search. BuildKit's `ConsistentInstructionCasing` check takes the case most instructions of the file use (upper or lower) and reports the others; mixed-case keywords (`Run`) are reported too.",
      '',
      'Write every keyword in the majority case — upper case is the convention.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nrun apk add --no-cache curl\nCMD ["curl", "--version"]',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl\nCMD ["curl", "--version"]',
    tags: ['style']
  },
  defaultOptions: {},
  check({ model, report }) {
    // Unknown instructions (template lines, typos) are another rule's business and have no case to compare.
    // Most files are written all upper case: nothing to report, and nothing to allocate to find that out.
    const allUpper = model.instructions.every(
      (instr) => !KNOWN_INSTRUCTIONS.has(instr.keyword) || (model.lines[instr.line - 1] ?? '').startsWith(instr.keyword, instr.column - 1)
    );
    if (allUpper) return;
    const written = model.instructions
      .filter((instr) => KNOWN_INSTRUCTIONS.has(instr.keyword))
      .map((instr) => ({ instr, text: keywordAsWritten(model, instr) }));
    const upper = written.filter((w) => w.text === w.text.toUpperCase()).length;
    const lower = written.filter((w) => w.text === w.text.toLowerCase()).length;
    const want = lower > upper ? 'lowercase' : 'uppercase';
    for (const { instr, text } of written) {
      const expected = want === 'uppercase' ? text.toUpperCase() : text.toLowerCase();
      if (text === expected) continue;
      const line = model.lines[instr.line - 1] ?? '';
      const at = instr.column - 1;
      const fixed = line.slice(at, at + text.length) === text ? line.slice(0, at) + expected + line.slice(at + text.length) : undefined;
      report({
        line: instr.line,
        column: instr.column,
        message: `Command '${text}' should match the case of the command majority (${want}): write ${expected}`,
        fix: fixed === undefined ? undefined : { line: instr.line, endLine: instr.line, replacement: fixed, description: `Write ${expected}` }
      });
    }
  }
});
