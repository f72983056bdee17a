import type { ShellCommand, ShellScript } from '../shell/parser.js';
import { defineRule } from './types.js';
import { baseName, commandName, jsonArray, scriptText, stageAncestry, stageOf } from './util/misc.js';

/**
 * `a && b | ` → `a && `: drops the pipeline element that ends the text (what the removed regex
 * `[^|]*\|&?\s*$` did, in linear time — the regex backtracked quadratically on long RUN lines).
 */
function withoutLastPipeSegment(text: string): string {
  const end = /\|&?\s*$/.exec(text);
  if (!end) return text;
  return text.slice(0, text.lastIndexOf('|', end.index - 1) + 1);
}
/** The pipefail state after an option list (`set` arguments or a SHELL array), starting from `on`. */
function enablesPipefail(args: readonly string[], on = false): boolean {
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    // `-o pipefail`, `-euxo pipefail`; `+o pipefail` turns it off again.
    if (/^[-+][a-zA-Z]*o$/.test(arg) && args[k + 1] === 'pipefail') {
      on = arg.startsWith('-');
      k++;
    } else if (arg === '-opipefail') {
      on = true;
    }
  }
  return on;
}

/**
 * Commands that cannot fail on the left of a pipe: they only write what they were given. A command
 * substitution in their arguments runs a command that can.
 */
const CANNOT_FAIL = new Set(['echo', 'printf', 'true', ':']);

function cannotFail(c: ShellCommand): boolean {
  const name = commandName(c);
  if (c.args.some((a) => a.includes('$(') || a.includes('`'))) return false;
  if (CANNOT_FAIL.has(name)) return true;
  // `cat` with no file reads its heredoc or here-string.
  return name === 'cat' && c.args.length === 0;
}

/** `sha256sum -c -`, `sha512sum --check --strict`, `md5sum -c`, `shasum -a 256 -c`: a check of what it is given. */
function verifiesChecksum(c: ShellCommand): boolean {
  const name = commandName(c);
  if (!/^(?:sha(?:1|224|256|384|512)?sum|md5sum|b2sum|cksum)$/.test(name)) return false;
  return c.args.some((a) => a === '--check' || (/^-[a-zA-Z]+$/.test(a) && a.includes('c')));
}

/** `grep` that filters for a match (not `-v`, which succeeds on everything else): no input, no match, failure. */
function isGrepCheck(c: ShellCommand): boolean {
  const name = commandName(c);
  if (name !== 'grep' && name !== 'egrep' && name !== 'fgrep') return false;
  return !c.args.some((a) => a === '--invert-match' || (/^-[a-zA-Z]+$/.test(a) && a.includes('v')));
}

