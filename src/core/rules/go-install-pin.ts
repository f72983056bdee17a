import { defineRule } from './types.js';
import { isDynamic, runInfos } from './util/packages.js';

export default defineRule({
  meta: {
    id: 'go-install-pin',
    aliases: ['DL3062'],
    severity: 'warning',
    enabledByDefault: false,
    title: 'go install without a pinned version',
    description: [
      '`go install example.com/tool@latest` (or without a version, in module mode) builds whatever the module has today. Pin the version: `go install example.com/tool@v1.2.3` (or a commit).',
      '',
      'Local packages (`./cmd/app`, `.`) are built from the context and are not reported. Off by default (as in the `recommended` preset): on in `strict`.'
    ].join('\n'),
    bad: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest',
    good: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2',
    tags: ['best-practice', 'reproducibility']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model))
      for (const cmd of commands) {
        if (cmd.program !== 'go' || cmd.args[0] !== 'install') continue;
        const pkgs = cmd.args.slice(1).filter((a) => !a.startsWith('-') && !isDynamic(a) && !/^(\.|\/)/.test(a) && /^[^/@]+\.[^/@]+\//.test(a));
        const bad = pkgs.filter((p) => !p.includes('@') || /@latest$/.test(p));
        if (bad.length === 0) continue;
        report({ line: cmd.line, message: `go install ${bad[0]}: pin the version (${bad[0].replace(/@.*$/, '')}@v<version>)` });
      }
  }
});
