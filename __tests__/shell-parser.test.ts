import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseShell } from '../src/core/shell/parser.js';
import { loadShellParser } from '../src/io/wasm.js';

beforeAll(loadShellParser);

const summary = (script: string) => parseShell(script).commands.map((c) => [c.wrappers.join('+'), c.name, c.args.join(' '), c.assignments.join(' ')].join('|'));

describe('parseShell', () => {
  it.each([
    ['simple list', 'apt-get update && apt-get install -y curl', ['|apt-get|update|', '|apt-get|install -y curl|']],
    ['quotes removed', `echo "a b" 'c' d\\ e`, ['|echo|a b c d e|']],
    ['sudo with a valued option', 'sudo -u app make install', ['sudo|make|install|']],
    ['env assignments are kept', 'env -i NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js', ['env|node|app.js|NODE_TLS_REJECT_UNAUTHORIZED=0']],
    ['xargs -n takes a value', 'find . | xargs -n 1 chmod 777', ['|find|.|', 'xargs|chmod|777|']],
    ['env -u takes a value', 'env -u HOME curl -k https://x', ['env|curl|-k https://x|']],
    ['prefix assignments', 'GIT_SSL_NO_VERIFY=1 git clone x', ['|git|clone x|GIT_SSL_NO_VERIFY=1']],
    ['export is visible', 'export PIP_TRUSTED_HOST=pypi.org', ['|export||PIP_TRUSTED_HOST=pypi.org']],
    ['command substitution is walked', 'echo $(uname -m)', ['|echo|$(uname -m)|', '|uname|-m|']]
  ])('%s', (_n, script, expected) => {
    expect(summary(script)).toEqual(expected);
  });

  it.each([
    ['a | b | c && d', ['abc', 'abc', 'abc', ''], 1],
    ['curl x | tee y | sh && echo ok', ['curlteesh', 'curlteesh', 'curlteesh', ''], 1],
    ['a | b && c | d', ['ab', 'ab', 'cd', 'cd'], 2],
    ['x && a | b | c || d', ['', 'abc', 'abc', 'abc', ''], 1],
    ['a | (b && c) | d', ['ad', '', '', 'ad'], 1]
  ])('one group per pipeline, whatever tree-sitter nests: %s', (script, groups, pipelines) => {
    // tree-sitter-bash reads `a | b | c && d` as pipeline(a, list(pipeline(b, c), d)).
    const s = parseShell(script);
    expect(s.commands.map((c) => (c.pipeline ?? []).map((x) => x.name).join(''))).toEqual(groups);
    expect(s.pipelines).toBe(pipelines);
  });

  it('groups pipelines in source order', () => {
    const s = parseShell('curl -fsSL https://x | sudo bash -s -- -y; echo done');
    expect(s.pipelines).toBe(1);
    const curl = s.commands.find((c) => c.name === 'curl');
    expect(curl?.pipeline?.map((c) => c.name)).toEqual(['curl', 'bash']);
    expect(s.commands.find((c) => c.name === 'echo')?.pipeline).toBeUndefined();
  });

  it('tolerates broken scripts', () => {
    const s = parseShell('if then fi ((( apt-get install x');
    expect(s.hasErrors).toBe(true);
  });
});