/** True when the text before a pipeline ends inside an unclosed `$(` that is not the whole value of an assignment. */
function inArgumentSubstitution(before: string): boolean {
  let depth = 0;
  for (let i = before.length - 1; i >= 1; i--) {
    const ch = before[i];
    if (ch === ')') depth++;
    else if (ch === '(' && before[i - 1] === '$') {
      if (depth === 0) return !/(?:^|[\s;&|])[A-Za-z_][A-Za-z0-9_]*=["']?$/.test(before.slice(0, i - 1));
      depth--;
    }
  }
  return false;
}

/** Characters before a pipeline read to judge its context. */
const CONTEXT_WINDOW = 2000;
/** Pipelines judged per RUN; past that, the RUN is reported as if the next one could fail. */
const MAX_PIPELINES = 5000;

/** The commands whose offset lies strictly between `start` and `end` (commands are in offset order). */
function commandsBetween(commands: readonly ShellCommand[], start: number, end: number): ShellCommand[] {
  let lo = 0;
  let hi = commands.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (commands[mid].offset <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: ShellCommand[] = [];
  for (let k = lo; k < commands.length && commands[k].offset < end; k++) out.push(commands[k]);
  return out;
}

/** Offset of the `{` that opens the group whose `}` ends at `close` (exclusive), or -1. */
function groupStart(text: string, close: number): number {
  let depth = 0;
  let quote = '';
  for (let i = close - 1; i >= 0; i--) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}') depth++;
    else if (ch === '{' && (i === 0 || /[\s;&|(]/.test(text[i - 1]))) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * True when the text before a pipeline ends inside the condition of an `if`/`elif`/`while`/`until`: after the
 * keyword, only `&&`/`||` lists (`if [ -f .git ] && head -n 1 .git | grep -q x; then`), no `then`, `do` or `;`.
 */
function inCondition(before: string): boolean {
  return /(?:^|[\s;&|(])(?:if|elif|while|until)\s(?:(?!\bthen\b|\bdo\b)[^;\n])*$/.test(before);
}

/**
 * True when a failure in this pipeline could go unnoticed without pipefail: some command before the
 * last one can fail, and the pipeline is not the condition of an `if`/`while`/`until` (where a failure
 * does not stop the script anyway, and pipefail would turn `head | grep -q`'s early exit into a false "no").
 */
function canHideFailure(pipeline: readonly ShellCommand[], script: ShellScript, text: string): boolean {
  const first = pipeline[0];
  // Conditions and groups are short: only a window before the pipeline is read (a script of 10,000 pipes stays linear).
  const from = Math.max(0, first.offset - CONTEXT_WINDOW);
  const before = text.slice(from, first.offset);
  if (inCondition(before)) return false;
  // A check at the end fails on wrong or missing input, so whatever fails on its left cannot go unnoticed:
  // a checksum check, or a grep (`nginx -v 2>&1 | grep -q "nginx/$V"`, `go env | grep -E …`) that finds nothing.
  const last = pipeline[pipeline.length - 1];
  if (verifiesChecksum(last) || isGrepCheck(last)) return false;
  // Inside a command substitution that is an argument (`echo "$(cat f | tr -d ' ')  f"`), the pipeline's
  // status is discarded: pipefail would not stop the script either. (`V=$(a | b)` keeps it: reported.)
  if (inArgumentSubstitution(before)) return false;
  if (pipeline.length >= 2) {
    // Every element is a simple command: the text between them is only the pipe.
    const contiguous = pipeline.every((c, k) => k === 0 || /^[^|]*\|&?[^|]*$/.test(text.slice(pipeline[k - 1].offset, c.offset)));
    if (contiguous) return !pipeline.slice(0, -1).every(cannotFail);
    return true;
  }
  // One known element: what stands left of it is not a simple command (the parser leaves out negated,
  // grouped and redirected ones). A negated condition, `cat <<EOF`, and a `{ …; }` group of commands that
  // cannot fail are judged; anything else (subshell, loop) can fail.
  if (inCondition(withoutLastPipeSegment(before))) return false;
  if (/(?:^|[\s;&|(])cat\s+<<[-~]?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1\s*\|&?\s*$/.test(before)) return false;
  const m = /\}\s*\|&?\s*$/.exec(before);
  if (!m) return true;
  const open = groupStart(before, m.index + 1);
  if (open < 0) return true;
  const inside = commandsBetween(script.commands, from + open, from + m.index);
  return inside.length === 0 || !inside.every(cannotFail);
}

export default defineRule({
  meta: {
    id: 'shell-pipefail',
    aliases: ['DL4006'],
    severity: 'warning',
    title: 'Set -o pipefail before RUN with a pipe',
    description: [
      "A pipeline's exit status is that of its last command. In `RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg`, a failed download still lets the step succeed (gpg happily writes an empty keyring) and the build carries on with a broken image.",
      '',
      'Make the shell fail when any command of a pipeline fails:',
      '',
      '- once per stage, before the `RUN`s: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (on Alpine/BusyBox: `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`);',
      "- or inside the `RUN` itself, before the first pipe: `RUN set -o pipefail && curl … | gpg …` (with a shell that supports it; Debian's `/bin/sh` is dash, which needs a recent version).",
      '',
      'A pipe whose left side cannot fail is fine without pipefail: `echo "$SHA256  file" | sha256sum -c -` (the checksum check other rules advise), `printf … | tee`, `{ echo a; echo b; } | tee`, `cat <<EOF | …`, a pipe into a check that fails on wrong or missing input (`… | sha256sum -c -`, `nginx -v 2>&1 | grep -q …`; not `grep -v`), and a pipe inside a command substitution used as an argument (`echo "$(cat f | tr -d \' \')  f"`), whose status nothing reads. So is a pipe that is the condition of an `if`, `while` or `until`: a failure there does not stop the script anyway, and pipefail would turn `head | grep -q`\'s early exit into a false answer.',
      '',
      'The rule reports a shell-form `RUN` containing a pipe (`|`) whose left side can fail when neither the `SHELL` in force (which stages inherit from the stage they build on) nor an earlier `set` in the same script enables `pipefail`. Exec-form `RUN`s and stages whose `SHELL` is not a POSIX shell (PowerShell, cmd) are not checked.'
    ].join('\n'),
    bad: 'FROM debian:12-slim\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg',
    good: 'FROM debian:12-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg',
    tags: ['reliability', 'best-practice']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const script = model.shellOf(instr);
      if (!script || script.pipelines === 0) continue;
      const shell = model.shellFor(instr);
      if (shell && enablesPipefail(shell.slice(1))) continue;
      const text = scriptText(instr);
      const seen = new Set<readonly ShellCommand[]>();
      let piped: ShellCommand | undefined;
      for (const c of script.commands) {
        if (!c.pipeline || seen.has(c.pipeline)) continue;
        seen.add(c.pipeline);
        if (seen.size > MAX_PIPELINES || canHideFailure(c.pipeline, script, text)) {
          piped = c.pipeline[0];
          break;
        }
      }
      if (!piped) continue;
      const limit = piped.offset;
      let pipefail = false;
      for (const c of script.commands) {
        if (c.offset >= limit) break;
        if (commandName(c) === 'set') pipefail = enablesPipefail(c.args, pipefail);
      }
      if (pipefail) continue;

      const stage = stageOf(model, instr);
      const root = stage ? stageAncestry(model, stage).pop() : undefined;
      const image = root ? (root.from.image?.raw ?? root.from.resolved) : '';
      const prog = shell ? baseName(shell[0] ?? '') : 'sh';
      let suggestion: string;
      if (shell && (prog === 'bash' || prog === 'zsh' || prog === 'ksh' || prog === 'ash')) {
        suggestion = `SHELL ${jsonArray([shell[0], '-o', 'pipefail', ...shell.slice(1)])}`;
      } else if (/alpine|busybox/i.test(image)) {
        suggestion = 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]';
      } else {
        suggestion = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';
      }
      report({
        line: piped.line,
        column: instr.column,
        message: `RUN with a pipe fails only if the last command fails: add ${suggestion} before this RUN, or start it with set -o pipefail &&`
      });
    }
  }
});
