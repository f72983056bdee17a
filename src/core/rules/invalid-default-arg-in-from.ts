import { parseImageRef } from '../image-ref.js';
import { PLATFORM_ARGS } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { DEFAULT_PLATFORM_VALUES, fromWords, globalArgDefaults, substituteWith } from './util/from-args.js';

export default defineRule({
  meta: {
    id: 'invalid-default-arg-in-from',
    aliases: ['InvalidDefaultArgInFrom'],
    severity: 'warning',
    title: 'Global ARG defaults must give a valid base image',
    description: [
      'When a `FROM` uses a global ARG whose default is empty or makes the reference invalid, the image reference becomes empty or invalid (`FROM busybox:${TAG}` with `ARG TAG=""` becomes `busybox:`) and the build fails unless every caller passes the argument. BuildKit reports it as `InvalidDefaultArgInFrom`.',
      '',
      'A global ARG declared without any default (`ARG BASE` then `FROM ${BASE}`) is different: the base image is supplied by the build system (a CI matrix, compose, a build script). BuildKit warns about it too, but here it is one note of `unpinned-base-image`, which points at `lint.build-args` / `--build-arg` to have the image checked, rather than a second finding on the same line that invents a default.',
      '',
      'Give the ARG a default (`ARG TAG=1.36`), or a default at the use (`FROM alpine:${TAG:-3.20}`). An empty value is fine where the reference stays valid (`FROM busybox:stable${VARIANT}`). Undeclared ARGs are the rule `undefined-arg-in-from`.'
    ].join('\n'),
    bad: 'ARG TAG=""\nFROM busybox:${TAG}',
    good: 'ARG TAG=1.36\nFROM busybox:${TAG}',
    tags: ['correctness']
  },
  defaultOptions: {},
  check({ model, report }) {
    const words = fromWords(model).filter((w) => w.kind === 'image' && w.refs.length > 0);
    if (words.length === 0) return;
    const defaults = globalArgDefaults(model);
    // A global ARG declared without any default is supplied by the build system (a CI matrix, compose, a
    // script): unpinned-base-image says so once, as a note pointing at lint.build-args; one finding per line.
    const withDefault = new Set(model.globalArgs.flatMap((a) => a.pairs.filter((p) => p.value !== undefined).map((p) => p.key)));
    const buildSupplied = (name: string) => defaults.has(name) && !withDefault.has(name);
    const stageNames = new Set(model.stages.map((s) => s.name).filter((n): n is string => n !== undefined));
    for (const w of words) {
      if (!w.refs.every((r) => defaults.has(r.name) || PLATFORM_ARGS.has(r.name))) continue;
      if (w.refs.some((r) => buildSupplied(r.name))) continue;
      const value = substituteWith(w.text, (n) => defaults.get(n) ?? DEFAULT_PLATFORM_VALUES[n] ?? '', model.escape);
      if (value !== '' && (stageNames.has(value.toLowerCase()) || value.toLowerCase() === 'scratch' || parseImageRef(value))) continue;
      const empty = w.refs.filter((r) => defaults.get(r.name) === '').map((r) => r.name);
      report({
        line: w.instr.line,
        column: w.instr.column,
        message: `Default value for ARG ${w.text} results in ${value === '' ? 'an empty' : `an invalid ('${value}')`} base image name${empty.length ? `: give ${empty.map((n) => `ARG ${n}`).join(', ')} a default` : ''}`
      });
    }
  }
});
