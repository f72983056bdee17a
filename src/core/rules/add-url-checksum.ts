import { defineRule } from './types.js';
import { clip, copyArgs, isGitSource, isHttpUrl } from './util/misc.js';

const COMMIT_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/**
 * The ref of a Git source, without the subdirectory: `…repo.git#ref:subdir`, `#ref=…&subdir=…`, and
 * BuildKit's query form `…repo.git?ref=v1` (also `?tag=`, `?branch=`, `?commit=`; `?checksum=` pins).
 */
function gitRef(src: string): { ref?: string; pinnedBy?: string } {
  const q = src.indexOf('?');
  const hash = src.indexOf('#');
  if (q >= 0 && (hash < 0 || q < hash)) {
    const query = src.slice(q + 1, hash < 0 ? undefined : hash);
    const params = new Map(
      query
        .split('&')
        .filter(Boolean)
        .map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
        })
    );
    const checksum = params.get('checksum');
    if (checksum && COMMIT_RE.test(checksum)) return { pinnedBy: checksum };
    const ref = params.get('commit') || params.get('ref') || params.get('tag') || params.get('branch');
    if (ref) return { ref };
  }
  if (hash < 0) return {};
  const frag = src.slice(hash + 1);
  const kv = /(?:^|&)ref=([^&]*)/.exec(frag);
  if (kv) return { ref: kv[1] || undefined };
  return { ref: frag.split(':')[0] || undefined };
}

export default defineRule({
  meta: {
    id: 'add-url-checksum',
    aliases: [],
    severity: 'warning',
    title: 'ADD of a remote URL without a checksum or pinned commit',
    description: [
      '`ADD https://…` downloads whatever the server returns at build time. If the file changes (a re-tagged release, a compromised mirror, a man-in-the-middle on plain HTTP), the image silently changes with it and the build is not reproducible.',
      '',
      'Pin the content:',
      '',
      '- HTTP(S) sources: add `--checksum=sha256:<digest>` (Dockerfile syntax 1.6 or later), so the build fails when the bytes differ: `ADD --checksum=sha256:24454f83… https://example.com/tool.tar.gz /tmp/`. Or download in a `RUN` and verify: `RUN curl -fsSLo /tmp/tool.tgz https://… && echo "<sha256>  /tmp/tool.tgz" | sha256sum -c -`.',
      "- Git sources (`https://…/repo.git#ref`, `git@host:repo.git`, BuildKit's query form `https://…/repo.git?ref=v1.2&subdir=docs`): branches and tags can move, so pin a full commit SHA (`#4f1c3c0…` or `?ref=4f1c3c0…` / `?commit=…`, 40 hex digits) or add `--checksum=<commit sha>` to check the ref resolves to that commit. A Git source is pinned by a commit, not by a `sha256:` file digest.",
      '',
      'A source hidden behind a variable without value is not reported.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nADD https://example.com/tool-1.2.tar.gz /tmp/',
    good: 'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /tmp/',
    tags: ['security', 'supply-chain', 'reproducibility', 'cis:4.12']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ADD') continue;
      const checksum = instr.flags.find((f) => f.name === 'checksum' && f.value);
      if (checksum) continue;
      for (const src of copyArgs(instr).sources) {
        const url = src.value;
        if (src.unresolved.length > 0 && url.startsWith('$')) continue;
        if (isGitSource(url)) {
          const { ref, pinnedBy } = gitRef(url);
          if (pinnedBy || (ref && COMMIT_RE.test(ref))) continue;
          // A Git source is pinned by a commit, never by a file digest: the advice names the form the URL uses.
          const query = /\?[^#]*(?:^|[?&])(?:ref|tag|branch|commit)=/.test(url) || (url.includes('?') && !url.includes('#'));
          const pin = query ? 'use ?ref=<40-hex commit SHA> (or ?commit=<sha>)' : 'pin a full commit SHA (#<40-hex commit>)';
          report({
            line: src.line,
            column: instr.column,
            message: ref
              ? `ADD of Git source ${clip(src.text)} at ref "${ref}", which can move: ${pin}, or add --checksum=<commit SHA> (a commit, not a sha256 of a file)`
              : `ADD of Git source ${clip(src.text)} without a ref takes whatever the default branch holds: ${pin}, or add --checksum=<commit SHA> (a commit, not a sha256 of a file)`
          });
        } else if (isHttpUrl(url)) {
          report({
            line: src.line,
            column: instr.column,
            message: `ADD of ${clip(src.text)}${src.value !== src.text ? ` (= ${clip(src.value)})` : ''} without --checksum: add --checksum=sha256:<digest>, or download with RUN curl -fsSLo <file> <url> && echo "<sha256>  <file>" | sha256sum -c -`
          });
        }
      }
    }
  }
});
