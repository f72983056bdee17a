import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, isDynamic, isIgnored, listPackages, npmInstallCall, runInfos } from './util/packages.js';

interface Options {
  ignore: string[];
}

const GIT_RE = /^(git(\+(ssh|https?|file))?:\/\/|git@|github:|gitlab:|bitbucket:|gist:)/i;

/** `@scope/name@1.2` → `@scope/name`; `name@latest` → `name`. */
export function npmPackageName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

/** The version part after the name, or undefined: `@scope/x@^1` → `^1`. */
function npmVersion(spec: string): string | undefined {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? undefined : spec.slice(at + 1);
}

/** A package spec of npm install that does not pin a version. */
export function unpinnedNpmSpec(spec: string): boolean {
  if (isDynamic(spec)) return false;
  // Git URLs and hosted shorthands pin with #<commit|tag|semver:...>.
  if (GIT_RE.test(spec)) return !spec.includes('#');
  // Tarball URLs, local tarballs and folders name one artifact.
  if (/^(https?:\/\/|file:)/i.test(spec) || /^(\/|\.{1,2}(\/|$)|~\/)/.test(spec) || /\.(tgz|tar|tar\.gz)$/i.test(spec)) return false;
  // npm:alias@version
  if (/^[^@]+@npm:/.test(spec)) return /^[^@]+@npm:(@[^/]+\/)?[^@]+$/.test(spec) || /@latest$/.test(spec);
  // user/repo is a GitHub shorthand.
  if (!spec.startsWith('@') && spec.includes('/')) return !spec.includes('#');
  const version = npmVersion(spec);
  return version === undefined || version === '' || version === 'latest' || version === '*';
}

export default defineRule<Options>({
  meta: {
    id: 'npm-pin-versions',
    aliases: ['DL3016'],
    severity: 'warning',
    title: 'npm install of a package without a version',
    description: [
      '`npm install -g typescript` installs whatever the registry tags `latest` on the day of the build, so two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.',
      '',
      'Pin the version: `npm install -g typescript@5.5.4`. For an application, install from the lock file instead: `COPY package.json package-lock.json ./` then `npm ci`. Not reported: a bare `npm install` / `npm ci` (they read `package.json` and the lock file), folders and tarballs, tarball URLs, git URLs and `user/repo` shorthands with a `#ref`, and variables. `@latest` and `@*` are reported: they are the opposite of a pin.'
    ].join('\n'),
    bad: 'FROM node:20-slim\nRUN npm install -g typescript',
    good: 'FROM node:20-slim\nRUN npm install -g typescript@5.5.4',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN: the packages of all its npm installs, at the first one.
      let line: number | undefined;
      let sub = '';
      const loose: string[] = [];
      const seen = new Set<string>();
      for (const cmd of commands) {
        const call = npmInstallCall(cmd);
        if (!call) continue;
        const here = call.operands.filter((p) => unpinnedNpmSpec(p) && !isIgnored(npmPackageName(p), options.ignore));
        if (here.length === 0) continue;
        if (line === undefined) {
          line = cmd.line;
          sub = call.sub ?? 'install';
        }
        for (const p of here)
          if (!seen.has(p)) {
            seen.add(p);
            loose.push(p);
          }
      }
      if (line === undefined) continue;
      const first = loose[0];
      const example = GIT_RE.test(first) || (!first.startsWith('@') && first.includes('/')) ? `${first}#<commit or tag>` : `${npmPackageName(first)}@<version>`;
      report({
        line,
        message: `pin the version of ${listPackages(loose)} in npm ${sub}: write \`${example}\`, or install from a lock file with \`npm ci\``
      });
    }
  }
});
