/** Where something is written in a config file. */
export interface ConfigLocation {
  file: string;
  line: number;
}

/**
 * A problem in a custom rule definition. `pointer` is a JSON pointer relative to the
 * definition (`/require/env/value/regex`); `absolutePointer` prefixes the `pointerBase`
 * given to the compiler (`/rules/custom/0/require/env/value/regex`) and `location` is
 * what the compiler's `at` callback returned for it, when one was given.
 */
export class CustomRuleError extends Error {
  pointer: string;
  absolutePointer: string;
  location?: ConfigLocation;

  constructor(pointer: string, message: string) {
    super(message);
    this.name = 'CustomRuleError';
    this.pointer = pointer;
    this.absolutePointer = pointer;
  }
}

/** JSON pointer segment escaping (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/require/env/value` → `require.env.value`, for messages. */
export function pointerPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}
