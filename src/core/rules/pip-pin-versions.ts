import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, hasOpt, isDynamic, isIgnored, listPackages, pipInstallCall, runInfos } from './util/packages.js';

interface Options {
  ignore: string[];
}

const VCS_RE = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/i;

/** The distribution name of a requirement: `Flask[async]>=2` → `Flask`. */
export function requirementName(req: string): string {
  return req.split(/[\s;[=<>!~@]/)[0];
}

/** A pip install argument that does not pin a version. */
export function unpinnedPipRequirement(arg: string): boolean {
  if (isDynamic(arg)) return false;
  // Environment markers (`pkg; python_version < "3.8"`) are not version specifiers.
  const req = arg.split(';')[0].trim();
  if (req === '' || req === '.' || req === '..') return false;
  if (VCS_RE.test(req)) {
    // git+https://host/org/repo.git@v1.2#egg=x: the ref after the path pins it (git@host is a user).
    const path = req.replace(/^[^:]+:\/\/[^/]*/, '');
    return !path.includes('@');
  }
  if (/(==|>=|<=|!=|~=|===|>|<|@)/.test(req)) return false;
  // URLs, paths, wheels and sdists name one exact artifact.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(req) || req.includes('/') || /^[.~]/.test(req)) return false;
  if (/\.(whl|tar\.gz|tgz|zip|tar\.bz2|tar\.xz)$/i.test(req)) return false;
  return true;
}

export default defineRule<Options>({
  meta: {
    id: 'pip-pin-versions',
    aliases: ['DL3013'],
    severity: 'warning',
    title: 'pip install without pinned versions',
    description: [
      'Without a version, `pip install flask` installs whatever PyPI offers on the day of the build. Two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.',
      '',
      'Pin each requirement, `pip install flask==3.0.3` (any version specifier such as `>=`, `~=` or `<` counts), or better, install from a lock file: `pip install -r requirements.txt` with pinned (ideally hashed, `--require-hashes`) requirements. Not reported: `-r`/`--requirement` files, `-c`/`--constraint` (the constraints file pins), `-e`/`--editable`, local paths and `.`, wheels and archives, URLs, VCS URLs with a ref (`git+https://...@v1.2`), variables, and installs from a local wheelhouse with `--no-index`.',
      '',
      'Like hadolint, `pip install --upgrade pip` is reported too: it installs a different pip on every build. Pin it (`pip install pip==24.2`) or list `pip` in `ignore`.'
    ].join('\n'),
    bad: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt flask==3.0.3',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN: the requirements of all its pip installs, at the first one.
      let line: number | undefined;
      const shown: string[] = [];
      const seen = new Set<string>();
      for (const cmd of commands) {
        const call = pipInstallCall(cmd);
        if (!call) continue;
        if (hasOpt(call, 'c', 'constraint', 'no-index', 'dry-run')) continue;
        const loose = call.operands.filter((p) => unpinnedPipRequirement(p) && !isIgnored(requirementName(p), options.ignore));
        if (loose.length === 0) continue;
        line ??= cmd.line;
        // Long extras lists (`glances[action,browser,...]`) are shortened in the message.
        for (const p of loose) {
          const s = p.length > 40 && p.includes('[') ? `${requirementName(p)}[...]` : p;
          if (!seen.has(s)) {
            seen.add(s);
            shown.push(s);
          }
        }
      }
      if (line === undefined) continue;
      const example = shown[0];
      const fix = VCS_RE.test(example) ? `\`${example.replace(/#.*$/, '')}@<tag or commit>\`` : `\`${example}==<version>\``;
      report({
        line,
        message: `pin the version of ${listPackages(shown)} in pip install: write ${fix}, or install from a requirements file with pinned versions`
      });
    }
  }
});
