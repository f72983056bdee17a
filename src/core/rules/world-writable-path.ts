import { defineRule, type ImageFile } from './types.js';

const SYSTEM = /^(bin|sbin|lib|lib32|lib64|libx32|usr|etc|boot|opt)(\/|$)/;

export default defineRule({
  meta: {
    id: 'world-writable-path',
    aliases: [],
    severity: 'warning',
    subjects: ['image'],
    title: 'World-writable files or directories in system paths',
    description: [
      'A file under `/usr`, `/bin`, `/lib`, `/etc` or `/opt` that every user can write can be replaced by any process in the container — a program that root later runs, a library, a configuration. Such modes usually come from a `chmod -R 777` or an archive unpacked as is.',
      '',
      'Give the files to the user that needs them (`COPY --chown`, `chown`) with `755`/`644`. Sticky directories (`1777`) and symbolic links are not reported; files a later layer deletes are not either. Judges images.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN chmod -R 777 /opt/app',
    good: 'FROM debian:12\nRUN chown -R 10001:10001 /opt/app',
    tags: ['security']
  },
  defaultOptions: {},
  check() {},
  imageInterest(entry) {
    return (entry.type === 'file' || entry.type === 'dir') &&
      (entry.mode & 0o002) !== 0 &&
      !(entry.type === 'dir' && entry.mode & 0o1000) &&
      SYSTEM.test(entry.path)
      ? 'header'
      : undefined;
  },
  checkImage({ files, report }) {
    const hits = files.filter(
      (f) =>
        (f.type === 'file' || f.type === 'dir') &&
        (f.mode & 0o002) !== 0 &&
        !(f.type === 'dir' && f.mode & 0o1000) &&
        SYSTEM.test(f.path) &&
        f.deletedInLayer === undefined
    );
    // One finding per layer and top-level directory: a chmod -R makes thousands.
    const groups = new Map<string, ImageFile[]>();
    for (const f of hits) {
      const key = `${f.layer}:${f.path.split('/').slice(0, 2).join('/')}`;
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    for (const group of groups.values()) {
      const f = group[0];
      report({
        file: f,
        message: `/${f.path} is world-writable (mode ${(f.mode & 0o7777).toString(8)})${group.length > 1 ? ` with ${group.length - 1} more entries under /${f.path.split('/').slice(0, 2).join('/')}` : ''}, layer ${f.layer + 1} (${f.layerDigest.slice(0, 19)}…): remove write access for others`
      });
    }
  }
});
