/**
 * <match> values of the custom rule language, compiled once: a glob, a list of globs
 * (any of them; `!glob` entries exclude), `{ regex }` (anchored) or `{ glob }`.
 *
 * Two glob styles:
 * - `path` (images): minimatch as usual, `*` stays within one `/` segment, `**` spans segments.
 * - `text` (keys, values, users, programs, arguments): the value is one string, so `*`
 *   matches any characters, `/` included (`https://github.com/*` matches any repository URL).
 *   Implemented by swapping `/` for a character that never occurs in Dockerfiles, in
 *   both the pattern and the value, so minimatch sees a single segment.
 */
import { Minimatch } from 'minimatch';
import { DOCKER_HUB } from '../image-ref.js';
import { CustomRuleError, pointerPath } from './errors.js';
import type { MatchSpec } from './schema.js';

export interface Matcher {
  test(value: string): boolean;
  /**
   * One value known under several forms (an image as `name:tag` and `name`): true when a
   * positive glob matches any form and no `!` glob matches any form.
   */
  testAny(values: readonly string[]): boolean;
  /** The single value this matcher stands for when it is one literal glob (for `{{key}}` in messages). */
  literal?: string;
}

export interface MatchOptions {
  style: 'path' | 'text';
  nocase: boolean;
  /** Rewrites each glob before it is compiled (Docker Hub short names, registry aliases). */
  normalize?: (glob: string) => string;
}

const SEP = '\u0001';
const toText = (s: string) => (s.includes('/') ? s.split('/').join(SEP) : s);

interface CompiledGlob {
  negated: boolean;
  mm: Minimatch;
}

function compileGlob(raw: string, opts: MatchOptions): CompiledGlob {
  const negated = raw.startsWith('!');
  let glob = negated ? raw.slice(1) : raw;
  if (opts.normalize) glob = opts.normalize(glob);
  if (opts.style === 'text') glob = toText(glob);
  return { negated, mm: new Minimatch(glob, { dot: true, nocase: opts.nocase, nocomment: true, nonegate: true }) };
}

/** `any positive glob matches (or there is none) and no `!` glob matches`. */
function globListMatcher(globs: string[], opts: MatchOptions): Matcher {
  const compiled = globs.map((g) => compileGlob(g, opts));
  const positive = compiled.filter((c) => !c.negated).map((c) => c.mm);
  const negative = compiled.filter((c) => c.negated).map((c) => c.mm);
  const single = globs.length === 1 && positive.length === 1 && !positive[0].hasMagic() ? globs[0] : undefined;
  const prep = opts.style === 'text' ? toText : (s: string) => s;
  const testAny = (values: readonly string[]): boolean => {
    const vs = values.map(prep);
    if (positive.length > 0 && !positive.some((m) => vs.some((v) => m.match(v)))) return false;
    return !negative.some((m) => vs.some((v) => m.match(v)));
  };
  return { literal: single, test: (value) => testAny([value]), testAny };
}

/** `Invalid regular expression: /^(?:(a)$/u: Unterminated group` → `unterminated group`. */
function regexProblem(e: unknown): string {
  const m = /: ([^:]+)$/.exec((e as Error).message ?? '');
  const what = (m ? m[1] : String((e as Error).message ?? e)).trim();
  return what.charAt(0).toLowerCase() + what.slice(1);
}

/** Compiles `^(?:source)$` (JavaScript syntax, `u` flag); a syntax error names what is wrong. */
export function compileRegex(source: string, pointer: string, flags = 'u'): RegExp {
  try {
    // Alone first: `a)|(b` must not slip through by closing the anchoring group.
    new RegExp(source, flags);
    return new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new CustomRuleError(pointer, `invalid regex ${JSON.stringify(source)} in ${pointerPath(pointer)}: ${regexProblem(e)}`);
  }
}

/** Compiles a <match> at `pointer` (its JSON pointer in the definition). */
export function compileMatch(spec: MatchSpec, pointer: string, opts: MatchOptions): Matcher {
  if (typeof spec === 'string') return globListMatcher([spec], opts);
  if (Array.isArray(spec)) return globListMatcher(spec, opts);
  if ('regex' in spec) {
    const re = compileRegex(spec.regex, `${pointer}/regex`, opts.nocase ? 'iu' : 'u');
    return { test: (v) => re.test(v), testAny: (vs) => vs.some((v) => re.test(v)) };
  }
  const g = spec.glob;
  return globListMatcher(Array.isArray(g) ? g : [g], opts);
}

const HUB_ALIASES = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com'];
const MAGIC_RE = /[*?[\]{}()!+@]/;

/** Docker Hub's other host names become `docker.io`; a scheme (`https://`) is dropped. */
export function normalizeRegistryGlob(glob: string): string {
  const g = glob.trim().replace(/^[a-z]+:\/\//i, '');
  for (const alias of HUB_ALIASES) {
    if (g.toLowerCase() === alias) return DOCKER_HUB + g.slice(alias.length);
    if (g.toLowerCase().startsWith(alias + '/')) return DOCKER_HUB + g.slice(alias.length);
  }
  return g;
}

/**
 * Image globs are normalised like references, so users can write what they would
 * write in a FROM: `nginx:*` → `docker.io/library/nginx:*`, `bitnami/**` →
 * `docker.io/bitnami/**`, `docker.io/nginx` → `docker.io/library/nginx`. A glob without
 * `/` that starts with a wildcard matches the last path component of any image
 * (`*:latest` → `**\/*:latest`, `*nginx*` → `**\/*nginx*`); other globs that start with a
 * wildcard (`**`, `*\/nginx`) are kept as written.
 */
export function normalizeImageGlob(glob: string): string {
  const g = normalizeRegistryGlob(glob);
  if (g === '') return g;
  const slash = g.indexOf('/');
  if (MAGIC_RE.test(g[0])) return slash < 0 && g !== '**' ? `**/${g}` : g;
  if (slash < 0) return `${DOCKER_HUB}/library/${g}`;
  const first = g.slice(0, slash);
  if (MAGIC_RE.test(first)) return g;
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    // `docker.io/nginx` is `docker.io/library/nginx`.
    const rest = g.slice(slash + 1);
    if (first.toLowerCase() === DOCKER_HUB && rest !== '' && !rest.includes('/') && !MAGIC_RE.test(rest[0])) return `${DOCKER_HUB}/library/${rest}`;
    return g;
  }
  return `${DOCKER_HUB}/${g}`;
}
