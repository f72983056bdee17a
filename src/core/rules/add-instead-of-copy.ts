import { defineRule } from './types.js';
import { clip, copyArgs, isArchiveName, isHeredocSource, isRemoteSource, replaceKeyword, type PathArg } from './util/misc.js';

/** ADD flags COPY does not understand: converting would break the build. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

type Kind = 'local' | 'special' | 'unknown';

function classify(src: PathArg): Kind {
  if (isHeredocSource(src.text)) return 'local';
  if (isRemoteSource(src.value) || isArchiveName(src.value)) return 'special';
  if (src.unresolved.length > 0) {
    // `ADD ${URL} …`, `ADD app.${EXT} …`: the variable could hide a URL or an archive.
    const last = src.value.split('/').pop() ?? '';
    if (src.value.startsWith('$') || last.includes('$')) return 'unknown';
  }
  return 'local';
}

export default defineRule({
  meta: {
    id: 'add-instead-of-copy',
    aliases: ['DL3020', 'DS-0005', 'CKV_DOCKER_4'],
    severity: 'error',
    title: 'Use COPY instead of ADD for local files and directories',
    description: [
      '`ADD` does more than copy: it downloads URLs, clones Git repositories and silently extracts local tar archives. For plain files and directories from the build context that magic is a liability: a file that happens to be a tar archive gets unpacked, and readers cannot tell what the instruction is meant to do.',
      '',
      'Use `COPY` for local files and directories; it takes the same `--chown`, `--chmod`, `--link` and `--from` flags. Keep `ADD` for the cases only it handles: remote URLs and Git sources (see `add-url-checksum`) and local tar archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst` …) that you want extracted.',
      '',
      'A source whose name hides behind a variable that has no value (`ADD ${SRC} /app/`, `ADD app.${EXT} /opt/`) is not reported, since it may be a URL or an archive. When every source is a plain local path, the finding carries a fix that replaces `ADD` with `COPY`.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nADD requirements.txt /app/',
    good: 'FROM alpine:3.20\nCOPY requirements.txt /app/\nADD rootfs.tar.gz /',
    tags: ['best-practice', 'security', 'cis:4.9']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ADD') continue;
      const { sources } = copyArgs(instr);
      if (sources.length === 0) continue;
      const kinds = sources.map(classify);
      const local = sources.filter((_, k) => kinds[k] === 'local');
      if (local.length === 0) continue;
      const names = local.map((s) => clip(s.text, 40)).join(', ');
      const allLocal = local.length === sources.length;
      const convertible = allLocal && !instr.flags.some((f) => ADD_ONLY_FLAGS.has(f.name));
      const replacement = convertible ? replaceKeyword(model, instr, 'COPY') : undefined;
      const message = allLocal
        ? `ADD of local ${local.length > 1 ? 'paths' : 'path'} ${names}: use COPY instead (ADD is only for URLs, Git sources and tar archives to extract)`
        : `ADD mixes local ${local.length > 1 ? 'paths' : 'path'} ${names} with URLs or archives: move the local ${local.length > 1 ? 'paths' : 'path'} to a separate COPY`;
      report({
        line: instr.line,
        column: instr.column,
        message,
        fix: replacement === undefined ? undefined : { line: instr.line, endLine: instr.line, replacement, description: 'Replace ADD with COPY' }
      });
    }
  }
});
