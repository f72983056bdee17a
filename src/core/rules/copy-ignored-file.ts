import { ignoredBy, parseDockerignore } from '../dockerignore.js';
import { defineRule } from './types.js';
import { copyArgs, isGitSource, isHeredocSource, isRemoteSource } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'copy-ignored-file',
    aliases: ['CopyIgnoredFile'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'COPY or ADD of a file that .dockerignore leaves out',
    description: [
      'Files matched by the build context’s `.dockerignore` (or `<Dockerfile>.dockerignore` next to the Dockerfile, which takes precedence) are not sent to the builder: a `COPY` or `ADD` of one fails the build, or — with a wildcard — silently copies less. BuildKit reports it as `CopyIgnoredFile`. (Examples below with a `.dockerignore` that holds `tmp`.)',
      '',
      'The context is the Dockerfile’s folder unless `lint.context` maps the Dockerfile to another (`{ "services/*/Dockerfile": "." }`). `COPY --from`, URLs, git sources, heredocs and sources with wildcards or variables are not judged. Off by default, as BuildKit has the check among its experimental ones and the context of a Dockerfile is a guess without `lint.context`.'
    ].join('\n'),
    bad: 'FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt',
    good: 'FROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, external, report }) {
    const source = external.dockerignore;
    if (!source) return;
    const patterns = parseDockerignore(source.lines);
    if (patterns.length === 0) return;
    for (const instr of model.instructions) {
      if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || instr.flags.some((f) => f.name === 'from')) continue;
      for (const src of copyArgs(instr).sources) {
        const v = src.value;
        if (isRemoteSource(v) || isGitSource(v) || isHeredocSource(v) || /[*?[$]/.test(v)) continue;
        const by = ignoredBy(patterns, v);
        if (!by) continue;
        report({
          line: instr.line,
          column: instr.column,
          message: `Attempting to ${instr.keyword === 'ADD' ? 'Add' : 'Copy'} file "${v}" that is excluded by ${source.file} (pattern "${by.pattern}" at line ${by.line}): it is not in the build context`
        });
      }
    }
  }
});
