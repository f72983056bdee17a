import { defineRule } from './types.js';

/** setuid/setgid programs the usual base images ship on purpose (Debian/Ubuntu, Alpine, RHEL families). */
export const DEFAULT_SETUID_ALLOWED = [
  'bin/su',
  'bin/mount',
  'bin/umount',
  'bin/ping',
  'usr/bin/su',
  'usr/bin/mount',
  'usr/bin/umount',
  'usr/bin/passwd',
  'usr/bin/chsh',
  'usr/bin/chfn',
  'usr/bin/newgrp',
  'usr/bin/gpasswd',
  'usr/bin/chage',
  'usr/bin/expiry',
  'usr/bin/wall',
  'usr/bin/write',
  'usr/bin/bsd-write',
  'usr/bin/ssh-agent',
  'usr/bin/crontab',
  'usr/bin/sudo',
  'usr/bin/pkexec',
  'usr/bin/fusermount',
  'usr/bin/fusermount3',
  'usr/bin/dotlockfile',
  'usr/bin/ping',
  'usr/sbin/unix_chkpwd',
  'sbin/unix_chkpwd',
  'usr/sbin/pam_extrausers_chkpwd',
  'usr/lib/openssh/ssh-keysign',
  'usr/libexec/openssh/ssh-keysign',
  'usr/lib/dbus-1.0/dbus-daemon-launch-helper',
  'usr/libexec/dbus-1/dbus-daemon-launch-helper',
  'usr/lib/polkit-1/polkit-agent-helper-1',
  'usr/bin/chage',
  'usr/sbin/pam_timestamp_check',
  'usr/sbin/userhelper',
  'usr/libexec/utempter/utempter',
  'usr/lib/x86_64-linux-gnu/utempter/utempter'
];

interface Options {
  /** More paths (without the leading /) that may keep their setuid/setgid bit. */
  allow: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'setuid-binary',
    aliases: ['CIS-DI-0008'],
    severity: 'warning',
    subjects: ['image'],
    title: 'setuid/setgid files beyond the usual ones',
    description: [
      'A setuid or setgid program runs with the rights of its owner (mostly root) whoever starts it: a bug in it, or a copy an attacker can write, is a way to root inside the container. Base images ship a known handful (`su`, `passwd`, `mount` …, listed in this rule); anything else was added by the build.',
      '',
      'Remove the bit in the last stage (`RUN chmod a-s /path`, or `find / -xdev -perm /6000 -type f -exec chmod a-s {} +`), or list the path in the `allow` option when the program needs it. Judges images; dockle reports setuid files as CIS-DI-0008 (CIS Docker Benchmark 4.8).'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN cp /bin/bash /usr/local/bin/rootsh && chmod u+s /usr/local/bin/rootsh',
    good: 'FROM debian:12\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +',
    tags: ['security', 'cis:4.8'],
    optionsSchema: { type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    optionsDoc: '- `allow` (string[], default `[]`): more paths (e.g. `usr/local/bin/helper`) that may keep a setuid/setgid bit.'
  },
  defaultOptions: { allow: [] },
  check() {},
  imageInterest(entry) {
    return entry.type === 'file' && (entry.mode & 0o6000) !== 0 ? 'header' : undefined;
  },
  checkImage({ files, options, report }) {
    const allowed = new Set([...DEFAULT_SETUID_ALLOWED, ...(options.allow ?? []).map((p) => p.replace(/^\/+/, ''))]);
    for (const f of files) {
      if (f.type !== 'file' || (f.mode & 0o6000) === 0 || allowed.has(f.path)) continue;
      if (f.deletedInLayer !== undefined) continue;
      const bits = [f.mode & 0o4000 ? 'setuid' : '', f.mode & 0o2000 ? 'setgid' : ''].filter(Boolean).join('+');
      report({
        file: f,
        message: `/${f.path} is ${bits} (mode ${(f.mode & 0o7777).toString(8)}, owner ${f.uid}:${f.gid}), added in layer ${f.layer + 1} (${f.layerDigest.slice(0, 19)}…): remove the bit with chmod a-s, or allow the path in the rule's options`
      });
    }
  }
});
