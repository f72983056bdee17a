import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { STAGES_OPTIONS_DOC, STAGES_OPTIONS_SCHEMA, cacheMountTargets, runInfos, shippedStages } from './util/packages.js';

interface Options {
  'all-stages': boolean;
}

function isYarnInstall(cmd: ShellCommand): boolean {
  if (cmd.program !== 'yarn') return false;
  const sub = cmd.args.find((a) => !a.startsWith('-'));
  return sub === undefined || sub === 'install' || sub === 'add';
}

function isYarnCacheClean(cmd: ShellCommand): boolean {
  if (cmd.program !== 'yarn') return false;
  const words = cmd.args.filter((a) => !a.startsWith('-'));
  return words[0] === 'cache' && words[1] === 'clean';
}

export default defineRule<Options>({
  meta: {
    id: 'yarn-cache-clean',
    aliases: ['DL3060'],
    severity: 'note',
    enabledByDefault: false,
    title: 'yarn install without yarn cache clean',
    description: [
      'Yarn (v1) keeps every downloaded package in its global cache (`/usr/local/share/.cache/yarn` for root). Unless the same `RUN` cleans it, the cache ships in the image layer.',
      '',
      'End the `RUN` with `&& yarn cache clean`, or use a cache mount (`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install`). Only stages that ship are checked (see `all-stages`). Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM node:22\nRUN yarn install --frozen-lockfile',
    good: 'FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean',
    tags: ['best-practice', 'image-size'],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { 'all-stages': false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options['all-stages'] && stage && !shipped.has(stage.index)) continue;
      if (cacheMountTargets(instr).some((t) => /yarn/.test(t))) continue;
      let pending: ShellCommand | undefined;
      for (const cmd of commands) {
        if (isYarnInstall(cmd)) pending = cmd;
        else if (pending && isYarnCacheClean(cmd)) pending = undefined;
      }
      if (pending) report({ line: pending.line, message: 'yarn keeps its package cache in the image: end this RUN with `&& yarn cache clean`' });
    }
  }
});
