/** spdx-expression-parse ships no types: it returns the parsed expression and throws on anything else. */
declare module 'spdx-expression-parse' {
  export default function parse(expression: string): unknown;
}
