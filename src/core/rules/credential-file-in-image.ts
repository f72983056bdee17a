import { credentialKindsFor } from '../image/credentials.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'credential-file-in-image',
    aliases: ['CIS-DI-0010'],
    severity: 'error',
    subjects: ['image'],
    title: 'A credential file ships in an image layer',
    description: [
      'A `COPY . .` or a build step can leave credentials in a layer: `.env`, SSH and TLS private keys, `.npmrc`/`.pypirc` with tokens, `.git-credentials`, `.netrc`, cloud credential files (`~/.aws/credentials`, gcloud, Azure), a kubeconfig with tokens, `~/.docker/config.json` with registry auths. Anyone who can pull the image can read them — also when a later layer deletes the file, because the layer that added it still ships (the finding says so).',
      '',
      'The content is checked, not only the name: a `.npmrc` that only sets a registry, an `.env` without secrets, placeholders and `${VAR}` references are not reported. Keys under test-data folders of packages are not reported. The secret is never printed; the finding names the layer, the path and the file’s sha256 so a reviewer can find it. Use `.dockerignore`, build secrets (`RUN --mount=type=secret`) or multi-stage builds instead.',
      '',
      'Judges images (`container-guard inspect`, `verify` with `inspect: true`); dockle reports the same as CIS-DI-0010.'
    ].join('\n'),
    bad: 'FROM node:22\nCOPY . /app    # the build context has .npmrc with _authToken=…',
    good: 'FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci',
    tags: ['security', 'secrets', 'cis:4.10']
  },
  defaultOptions: {},
  check() {},
  imageInterest(entry) {
    return entry.type === 'file' && credentialKindsFor(entry.path).length > 0 ? 'content' : undefined;
  },
  checkImage({ files, report }) {
    for (const f of files) {
      if (f.type !== 'file') continue;
      const kinds = credentialKindsFor(f.path);
      if (kinds.length === 0) continue;
      const where = `layer ${f.layer + 1} (${f.layerDigest.slice(0, 19)}…), sha256:${f.sha256 ?? '?'}`;
      const deleted = f.deletedInLayer !== undefined ? `; deleted in layer ${f.deletedInLayer + 1}, but still shipped in the layer that added it` : '';
      if (f.contentTooLarge) {
        report({
          file: f,
          severity: 'warning',
          message: `/${f.path} could hold credentials (${kinds[0].label}) but is too large to check: ${where}${deleted}`
        });
        continue;
      }
      const text = f.content ? Buffer.from(f.content).toString('utf8') : '';
      const kind = kinds.find((k) => k.holds(text));
      if (!kind) continue;
      report({
        file: f,
        message: `${kind.label} at /${f.path}, ${where}${deleted}: remove it from the build (.dockerignore, a build secret or a multi-stage build)`
      });
    }
  }
});
