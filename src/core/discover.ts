/** Which files to lint, and which of them this shard owns. Pure: the walk happens in src/io. */
import { minimatch } from 'minimatch';

/**
 * The names Dockerfiles go by, matched in any case (`dockerfile`, `DockerFile.dev`, `App.Containerfile`):
 * `Dockerfile`, `Dockerfile.<x>`, `Dockerfile-<x>`, `Dockerfile_<x>`, `<x>.dockerfile`, and the same for
 * `Containerfile`.
 */
export const DOCKERFILE_GLOBS = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/Dockerfile-*',
  '**/Dockerfile_*',
  '**/*.Dockerfile',
  '**/Containerfile',
  '**/Containerfile.*',
  '**/Containerfile-*',
  '**/Containerfile_*',
  '**/*.Containerfile'
];

/**
 * Files whose name fits a Dockerfile pattern but that are something else: BuildKit's per-Dockerfile ignore file
 * (`Dockerfile.dockerignore`), and source, docs, data and backup files that happen to start with the word
 * (`dockerfile_parser.py`, `Dockerfile-guide.md`, `dockerfile-lint.json`). Linting them would only produce parse errors.
 */
const NOT_A_DOCKERFILE_RE =
  /\.(?:dockerignore|containerignore|md|markdown|rst|txt|adoc|html?|json|ya?ml|toml|ini|xml|lock|js|mjs|cjs|ts|tsx|jsx|py|pyc|go|rb|rs|java|kt|cs|c|h|cc|cpp|hpp|php|pl|sh|bash|ps1|bat|cmd|swift|scala|groovy|gradle|tpl|j2|jinja2?|erb|tmpl|template|bak|orig|rej|swp|tmp|old|diff|patch|png|jpe?g|gif|svg|zip|gz|tgz|tar)$/i;

const includeOpts = { dot: true, nocase: true };
const excludeOpts = { dot: true, nocase: false };

/** True for a file name (no directory) that fits a Dockerfile pattern's shape but is not one. */
export function isNotDockerfileName(name: string): boolean {
  return NOT_A_DOCKERFILE_RE.test(name);
}

/**
 * Paths are repo-relative with forward slashes. Explicit files skip `include`. `include` globs match in any case;
 * `exclude` globs match as written.
 */
export function selectDockerfiles(paths: readonly string[], include: readonly string[], exclude: readonly string[]): string[] {
  return paths
    .filter((p) => {
      const name = p.slice(p.lastIndexOf('/') + 1);
      if (isNotDockerfileName(name)) return false;
      return include.some((g) => minimatch(p, g, includeOpts)) && !exclude.some((g) => minimatch(p, g, excludeOpts));
    })
    .sort();
}

export function isExcluded(path: string, exclude: readonly string[]): boolean {
  return exclude.some((g) => minimatch(path, g, excludeOpts));
}

export interface Shard {
  index: number;
  total: number;
}

/** `K/N` with 1 <= K <= N. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new Error(`invalid shard "${text}": use K/N with 1 <= K <= N, e.g. 2/4`);
  return { index, total };
}

/**
 * Round-robin over the sorted list: every file lands in exactly one shard and
 * shard sizes differ by at most one, whatever the matrix size.
 */
export function shardFiles(files: readonly string[], shard: Shard): string[] {
  return [...files].sort().filter((_, i) => i % shard.total === shard.index - 1);
}
