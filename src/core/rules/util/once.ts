/**
 * One finding per rule per instruction and concern: a rule that reports the same message twice inside one
 * instruction (`sudo apt-get update && sudo apt-get install`, two `curl -k` in one RUN) says one thing once,
 * at its first line. Different messages (different commands, different advice) all stay. Findings relayed
 * from another tool under their own id (ShellCheck) are left alone: each is a place to fix.
 */
import type { DockerfileModel } from '../../dockerfile/model.js';
import type { ReportDescriptor } from '../types.js';

/** Index of the instruction whose lines (continuations and heredoc bodies included) hold `line`, or -1. */
export function instructionAtLine(model: DockerfileModel, line: number): number {
  const list = model.instructions;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const instr = list[mid];
    if (line < instr.line) hi = mid - 1;
    else if (line > instr.endLine) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export function oncePerInstruction(model: DockerfileModel, report: (d: ReportDescriptor) => void): (d: ReportDescriptor) => void {
  // Messages already reported, per instruction index (no key strings built: most findings are the first of theirs).
  const seen = new Map<number, string[]>();
  return (d) => {
    if (d.ruleId === undefined) {
      const at = instructionAtLine(model, d.line);
      if (at >= 0) {
        const messages = seen.get(at);
        if (!messages) seen.set(at, [d.message]);
        else if (messages.includes(d.message)) return;
        else messages.push(d.message);
      }
    }
    report(d);
  };
}
