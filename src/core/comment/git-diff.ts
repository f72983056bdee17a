/** Splits `git diff` output into the per-file patches the PR files API returns, for `comment --dry-run --diff`. */
import type { DiffFile } from './types.js';

export function splitGitDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: { filename: string; status: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) files.push({ filename: current.filename, status: current.status, patch: current.lines.length ? current.lines.join('\n') : undefined });
  };
  let inHunks = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('diff --git ')) {
      flush();
      const m = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
      current = { filename: m ? m[2] : line.slice(11), status: 'modified', lines: [] };
      inHunks = false;
      continue;
    }
    if (!current) continue;
    if (!inHunks) {
      if (line.startsWith('new file mode')) current.status = 'added';
      else if (line.startsWith('deleted file mode')) current.status = 'removed';
      else if (line.startsWith('rename to ')) current.status = 'renamed';
      else if (line.startsWith('+++ ')) {
        const name = line.slice(4);
        if (name !== '/dev/null') current.filename = name.replace(/^b\//, '');
      }
      if (line.startsWith('@@')) inHunks = true;
      else continue;
    }
    current.lines.push(line);
  }
  flush();
  // `git diff` ends with a newline: drop the empty last line of the last patch.
  for (const f of files) if (f.patch?.endsWith('\n')) f.patch = f.patch.replace(/\n+$/, '');
  return files;
}
