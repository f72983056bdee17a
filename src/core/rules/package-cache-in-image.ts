import { defineRule, type ImageFile } from './types.js';

const CACHES: { re: RegExp; dir: string; advice: string }[] = [
  { re: /^var\/lib\/apt\/lists\/[^/]+_[^/]+$/, dir: '/var/lib/apt/lists', advice: 'end the RUN with rm -rf /var/lib/apt/lists/*' },
  { re: /^var\/cache\/apt\/(archives\/[^/]+\.deb|[^/]+\.bin)$/, dir: '/var/cache/apt', advice: 'run apt-get clean in the same RUN' },
  { re: /^var\/cache\/apk\/[^/]+$/, dir: '/var/cache/apk', advice: 'use apk add --no-cache' },
  { re: /^var\/cache\/(yum|dnf|libdnf5)\/.+/, dir: '/var/cache/yum|dnf', advice: 'end the RUN with yum/dnf clean all' },
  { re: /^var\/cache\/zypp\/.+/, dir: '/var/cache/zypp', advice: 'end the RUN with zypper clean' },
  { re: /^(root|home\/[^/]+)\/\.cache\/pip\/.+/, dir: '~/.cache/pip', advice: 'use pip install --no-cache-dir' },
  { re: /^(root|home\/[^/]+)\/\.npm\/_cacache\/.+/, dir: '~/.npm/_cacache', advice: 'run npm cache clean --force, or use a cache mount' },
  { re: /^usr\/local\/share\/\.cache\/yarn\/.+/, dir: 'the yarn cache', advice: 'run yarn cache clean' }
];

function cacheOf(p: string) {
  return CACHES.find((c) => c.re.test(p));
}

export default defineRule({
  meta: {
    id: 'package-cache-in-image',
    aliases: ['DKL-DI-0005'],
    severity: 'note',
    subjects: ['image'],
    title: 'Package manager caches left in the image',
    description: [
      'Package lists and downloaded packages (`/var/lib/apt/lists`, `/var/cache/apt`, `/var/cache/apk`, yum/dnf/zypper caches, pip, npm and yarn caches) are only needed while installing. Left in a layer they add megabytes to every pull and stale metadata to the image.',
      '',
      'Clean them in the same `RUN` that installs, or keep them out with a cache mount. Reported once per cache and layer, with the number of files and bytes. This is the image-side view of `apt-lists-cleanup`, `apk-no-cache`, `yum-clean` and `pip-no-cache-dir`: it also sees images not built from a Dockerfile in the repository. dockle: DKL-DI-0005.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    tags: ['best-practice', 'image-size']
  },
  defaultOptions: {},
  check() {},
  imageInterest(entry) {
    return entry.type === 'file' && cacheOf(entry.path) ? 'header' : undefined;
  },
  checkImage({ files, report }) {
    const groups = new Map<string, { files: ImageFile[]; bytes: number; advice: string; dir: string }>();
    for (const f of files) {
      if (f.type !== 'file' || f.deletedInLayer !== undefined) continue;
      const c = cacheOf(f.path);
      if (!c) continue;
      const key = `${f.layer}:${c.dir}`;
      const g = groups.get(key) ?? { files: [], bytes: 0, advice: c.advice, dir: c.dir };
      g.files.push(f);
      g.bytes += f.size;
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const f = g.files[0];
      report({
        file: f,
        message: `${g.files.length} file(s), ${(g.bytes / 1024).toFixed(0)} KiB of ${g.dir} left in layer ${f.layer + 1} (${f.layerDigest.slice(0, 19)}…): ${g.advice}`
      });
    }
  }
});
