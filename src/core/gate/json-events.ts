/**
 * The contract between the streaming JSON reader (json-stream.ts) and the format
 * adapters: a report is consumed as a sequence of events, never as one parsed tree.
 *
 * - `element`: a whole value at a capture path (e.g. `Results.*.Vulnerabilities.*`), parsed.
 * - `scalar`: a string/number/boolean/null at depth <= `scalarDepth` that is not inside a capture
 *   (e.g. `SchemaVersion`, `Results.3.Target`), so adapters get context without the tree.
 *
 * Events come in document order. `eventsFromValue` is the reference implementation over an
 * already parsed value; the streaming reader must emit exactly the same events.
 */

export type PathSegment = string | number;

export type JsonEvent =
  | { type: 'element'; path: PathSegment[]; value: unknown }
  | { type: 'scalar'; path: PathSegment[]; value: string | number | boolean | null }
  /** An object (`{`) or array (`[`) opens at a path listed in `containers` (before its children's events). */
  | { type: 'open'; path: PathSegment[]; value: '{' | '[' };

export interface EventOptions {
  /** Dot paths with `*` for any key or index: `Results.*.Vulnerabilities.*`, `matches.*`, `Metadata`. */
  captures: string[];
  /** Emit scalars at this depth or shallower (top-level keys have depth 1). Default 3. */
  scalarDepth?: number;
  /** Dot paths (like captures) at which an opening object/array is reported as an `open` event, so adapters can
   * check the container types they walk (an empty `{}` where an array belongs has no other event). */
  containers?: string[];
}

export function compileCaptures(captures: string[]): string[][] {
  return captures.map((c) => (c === '' ? [] : c.split('.')));
}

/** True when `path` matches a compiled capture exactly. */
export function matchesCapture(path: readonly PathSegment[], capture: readonly string[]): boolean {
  if (path.length !== capture.length) return false;
  for (let i = 0; i < path.length; i++) if (capture[i] !== '*' && capture[i] !== String(path[i])) return false;
  return true;
}

/** Reference implementation: the events a streaming read of `JSON.stringify(value)` must produce. */
export function* eventsFromValue(value: unknown, options: EventOptions): Generator<JsonEvent> {
  const caps = compileCaptures(options.captures);
  const scalarDepth = options.scalarDepth ?? 3;
  const conts = compileCaptures(options.containers ?? []);
  function* walk(v: unknown, path: PathSegment[]): Generator<JsonEvent> {
    if (path.length > 0 && caps.some((c) => matchesCapture(path, c))) {
      yield { type: 'element', path: [...path], value: v };
      return;
    }
    if (v === null || typeof v !== 'object') {
      if (path.length > 0 && path.length <= scalarDepth) yield { type: 'scalar', path: [...path], value: v as string | number | boolean | null };
      return;
    }
    if (conts.some((c) => matchesCapture(path, c))) yield { type: 'open', path: [...path], value: Array.isArray(v) ? '[' : '{' };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) yield* walk(v[i], [...path, i]);
    } else {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) yield* walk(x, [...path, k]);
    }
  }
  yield* walk(value, []);
}
