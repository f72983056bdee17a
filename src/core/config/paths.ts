/**
 * The one rule for every path written in a config file (verify keys and trusted-root, gate VEX and
 * ignore files, plugins, extends): an absolute path stays absolute; a relative path is relative to
 * the folder of the file that wrote it (not to the top config, not to the working directory).
 *
 * Pure string work on POSIX-style paths: `writtenIn` is the config file as the loader names it
 * (relative to the working directory, or absolute); the result is relative to the same working
 * directory, or absolute, and the I/O layer resolves it against that directory.
 */
import path from 'node:path';

/** `C:\keys\a.pub`, `C:/keys/a.pub`, `\\server\share\a.pub`: absolute on Windows runners. */
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

export function isAbsoluteConfigPath(value: string): boolean {
  return value.startsWith('/') || WINDOWS_ABSOLUTE.test(value);
}

/**
 * `value` as written in the config file `writtenIn`, resolved by the rule above. `writtenIn` that is
 * not a file (`preset:strict`, `inline`) has no folder: relative paths then stay as they are.
 */
export function resolveConfigPath(value: string, writtenIn: string): string {
  if (isAbsoluteConfigPath(value)) return value;
  if (/^[a-z]+:/.test(writtenIn) && !WINDOWS_ABSOLUTE.test(writtenIn)) return value;
  const dir = path.posix.dirname(writtenIn.replace(/\\/g, '/'));
  const joined = path.posix.join(dir, value.replace(/\\/g, '/'));
  return joined;
}
