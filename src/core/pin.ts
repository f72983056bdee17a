/**
 * `container-guard pin`, the pure half: the pin plan and the edit (from rules/util/pins.ts, which
 * `unpinned-base-image` shares) and a unified diff of the result.
 */
export { applyPins, pinKey, pinPlan, pinTargets, type Pin, type PinPlan, type PinSkip, type PinTarget } from './rules/util/pins.js';

/** Lines with their terminator (`\n`); the last one may have none. */
function diffLines(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', at)) {
    out.push(text.slice(at, i + 1));
    at = i + 1;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

interface Block {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

function changeBlocks(a: string[], b: string[]): Block[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const aEnd = a.length - suf;
  const bEnd = b.length - suf;
  if (aEnd - pre !== bEnd - pre) return [{ aStart: pre, aEnd, bStart: pre, bEnd }];
  // Same number of lines: line-for-line replacements, one block per run of changed lines.
  const blocks: Block[] = [];
  for (let i = pre; i < aEnd; i++) {
    if (a[i] === b[i]) continue;
    const last = blocks[blocks.length - 1];
    if (last && last.aEnd === i) {
      last.aEnd = i + 1;
      last.bEnd = i + 1;
    } else blocks.push({ aStart: i, aEnd: i + 1, bStart: i, bEnd: i + 1 });
  }
  return blocks;
}

function range(start: number, length: number): string {
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

/** A unified diff (`--- a/file`, `+++ b/file`, hunks with 3 lines of context) of two texts; '' when equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = diffLines(before);
  const b = diffLines(after);
  const blocks = changeBlocks(a, b);
  const hunks: Block[][] = [];
  for (const block of blocks) {
    const hunk = hunks[hunks.length - 1];
    const prev = hunk?.[hunk.length - 1];
    if (hunk && prev && block.aStart - prev.aEnd <= 2 * context) hunk.push(block);
    else hunks.push([block]);
  }
  const line = (sign: string, text: string) => (text.endsWith('\n') ? `${sign}${text}` : `${sign}${text}\n\\ No newline at end of file\n`);
  let out = `--- a/${file}\n+++ b/${file}\n`;
  for (const hunk of hunks) {
    const first = hunk[0]!;
    const last = hunk[hunk.length - 1]!;
    const aFrom = Math.max(0, first.aStart - context);
    const bFrom = aFrom + (first.bStart - first.aStart);
    const aTo = Math.min(a.length, last.aEnd + context);
    const bTo = aTo + (last.bEnd - last.aEnd);
    let body = '';
    let i = aFrom;
    for (const blk of hunk) {
      for (; i < blk.aStart; i++) body += line(' ', a[i]!);
      for (let k = blk.aStart; k < blk.aEnd; k++) body += line('-', a[k]!);
      for (let k = blk.bStart; k < blk.bEnd; k++) body += line('+', b[k]!);
      i = blk.aEnd;
    }
    for (; i < aTo; i++) body += line(' ', a[i]!);
    out += `@@ -${range(aFrom, aTo - aFrom)} +${range(bFrom, bTo - bFrom)} @@\n${body}`;
  }
  return out;
}
