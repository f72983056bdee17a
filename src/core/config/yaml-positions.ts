/**
 * Maps JSON pointers (`/rules/root-user/severity`) to source lines, from
 * js-yaml's event stream, so every config error can name file:line.
 */
import { getScalarValue, parseEvents } from 'js-yaml';

interface Frame {
  kind: 'map' | 'seq';
  path: string;
  index: number;
  /** For maps: the key waiting for its value, or undefined when the next scalar is a key. */
  key?: string;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetToLine(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Pointer → 1-based line of the key (for map entries) or of the item (for sequence items). */
export function yamlPositions(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const starts = lineStarts(text);
  const stack: Frame[] = [];
  // Returns the pointer of the value about to start, and records its line.
  const enter = (offset: number): string => {
    const top = stack[stack.length - 1];
    if (!top) {
      out.set('', offsetToLine(starts, offset));
      return '';
    }
    if (top.kind === 'seq') {
      const p = `${top.path}/${top.index++}`;
      out.set(p, offsetToLine(starts, offset));
      return p;
    }
    const p = `${top.path}/${escapePointer(top.key ?? '')}`;
    if (!out.has(p)) out.set(p, offsetToLine(starts, offset));
    top.key = undefined;
    return p;
  };
  for (const ev of parseEvents(text, {})) {
    switch (ev.type) {
      case 2:
      case 3: {
        const path = enter(ev.start);
        stack.push({ kind: ev.type === 2 ? 'seq' : 'map', path, index: 0 });
        break;
      }
      case 4: {
        const top = stack[stack.length - 1];
        if (top && top.kind === 'map' && top.key === undefined) {
          top.key = getScalarValue(text, ev);
          out.set(`${top.path}/${escapePointer(top.key)}`, offsetToLine(starts, ev.valueStart));
        } else enter(ev.valueStart);
        break;
      }
      case 5: {
        enter(ev.anchorStart);
        break;
      }
      case 6:
        stack.pop();
        break;
      default:
        break;
    }
  }
  return out;
}

/** Line of the deepest known ancestor of a pointer. */
export function lineOf(positions: Map<string, number>, pointer: string): number {
  let p = pointer;
  for (;;) {
    const l = positions.get(p);
    if (l !== undefined) return l;
    if (p === '') return 1;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
