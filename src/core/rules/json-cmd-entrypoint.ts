import { defineRule } from './types.js';
import { parseShell, shellParserReady } from '../shell/parser.js';
import { jsonArray } from './util/misc.js';

/** Characters that need a shell: with them the exec form is not a word-for-word rewrite. */
const SHELL_SYNTAX = /[$`|&;<>(){}*?[\]~#\\'"]|^[A-Za-z_][A-Za-z0-9_]*=/;

export default defineRule({
  meta: {
    id: 'json-cmd-entrypoint',
    aliases: ['DL3025', 'JSONArgsRecommended'],
    severity: 'warning',
    title: 'Use the JSON (exec) form for CMD and ENTRYPOINT',
    description: [
      'In shell form (`CMD node server.js`) Docker runs `/bin/sh -c "node server.js"`: the shell is PID 1 and your program its child. `docker stop` sends SIGTERM to the shell, which does not forward it, so the program never shuts down gracefully and is killed after the timeout. A shell-form `ENTRYPOINT` also ignores `CMD` and `docker run` arguments.',
      '',
      'Write the exec form, a JSON array with double quotes: `CMD ["node", "server.js"]`. When the command is a plain list of words the message spells out the array (and a fix is offered for single-line instructions). When you need shell features (variables, `&&`, pipes), either put them in a script that ends with `exec "$@"` / `exec program`, or write `CMD ["sh", "-c", "exec program --port \\"$PORT\\""]` so the program replaces the shell.',
      '',
      'A `CMD` in shell form that is a single command started with `exec` (`CMD exec nginx -g "daemon off;"`) is not reported: the program replaces the shell and receives signals itself (an `ENTRYPOINT` written that way still ignores `CMD` and `docker run` arguments, and is reported for that). A `[...]` argument that is not valid JSON (single quotes, missing commas) silently falls back to shell form and is reported with that explanation. As with BuildKit\'s check, stages that set an explicit `SHELL` are not reported: the shell form is then deliberate.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nCMD node server.js',
    good: 'FROM node:22-alpine\nCMD ["node", "server.js"]',
    tags: ['best-practice', 'reliability']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
      if (instr.json) continue;
      const text = instr.rest.trim();
      if (text === '') continue;
      if (model.shellFor(instr) !== undefined) continue;
      const kw = instr.keyword;
      if (text.startsWith('[') && text.endsWith(']')) {
        report({
          line: instr.line,
          column: instr.column,
          message: `${kw} ${text} is not valid JSON (use double quotes and commas), so Docker runs it in shell form under /bin/sh -c; write it as a JSON array of double-quoted strings`
        });
        continue;
      }
      const script = shellParserReady() ? parseShell(text) : undefined;
      const single = script && !script.hasErrors && script.commands.length === 1 && script.pipelines === 0 ? script.commands[0] : undefined;
      // `CMD exec program …`: the program replaces the shell and receives signals itself.
      if (single && single.wrappers[0] === 'exec') {
        if (kw === 'CMD') continue;
        report({
          line: instr.line,
          column: instr.column,
          message: `ENTRYPOINT in shell form ignores CMD and docker run arguments: write ENTRYPOINT ${jsonArray([single.name, ...single.args])} (variables are not expanded in JSON form: move them into a script that ends with exec "$@")`
        });
        continue;
      }
      const words = instr.words.map((w) => w.value);
      const simple = words.length > 0 && !words.some((w) => SHELL_SYNTAX.test(w)) && !/['"\\]/.test(text);
      const exec = simple ? `${kw} ${jsonArray(words)}` : undefined;
      const line = model.lines[instr.line - 1];
      const fix =
        exec && instr.endLine === instr.line && line !== undefined
          ? {
              line: instr.line,
              endLine: instr.line,
              replacement: line.slice(0, instr.column - 1) + line.slice(instr.column - 1, instr.column - 1 + kw.length) + ' ' + jsonArray(words),
              description: 'Use the exec form'
            }
          : undefined;
      const why = `${kw} in shell form runs under /bin/sh -c, which does not forward signals to the program`;
      let message: string;
      if (exec) {
        message = `${why}: write ${exec}`;
      } else {
        // One simple command that needs the shell only for variables or quoting: keep the shell but let `exec` replace it.
        const flat = text.replace(/\s+/g, ' ');
        message =
          single && flat.length <= 100
            ? `${why}: write ${kw} ${jsonArray(kw === 'CMD' ? ['sh', '-c', `exec ${flat}`] : ['sh', '-c', `exec ${flat} "$@"`, '--'])} so the program replaces the shell, or use the JSON form without variables`
            : `${why}: use the JSON form, e.g. ${kw} ["sh", "-c", "exec ..."] so the program replaces the shell, or move the logic into a script that ends with exec`;
      }
      report({ line: instr.line, column: instr.column, message, fix });
    }
  }
});
