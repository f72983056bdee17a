import parseSpdx from 'spdx-expression-parse';
import { defineRule } from './types.js';
import { shippedStages } from './util/packages.js';
import { stageLabels } from './util/labels.js';

type LabelType = 'text' | 'url' | 'hash' | 'spdx' | 'rfc3339' | 'semver' | 'email';

interface Options {
  /** Required labels and the type of their value. */
  labels: Record<string, LabelType>;
  /** Report labels that are not in `labels`. */
  strict: boolean;
}

const CHECKS: Record<Exclude<LabelType, 'text'>, { alias: string; what: string; ok: (v: string) => boolean }> = {
  url: { alias: 'DL3052', what: 'a valid URL', ok: (v) => /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i.test(v) && URL.canParse(v) },
  hash: { alias: 'DL3055', what: 'a valid git hash', ok: (v) => /^([0-9a-f]{7,40}|[0-9a-f]{64})$/.test(v) },
  spdx: {
    alias: 'DL3054',
    what: 'a valid SPDX license expression',
    ok: (v) => {
      try {
        parseSpdx(v);
        return true;
      } catch {
        return false;
      }
    }
  },
  rfc3339: {
    alias: 'DL3053',
    what: 'a valid RFC 3339 time (2024-05-01T12:00:00Z)',
    ok: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))
  },
  semver: {
    alias: 'DL3056',
    what: 'a semantic version (1.2.3)',
    ok: (v) => /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(v)
  },
  email: { alias: 'DL3058', what: 'a valid e-mail address (RFC 5322)', ok: (v) => /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/.test(v) }
};

export default defineRule<Options>({
  meta: {
    id: 'label-schema',
    aliases: ['DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'],
    severity: 'warning',
    title: 'Labels required by the project, with values of the right type',
    description: [
      "A team's label schema says which labels every image carries (`org.opencontainers.image.source`, `…licenses`, `…revision`) and what their values look like. With the `labels` option set, the rule reports, for each shipped stage (labels of the stages it builds on count): a missing label (DL3049), an empty one (DL3051), and a value that is not of its type — `url` (DL3052), `rfc3339` (DL3053), `spdx` license expression (DL3054), git `hash` (DL3055), `semver` (DL3056), `email` (DL3058); `text` takes anything. With `strict: true`, labels outside the schema are reported too (DL3050).",
      '',
      'Values from variables that cannot be resolved are not judged. Without a `labels` option the rule reports nothing.'
    ].join('\n'),
    bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="github.com/acme/api"',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/acme/api"',
    tags: ['best-practice', 'supply-chain'],
    optionsSchema: {
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { enum: ['text', 'url', 'hash', 'spdx', 'rfc3339', 'semver', 'email'] } },
        strict: { type: 'boolean' }
      },
      additionalProperties: false
    },
    optionsDoc:
      '- `labels` (object, default `{}`): label key → value type (`text`, `url`, `hash`, `spdx`, `rfc3339`, `semver`, `email`); each is required in shipped stages.\n- `strict` (boolean, default `false`): also report labels not listed in `labels`.'
  },
  defaultOptions: { labels: {}, strict: false },
  check({ model, options, report }) {
    const schema = options.labels ?? {};
    if (Object.keys(schema).length === 0 && !options.strict) return;
    const shipped = shippedStages(model);
    for (const stage of model.stages) {
      if (!shipped.has(stage.index)) continue;
      const labels = stageLabels(model, stage);
      for (const [key, type] of Object.entries(schema)) {
        const def = labels.get(key);
        if (!def) {
          report({
            line: stage.instruction.line,
            column: stage.instruction.column,
            message: `Label \`${key}\` is missing (DL3049): add LABEL ${key}=<${type}>`
          });
          continue;
        }
        const line = def.instr.line;
        if (def.value.includes('$')) continue;
        if (def.value.trim() === '') {
          report({ line, column: def.instr.column, message: `Label \`${key}\` is empty (DL3051)` });
          continue;
        }
        const check = type === 'text' ? undefined : CHECKS[type];
        if (check && !check.ok(def.value))
          report({ line, column: def.instr.column, message: `Label \`${key}\` is not ${check.what} (${check.alias}): "${def.value}"` });
      }
      if (options.strict) {
        for (const def of labels.values()) {
          if (def.key in schema) continue;
          report({
            line: def.instr.line,
            column: def.instr.column,
            message: `Superfluous label \`${def.key}\` (DL3050): it is not in the project's label schema`
          });
        }
      }
    }
  }
});
