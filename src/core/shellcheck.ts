/**
 * The pure half of the optional ShellCheck pass: which scripts to check, and how
 * ShellCheck's lines and columns map back to the Dockerfile. The I/O layer runs
 * the `shellcheck` binary (src/io/shellcheck.ts); the `shellcheck` rule relays the results.
 */
import { heredocScript, type DockerfileModel, type Instruction } from './dockerfile/model.js';
import type { ShellcheckComment } from './rules/types.js';

export type Dialect = 'sh' | 'bash' | 'dash' | 'ksh';

export interface ShellcheckInput {
  /** Index of the RUN instruction in the model. */
  instr: number;
  dialect: Dialect;
  /** The script as ShellCheck sees it (with one prelude line). */
  script: string;
}

export interface RawShellcheckComment {
  line: number;
  endLine: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

const DIALECTS: Record<string, Dialect> = { sh: 'sh', ash: 'sh', busybox: 'sh', bash: 'bash', dash: 'dash', ksh: 'ksh', zsh: 'bash' };

function dialectOf(model: DockerfileModel, instr: Instruction): Dialect | undefined {
  const shell = model.shellFor(instr);
  if (!shell) return 'sh';
  return DIALECTS[(shell[0] ?? '').split('/').pop() ?? ''];
}

/**
 * Names declared by ARG/ENV up to `instr` that the script refers to: ShellCheck must not call them
 * unassigned. Only referenced names go into the prelude, so the same RUN body in files that declare
 * other names is the same script — checked once per run (see src/io/shellcheck.ts).
 */
function declaredNames(model: DockerfileModel, instr: Instruction, body: string): string[] {
  const referenced = new Set<string>();
  for (const m of body.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) referenced.add(m[1]!);
  const names = new Set<string>();
  for (const i of model.instructions) {
    if (i.index >= instr.index) break;
    if (i.keyword === 'ARG' || i.keyword === 'ENV') for (const p of i.pairs) if (referenced.has(p.key)) names.add(p.key);
  }
  return [...names];
}

/** One input per shell-form RUN whose shell ShellCheck understands (Windows shells and exec form are skipped). */
export function shellcheckInputs(model: DockerfileModel): ShellcheckInput[] {
  const out: ShellcheckInput[] = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== 'RUN' || instr.json) continue;
    if (!model.shellOf(instr)) continue; // not POSIX, or a heredoc for another interpreter
    const dialect = dialectOf(model, instr);
    if (!dialect) continue;
    const hd = instr.heredocs;
    const body = heredocScript(instr)?.body ?? instr.rest + (hd.length ? '\n' + hd.map((h) => h.body + h.name + '\n').join('') : '');
    const names = declaredNames(model, instr, body);
    // Line 1 declares the build's ARG/ENV names; scripts start on line 2.
    out.push({ instr: instr.index, dialect, script: `export ${names.length ? names.join(' ') : '_'}\n${body}` });
  }
  return out;
}

/** Maps ShellCheck's script positions to Dockerfile lines. */
export function mapComments(model: DockerfileModel, input: ShellcheckInput, comments: RawShellcheckComment[]): ShellcheckComment[] {
  const instr = model.instructions[input.instr];
  const hd = instr.heredocs;
  const heredocOnly = heredocScript(instr) !== undefined;
  const firstLineLen = instr.rest.length;
  const toLine = (scriptLine: number, column: number): number => {
    const l = scriptLine - 1; // drop the prelude
    if (l < 1) return instr.line;
    if (heredocOnly) return hd[0].line + l - 1;
    // Line 1 of the body is the joined RUN text; map its column back through the continuation pieces.
    if (l === 1) return instr.lineAt(instr.restOffset + Math.min(column - 1, firstLineLen));
    return Math.min(hd.length ? hd[0].line + l - 2 : instr.endLine, instr.endLine);
  };
  return comments
    .filter((c) => c.line > 1)
    .map((c) => {
      const line = toLine(c.line, c.column);
      return {
        line,
        endLine: Math.max(line, toLine(c.endLine, c.column)),
        column: 1,
        level: (['error', 'warning', 'info', 'style'].includes(c.level) ? c.level : 'warning') as ShellcheckComment['level'],
        code: c.code,
        message: c.message
      };
    });
}
