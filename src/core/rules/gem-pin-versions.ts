import { defineRule } from './types.js';
import { PIN_OPTIONS_DOC, PIN_OPTIONS_SCHEMA, gemInstallCall, hasOpt, isDynamic, isIgnored, listPackages, runInfos } from './util/packages.js';

interface Options {
  ignore: string[];
}

/** A gem argument without a version: not `rails:7.1.3`, a `.gem` file, a path or a variable. */
export function unpinnedGem(arg: string): boolean {
  if (arg.includes(':') || isDynamic(arg)) return false;
  return !/\.gem$/i.test(arg) && !/^(\/|\.{1,2}\/|~)/.test(arg);
}

export default defineRule<Options>({
  meta: {
    id: 'gem-pin-versions',
    aliases: ['DL3028'],
    severity: 'warning',
    title: 'gem install without pinned versions',
    description: [
      'Without a version, `gem install rails` installs whatever rubygems.org has on the day of the build, so two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.',
      '',
      'Pin the version: `gem install rails:7.1.3` (several gems: `gem install rails:7.1.3 puma:6.4.2`) or `gem install rails -v 7.1.3`. For an application, install from the lock file: `bundle install` with a committed `Gemfile.lock`, or `gem install -g Gemfile`. `.gem` files, paths and variables are not reported.'
    ].join('\n'),
    bad: 'FROM ruby:3.3-slim\nRUN gem install bundler',
    good: 'FROM ruby:3.3-slim\nRUN gem install bundler:2.5.16',
    tags: ['best-practice', 'reproducibility'],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      // One finding per RUN: the gems of all its gem installs, at the first one.
      let line: number | undefined;
      const loose: string[] = [];
      const seen = new Set<string>();
      for (const cmd of commands) {
        const call = gemInstallCall(cmd);
        if (!call || hasOpt(call, 'v', 'version', 'g', 'file')) continue;
        const here = call.operands.filter((g) => unpinnedGem(g) && !isIgnored(g, options.ignore));
        if (here.length === 0) continue;
        line ??= cmd.line;
        for (const g of here)
          if (!seen.has(g)) {
            seen.add(g);
            loose.push(g);
          }
      }
      if (line === undefined) continue;
      report({
        line,
        message: `pin the version of ${listPackages(loose)} in gem install: write \`${loose[0]}:<version>\` (or \`gem install ${loose[0]} -v <version>\`)`
      });
    }
  }
});
