/** LABELs as the image ends up with them: the stage's own and those of the stages it builds on. */
import type { DockerfileModel, Instruction, Stage } from '../../dockerfile/model.js';
import { stageAncestry } from './misc.js';

export interface LabelDef {
  key: string;
  value: string;
  instr: Instruction;
}

/** Effective labels of a stage (later definitions win), with the instruction that set each. */
export function stageLabels(model: DockerfileModel, stage: Stage): Map<string, LabelDef> {
  const out = new Map<string, LabelDef>();
  for (const s of [...stageAncestry(model, stage)].reverse()) {
    for (const instr of s.instructions) {
      if (instr.keyword !== 'LABEL') continue;
      for (const p of instr.pairs) out.set(p.key, { key: p.key, value: instr.resolve(p.value ?? '').value, instr });
    }
  }
  return out;
}
