import { defineRule } from './types.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Variables a Dockerfile value refers to: `$X`, `${X}`, `${X:-$Y}`; not escaped, not in single quotes. */
export function referencedVariables(raw: string, escape = '\\'): string[] {
  const out: string[] = [];
  let single = false;
  let double = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (single) {
      if (c === "'") single = false;
      continue;
    }
    if (c === escape) {
      i++;
      continue;
    }
    if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
    else if (c === '$') {
      const braced = raw[i + 1] === '{';
      const m = NAME_RE.exec(raw.slice(i + (braced ? 2 : 1)));
      if (m && !out.includes(m[0])) out.push(m[0]);
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'env-self-reference',
    aliases: ['DL3044'],
    severity: 'error',
    title: 'ENV refers to a variable set in the same ENV',
    description: [
      'Within one `ENV` instruction, every `$VAR` is expanded with the values from *before* the instruction. In `ENV A=1 B=$A`, `B` does not get `1`: it gets the previous value of `A`, or an empty string when `A` was not set yet. The Docker documentation shows the same: after `ENV abc=bye def=$abc`, `def` holds the old `abc`.',
      '',
      'Instead, set the variable in its own `ENV` first, then use it in a later one:',
      '',
      '```dockerfile',
      'ENV APP_HOME=/app',
      'ENV PATH=$APP_HOME/bin:$PATH',
      '```',
      '',
      'A pair that refers to its own name (`ENV PATH=/app/bin:$PATH`) is fine: it means the previous value on purpose. References in single quotes or escaped (`\\$A`) are literal text and not reported.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nENV APP_HOME=/app PATH=$APP_HOME/bin:$PATH',
    good: 'FROM alpine:3.20\nENV APP_HOME=/app\nENV PATH=$APP_HOME/bin:$PATH',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ENV' || instr.legacyPairs || instr.pairs.length < 2) continue;
      const earlier = new Set<string>();
      for (const p of instr.pairs) {
        const refs = p.rawValue === undefined ? [] : referencedVariables(p.rawValue, model.escape).filter((v) => earlier.has(v));
        if (refs.length > 0) {
          const names = refs.join(', ');
          const dollar = refs.map((r) => `$${r}`).join(', ');
          report({
            line: instr.lineAt(instr.restOffset + p.offset),
            message: `ENV ${p.key} uses ${dollar}, which this same ENV sets: ${dollar} ${refs.length > 1 ? 'expand' : 'expands'} to the value from before this instruction (empty if unset), not the value set here; set ${names} in an earlier ENV instruction`
          });
        }
        earlier.add(p.key);
      }
    }
  }
});
