/**
 * Who a stage runs as: the effective `USER` of a stage, following `FROM <stage>`
 * ancestry, with ARG/ENV substitution. Shared by rules that care about root.
 */
import type { DockerfileModel, FromInfo, Instruction, Stage } from '../../dockerfile/model.js';
import { splitWords } from '../../dockerfile/words.js';

export type EffectiveUser =
  /** A USER instruction decides; `value` is the resolved `user[:group]`. */
  | { kind: 'user'; instr: Instruction; stage: Stage; value: string; written: string; viaVariable: boolean }
  /** A USER instruction decides, but its variables have no value: unknown. */
  | { kind: 'unknown'; instr: Instruction; stage: Stage }
  /** No USER in the stage or its ancestry: the base image's default user. */
  | { kind: 'none'; base: FromInfo; baseStage: Stage };

/** The text of a USER instruction as written (quotes kept, continuations joined). */
export function userText(instr: Instruction): string {
  return instr.rest.trim();
}

/** Resolves a USER instruction's argument; undefined when a variable has no value. */
export function resolveUser(model: DockerfileModel, instr: Instruction): string | undefined {
  const written = userText(instr);
  const sub = instr.resolve(written);
  if (sub.unresolved.length > 0) return undefined;
  const value = splitWords(sub.value, model.escape)
    .map((w) => w.value)
    .join(' ')
    .trim();
  return value === '' ? undefined : value;
}

/**
 * The last USER of a stage, or of the nearest ancestor stage that has one. `baseOf` reads a stage's FROM
 * (default: the model's reading; rules that resolve per platform pass their own).
 */
export function effectiveUser(model: DockerfileModel, stage: Stage, baseOf: (s: Stage) => FromInfo = (s) => s.from): EffectiveUser {
  let s: Stage = stage;
  for (let hops = 0; hops <= model.stages.length; hops++) {
    for (let k = s.instructions.length - 1; k >= 0; k--) {
      const instr = s.instructions[k];
      if (instr.keyword !== 'USER') continue;
      const written = userText(instr);
      const value = resolveUser(model, instr);
      if (value === undefined) return { kind: 'unknown', instr, stage: s };
      return { kind: 'user', instr, stage: s, value, written, viaVariable: written.includes('$') };
    }
    const from = baseOf(s);
    const ref = from.stageRef;
    if (ref === undefined || ref >= s.index) return { kind: 'none', base: from, baseStage: s };
    s = model.stages[ref];
  }
  return { kind: 'none', base: baseOf(s), baseStage: s };
}

const WINDOWS_ADMINS = new Set(['containeradministrator', 'ntauthoritysystem', 'ntauthority\\system']);

/** True for the Windows administrator accounts containers run as (case-insensitive). */
export function isWindowsAdmin(spec: string): boolean {
  return WINDOWS_ADMINS.has(spec.toLowerCase().replace(/[\s"']/g, ''));
}

/** True when `user[:group]` is uid 0: `root`, `0`, `00`, with any group; or a Windows administrator. */
export function isRootUser(spec: string): boolean {
  if (isWindowsAdmin(spec)) return true;
  const user = spec.split(':')[0].trim();
  return user === 'root' || /^0+$/.test(user);
}
