/** What FROM lines do with global ARGs: the variables they use and their values with defaults only. */
import type { DockerfileModel, Instruction } from '../../dockerfile/model.js';
import { variableRefs, type VariableRef } from './variables.js';

/** Values BuildKit gives its automatic platform ARGs when building for linux/amd64 on linux/amd64. */
export const DEFAULT_PLATFORM_VALUES: Record<string, string> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: ''
};

/** Global ARGs (before the first FROM) by name, with their default value ('' when declared without one). */
export function globalArgDefaults(model: DockerfileModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const instr of model.globalArgs) {
    for (const p of instr.pairs) {
      const v = p.value === undefined ? '' : substituteWith(p.value, (n) => out.get(n) ?? DEFAULT_PLATFORM_VALUES[n] ?? '', model.escape);
      out.set(p.key, v);
    }
  }
  return out;
}

/** Plain `${X}` / `$X` / `${X:-d}` / `${X-d}` / `${X:+a}` / `${X+a}` substitution; other forms give undefined. */
export function substituteWith(text: string, value: (name: string) => string, escape = '\\'): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === escape && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    const m = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\})/.exec(text.slice(i));
    if (c !== '$' || !m) {
      out += c;
      i++;
      continue;
    }
    const name = m[1] ?? m[2];
    const v = value(name);
    const op = m[3];
    if (op === ':-') out += v === '' ? (m[4] ?? '') : v;
    else if (op === '-') out += v;
    else if (op === ':+' || op === '+') out += v === '' ? '' : (m[4] ?? '');
    else out += v;
    i += m[0].length;
  }
  return out;
}

export interface FromWord {
  instr: Instruction;
  /** `image` for the base image word, `platform` for the --platform flag value. */
  kind: 'image' | 'platform';
  text: string;
  refs: VariableRef[];
}

/** The image word and the --platform value of each FROM, with the variables they use. */
export function fromWords(model: DockerfileModel): FromWord[] {
  const out: FromWord[] = [];
  for (const stage of model.stages) {
    const instr = stage.instruction;
    const image = instr.words[0]?.value;
    if (image !== undefined) out.push({ instr, kind: 'image', text: image, refs: variableRefs(image, model.escape) });
    const platform = instr.flags.find((f) => f.name === 'platform')?.value;
    if (platform !== undefined) out.push({ instr, kind: 'platform', text: platform, refs: variableRefs(platform, model.escape) });
  }
  return out;
}
