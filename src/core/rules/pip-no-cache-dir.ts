import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import {
  STAGES_OPTIONS_DOC,
  STAGES_OPTIONS_SCHEMA,
  cacheMountTargets,
  envValue,
  hasOpt,
  optValues,
  pipInstallCall,
  removesPath,
  runInfos,
  shippedStages
} from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

/** `.cache/pip`, `.cache`, `/root/.cache/pip/*`, `~/.cache/pip`. */
const PIP_CACHE_RE = /(^|\/)\.cache(\/pip)?\/?(\*)?$/;

/** pip treats any value of PIP_NO_CACHE_DIR (true or false alike, for backward compatibility) as "no cache". */
function disablesCache(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function purgesCache(cmd: ShellCommand): boolean {
  if (removesPath(cmd, (p) => PIP_CACHE_RE.test(p))) return true;
  const prog = cmd.program;
  const pipArgs = /^pip(\d+(\.\d+)?)?$/.test(prog)
    ? cmd.args
    : /^python(\d+(\.\d+)?)?$/.test(prog) && cmd.args[0] === '-m' && cmd.args[1] === 'pip'
      ? cmd.args.slice(2)
      : undefined;
  return pipArgs !== undefined && pipArgs[0] === 'cache' && (pipArgs[1] === 'purge' || pipArgs[1] === 'remove');
}

export default defineRule<Options>({
  meta: {
    id: 'pip-no-cache-dir',
    aliases: ['DL3042'],
    severity: 'note',
    title: 'pip install without --no-cache-dir',
    description: [
      'pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that cache is dead weight (often tens or hundreds of MB) that is never used again.',
      '',
      'Write `pip install --no-cache-dir ...`, or set `ENV PIP_NO_CACHE_DIR=1` once in the stage (any value works: pip treats `PIP_NO_CACHE_DIR=0` the same way). With BuildKit, a cache mount keeps the cache out of the image and speeds up rebuilds: `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`. Deleting `~/.cache/pip` (or running `pip cache purge`) later in the same `RUN` works too.',
      '',
      'Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger.'
    ].join('\n'),
    bad: 'FROM python:3.12-slim\nRUN pip install flask==3.0.3',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      const mounts = cacheMountTargets(instr);
      if (mounts.some((t) => PIP_CACHE_RE.test(t))) continue;
      if (disablesCache(envValue(model, instr, 'PIP_NO_CACHE_DIR'))) continue;
      const cacheDir = envValue(model, instr, 'PIP_CACHE_DIR');
      let reported = false;
      commands.forEach((cmd, k) => {
        if (reported) return; // one finding per RUN (the same advice again would be dropped anyway)
        const call = pipInstallCall(cmd);
        // pip (optparse) accepts unambiguous prefixes: `--no-cache` is `--no-cache-dir`.
        if (!call || hasOpt(call, 'dry-run') || call.opts.some((o) => o.long && o.name.startsWith('no-cache') && 'no-cache-dir'.startsWith(o.name))) return;
        // `PIP_NO_CACHE_DIR=1 pip install`, `env PIP_NO_CACHE_DIR=1 pip install`, or an earlier `export PIP_NO_CACHE_DIR=1`.
        const setsVar = (c: ShellCommand) =>
          c.assignments.some((a) => a.startsWith('PIP_NO_CACHE_DIR=') && disablesCache(a.slice('PIP_NO_CACHE_DIR='.length).replace(/^["']|["']$/g, '')));
        if (setsVar(cmd) || commands.slice(0, k).some((c) => c.program === 'export' && setsVar(c))) return;
        // A cache directory that is itself a cache mount stays out of the image.
        const dirs = [...optValues(call, 'cache-dir'), ...(cacheDir ? [cacheDir] : [])];
        if (dirs.some((d) => mounts.some((t) => d === t || d.startsWith(t + '/')))) return;
        if (commands.slice(k + 1).some(purgesCache)) return;
        reported = true;
        report({
          line: cmd.line,
          message: '`pip install` keeps its download cache in the image: write `pip install --no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1`'
        });
      });
    }
  }
});
