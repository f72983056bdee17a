import type { Instruction } from '../dockerfile/model.js';
import { runCommands } from '../dockerfile/model.js';
import { defineRule } from './types.js';

interface Options {
  'max-uid': number;
}

// useradd short options that take a value (getopt "b:c:d:e:f:g:G:hk:K:lmMNop:rR:P:s:u:UZ:").
const SHORT_WITH_VALUE = new Set(['b', 'c', 'd', 'e', 'f', 'g', 'G', 'k', 'K', 'p', 'R', 'P', 's', 'u', 'Z']);
const LONG_WITH_VALUE = new Set([
  'base-dir',
  'comment',
  'home-dir',
  'expiredate',
  'inactive',
  'gid',
  'groups',
  'skel',
  'key',
  'password',
  'root',
  'prefix',
  'shell',
  'uid',
  'selinux-user',
  'selinux-range'
]);

export interface UseraddFlags {
  /** `-u`/`--uid` values, as written. */
  uids: string[];
  noLogInit: boolean;
}

/** Reads useradd's options the way getopt_long does (clustered short flags, `--opt=value`). */
export function parseUseradd(args: readonly string[]): UseraddFlags {
  const uids: string[] = [];
  let noLogInit = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name === 'no-log-init') noLogInit = true;
      if (!LONG_WITH_VALUE.has(name)) continue;
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (name === 'uid' && value !== undefined) uids.push(value);
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) continue;
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === 'l') noLogInit = true;
      if (!SHORT_WITH_VALUE.has(c)) continue;
      const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
      if (c === 'u' && value !== undefined) uids.push(value);
      break;
    }
  }
  return { uids, noLogInit };
}

/** The numeric uid, resolving `$UID` / `${UID}` from ARG/ENV; undefined when unknown. */
function uidValue(instr: Instruction, text: string): number | undefined {
  const sub = instr.resolve(text);
  if (sub.unresolved.length > 0) return undefined;
  const v = sub.value.trim().replace(/^(["'])(.*)\1$/, '$2');
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

export default defineRule<Options>({
  meta: {
    id: 'useradd-high-uid',
    aliases: ['DL3046'],
    severity: 'warning',
    title: 'useradd with a high UID needs -l (--no-log-init)',
    description: [
      '`useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by UID: a user with UID 1000000 makes `lastlog` a ~290 MB sparse file. Sparse files are stored in full in image layers, so the image grows by hundreds of megabytes of zeros (and the build can be very slow).',
      '',
      'Instead, pass `-l` (`--no-log-init`) so `useradd` does not touch those files, or use a UID up to `max-uid`: `RUN useradd -l -u 1000000 app`.',
      '',
      'The UID may come from an `ARG`/`ENV` (`-u $UID`); it is resolved when it has a value, and not reported when it has none.'
    ].join('\n'),
    bad: 'FROM debian:12\nRUN useradd -u 1000001 -m app',
    good: 'FROM debian:12\nRUN useradd -l -u 1000001 -m app',
    tags: ['best-practice', 'image-size'],
    optionsSchema: {
      type: 'object',
      properties: { 'max-uid': { type: 'integer', minimum: 0 } },
      additionalProperties: false
    },
    optionsDoc:
      '- `max-uid` (integer, default `65535`): the highest UID `useradd` may create without `-l`. At 65535 `lastlog` is already about 19 MB of zeros; raise it to `99999` to match hadolint, which only reports UIDs of six digits or more.'
  },
  defaultOptions: { 'max-uid': 65535 },
  check({ model, options, report }) {
    const max = typeof options['max-uid'] === 'number' ? options['max-uid'] : 65535;
    for (const { instr, cmd } of runCommands(model)) {
      if (cmd.program !== 'useradd') continue;
      const flags = parseUseradd(cmd.args);
      if (flags.noLogInit) continue;
      for (const text of flags.uids) {
        const uid = uidValue(instr, text);
        if (uid === undefined || uid <= max) continue;
        const shown = text === String(uid) ? text : `${text} (= ${uid})`;
        const line = model.lines[cmd.line - 1] ?? '';
        const occurrences = line.match(/\buseradd\b/g)?.length ?? 0;
        report({
          line: cmd.line,
          message: `useradd -u ${shown} without -l makes /var/log/lastlog and faillog sparse files of ~${Math.max(1, Math.round((uid * 292) / 1048576))} MB that the layer stores in full: use useradd -l (--no-log-init), or a UID of at most ${max}`,
          fix:
            occurrences === 1
              ? { line: cmd.line, endLine: cmd.line, replacement: line.replace(/\buseradd\b/, 'useradd -l'), description: 'add -l (--no-log-init)' }
              : undefined
        });
        break;
      }
    }
  }
});
