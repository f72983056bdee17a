import rule from '../../src/core/rules/package-cache-in-image.js';
import { imageFile, imageRuleTester } from '../helpers/image-rule-tester.js';

imageRuleTester(rule, {
  valid: [
    { name: 'lock files and partial dirs only', files: [imageFile('var/lib/apt/lists/lock'), imageFile('var/lib/apt/lists/partial', { type: 'dir' })] },
    { name: 'no caches', files: [imageFile('usr/bin/app')] },
    { name: 'cleaned by a later layer', files: [imageFile('var/cache/apk/APKINDEX.tar.gz', { deletedInLayer: 1 })] }
  ],
  invalid: [
    {
      name: 'apt lists, grouped',
      files: [
        imageFile('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', { size: 2048 }),
        imageFile('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', { size: 2048 })
      ],
      errors: [{ message: '2 file(s), 4 KiB of /var/lib/apt/lists left in layer 1' }]
    },
    {
      name: 'apk and pip',
      files: [imageFile('var/cache/apk/APKINDEX.abc.tar.gz'), imageFile('root/.cache/pip/http/a/b', { layer: 1 })],
      errors: [{ message: '--no-cache-dir' }, { message: 'apk add --no-cache' }]
    }
  ]
});
