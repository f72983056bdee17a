/**
 * Variable references in instruction arguments as BuildKit's word expansion sees them: `$NAME` and
 * `${NAME…}` outside single quotes and not escaped, with the operator that follows the name.
 * An iterative scan, linear in the text.
 */
export interface VariableRef {
  name: string;
  /** Offset of the `$` in the text. */
  offset: number;
  /** `-`, `:-`, `+`, `:+`, `?`, `:?` … or '' for a plain reference. */
  operator: string;
}

function isNameStart(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95;
}
function isNameChar(c: string): boolean {
  const k = c.charCodeAt(0);
  return isNameStart(c) || (k >= 48 && k <= 57);
}

export function variableRefs(text: string, escape = '\\'): VariableRef[] {
  const out: VariableRef[] = [];
  if (!text.includes('$')) return out;
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && !single) {
      i++;
      continue;
    }
    if (c === "'" && !double) {
      single = !single;
      continue;
    }
    if (c === '"' && !single) {
      double = !double;
      continue;
    }
    if (c !== '$' || single) continue;
    const next = text[i + 1] ?? '';
    if (isNameStart(next)) {
      let j = i + 2;
      while (j < text.length && isNameChar(text[j])) j++;
      out.push({ name: text.slice(i + 1, j), offset: i, operator: '' });
      i = j - 1;
    } else if (next === '{' && isNameStart(text[i + 2] ?? '')) {
      let j = i + 3;
      while (j < text.length && isNameChar(text[j])) j++;
      const op = /^:?[-+?=]|^#{1,2}|^%{1,2}|^:/.exec(text.slice(j))?.[0] ?? '';
      out.push({ name: text.slice(i + 2, j), offset: i, operator: op });
      i = j - 1;
      // `${X:+${X}:}`, `${X:-$Y}`: what follows the operator is evaluated only in the case it names, so
      // references inside it are not plain uses; skip to the matching brace.
      if (op === '-' || op === ':-' || op === '+' || op === ':+' || op === '=' || op === ':=') {
        let depth = 1;
        let k = j;
        while (k < text.length && depth > 0) {
          if (text[k] === escape) k++;
          else if (text[k] === '{') depth++;
          else if (text[k] === '}') depth--;
          k++;
        }
        i = k - 1;
      }
    }
  }
  return out;
}

/** True when an undefined variable is harmless there: a default (`${X:-d}`) or an alternative (`${X:+d}`). */
export function hasFallback(ref: VariableRef): boolean {
  return ref.operator === '-' || ref.operator === ':-' || ref.operator === '+' || ref.operator === ':+' || ref.operator === '=' || ref.operator === ':=';
}

/** Optimal-string-alignment distance (a swap of two neighbours costs 1), stopping early past `max`. */
function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** The defined name `name` is probably a typo of (case-sensitive), from at most 1,000 candidates. */
export function suggestVariable(name: string, names: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.min(2, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestD = max + 1;
  let k = 0;
  for (const n of names) {
    if (++k > 1000) break;
    if (n === name) continue;
    const d = osaDistance(name, n, max);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return best;
}
