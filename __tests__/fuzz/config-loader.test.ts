// Property tests for the config loader (issue 15): whatever the text, parseConfig returns a config or throws a
// ConfigError (never another exception), and never quotes a top-level key that is not key-like.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { ConfigError, parseConfig } from '../../src/core/config/load.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { fuzzParams, fuzzTimeout } from './params.js';

function outcome(text: string): unknown {
  try {
    parseConfig(text, 'c.yml', BUILTIN_RULES);
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('config loader properties', () => {
  it(
    'arbitrary YAML values: a config or a ConfigError',
    () => {
      const key = fc.constantFrom('lint', 'gate', 'verify', 'rules', 'extends', 'custom', 'fail-on', 'ignores', 'id', 'all', 'any', 'not');
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.jsonValue({ maxDepth: 1 }),
          fc.dictionary(key, tie('node'), { maxKeys: 4 }),
          fc.array(tie('node'), { maxLength: 4 })
        )
      })).node;
      fc.assert(
        fc.property(value, (v) => {
          const e = outcome(dump(v));
          if (e !== undefined) expect(e).toBeInstanceOf(ConfigError);
        }),
        fuzzParams(2500, 200)
      );
    },
    fuzzTimeout(60_000)
  );

  it(
    'arbitrary text: a config or a ConfigError, and a non-key-like first line is never echoed',
    () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (s) => {
          const line = `zz${s.replace(/[\r\n:#]/g, '')}Qq9: 1\n`;
          const e = outcome(line);
          if (e !== undefined) expect(e).toBeInstanceOf(ConfigError);
          const head = line.split(':')[0];
          if (e instanceof ConfigError && !/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(head.trim())) expect(e.message).not.toContain('Qq9');
        }),
        fuzzParams(2501, 200)
      );
    },
    fuzzTimeout(60_000)
  );
});
