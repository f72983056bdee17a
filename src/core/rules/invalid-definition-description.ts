import { defineRule } from './types.js';

const PRAGMA = /^(hadolint|container-guard|check\s*=|trivy:|syntax\s*=|escape\s*=|shellcheck\s)/i;

export default defineRule({
  meta: {
    id: 'invalid-definition-description',
    aliases: ['InvalidDefinitionDescription'],
    severity: 'note',
    enabledByDefault: false,
    title: 'A comment right above FROM … AS or ARG should describe it',
    description: [
      '`docker buildx build --call=outline` and `--call=targets` show a comment that directly precedes a `FROM … AS name` or an `ARG NAME` as its description, when the comment starts with that name (`# VERSION is the version to build`). A comment right above that does not start with the name is probably not meant as a description; BuildKit reports it (`InvalidDefinitionDescription`, an experimental check, off by default here as there).',
      '',
      'Start the comment with the name, or put an empty line between the comment and the instruction. Suppression and directive comments are not descriptions and are not reported.'
    ].join('\n'),
    bad: '# a non-descriptive comment\nFROM scratch AS base\n\n# the version to build\nARG VERSION=1',
    good: '# base is a stage for compiling source\nFROM scratch AS base\n# VERSION is the version to build\nARG VERSION=1',
    tags: ['style', 'documentation']
  },
  defaultOptions: {},
  check({ model, report }) {
    const commentAt = new Map(model.comments.map((c) => [c.line, c.text]));
    for (const instr of model.instructions) {
      const names =
        instr.keyword === 'ARG'
          ? instr.pairs.map((p) => p.key)
          : instr.keyword === 'FROM' && model.stages[instr.stage]?.name
            ? [model.stages[instr.stage].name as string]
            : [];
      if (names.length !== 1) continue;
      // The block of comment lines that ends right above the instruction; its first line is the description.
      let first = instr.line - 1;
      if (!commentAt.has(first)) continue;
      while (commentAt.has(first - 1)) first--;
      const text = commentAt.get(first) ?? '';
      if (PRAGMA.test(text)) continue;
      const word = text.split(/\s+/)[0] ?? '';
      if (word === names[0] || (instr.keyword === 'FROM' && word.toLowerCase() === names[0])) continue;
      report({
        line: first,
        column: 1,
        message: `Comment for ${instr.keyword === 'ARG' ? 'build argument' : 'build stage'} '${names[0]}' should follow the format: '# ${names[0]} <description>'; if it is not a description, add an empty line between it and line ${instr.line}`
      });
    }
  }
});
