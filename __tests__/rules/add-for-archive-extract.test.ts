import rule from '../../src/core/rules/add-for-archive-extract.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nADD app.tar.gz /opt/',
    { name: 'copied, not extracted', code: 'FROM debian:12\nCOPY app.tar.gz /srv/' },
    { name: 'tar creates, does not extract', code: 'FROM debian:12\nCOPY x.tar.gz /tmp/\nRUN tar -czf /out/x.tar.gz /data' },
    { name: 'extracted in another stage', code: 'FROM debian:12 AS a\nCOPY app.tar.gz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/app.tar.gz' }
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz',
      errors: [{ line: 2, message: 'extracted at line 3' }]
    },
    { name: 'old-style mode word', code: 'FROM debian:12\nCOPY dist/site.tgz /tmp/\nRUN tar xzf /tmp/site.tgz', errors: [{ line: 2 }] }
  ]
});
