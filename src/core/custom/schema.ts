/**
 * JSON Schema (draft-07) of ONE custom rule definition, the items of `rules.custom`
 * in .container-guard.yml. The language itself is documented in docs/custom-rules.md.
 *
 * Embedding: the object is self-contained. Its `$id` makes the `#/definitions/...`
 * references inside it resolve to its own `definitions` wherever it is embedded, so
 * put it as is under `rules.custom.items` (no `$ref` to the root is needed, and the
 * root's own `definitions` cannot clash with these). ajv refuses to compile two
 * schemas with the same `$id` in one Ajv instance, so do not also compile this object
 * on its own in the instance that compiles the config schema: `compileCustomRule`
 * validates with a private instance.
 *
 * What the schema cannot say (checked by `compileCustomRule`, with a JSON pointer):
 * regexes compile, instruction keywords are known (case-insensitive), each condition
 * applies to the `when` subject, flag names exist for the subject, port ranges are
 * ordered, and `message` uses only known placeholders.
 */

export const CUSTOM_RULE_SCHEMA_ID = 'https://github.com/container-guard/container-guard/blob/main/schema/custom-rule.schema.json';

/** `org/approved-registry`: a namespace slash, so custom ids never collide with built-in ids. */
export const CUSTOM_RULE_ID_PATTERN = '^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)+$';

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const stringList = { type: 'array', minItems: 1, items: nonEmptyString } as const;

export const customRuleSchema = {
  $id: CUSTOM_RULE_SCHEMA_ID,
  title: 'custom rule',
  description:
    'A declarative rule: `when` picks the subjects (instructions, or the shipped image with `file: true`); a subject is reported when it fails `require` or matches `forbid`. See docs/custom-rules.md.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'message', 'when'],
  anyOf: [{ required: ['require'] }, { required: ['forbid'] }],
  properties: {
    id: {
      description: 'Rule id with a namespace, e.g. org/approved-registry (lower case; built-in ids have no slash).',
      type: 'string',
      pattern: CUSTOM_RULE_ID_PATTERN
    },
    severity: {
      description: 'Default severity (the config can still override it by id).',
      enum: ['error', 'warning', 'note'],
      default: 'warning'
    },
    message: {
      description: 'Finding message. Placeholders: {{image}}, {{value}} (secrets masked), {{key}}, {{instruction}}, {{stage}}, {{line}}, {{program}}.',
      ...nonEmptyString
    },
    help: {
      description: 'URL of the rule documentation (http or https).',
      type: 'string',
      pattern: '^https?://\\S+$'
    },
    description: {
      description: 'Markdown: why it matters and what to do instead (shown in SARIF and `container-guard rules`).',
      type: 'string'
    },
    aliases: {
      description: 'Other ids the rule answers to in ignores and inline suppressions.',
      type: 'array',
      items: nonEmptyString,
      uniqueItems: true
    },
    tags: {
      description: 'Free-form tags, e.g. security, cis:4.2 (`custom` is always added).',
      type: 'array',
      items: nonEmptyString,
      uniqueItems: true
    },
    when: { $ref: '#/definitions/when' },
    require: {
      description: 'Condition every subject must satisfy; a subject for which it is false is reported.',
      $ref: '#/definitions/condition'
    },
    forbid: {
      description: 'Condition no subject may satisfy; a subject for which it is true is reported.',
      $ref: '#/definitions/condition'
    }
  },
  definitions: {
    when: {
      description: 'The subjects: `instruction` (one keyword or a list, case-insensitive) with an optional `stage`, or `file: true` for the shipped image.',
      type: 'object',
      additionalProperties: false,
      oneOf: [{ required: ['instruction'] }, { required: ['file'] }],
      dependencies: { stage: ['instruction'] },
      properties: {
        instruction: {
          description: 'Instruction keyword(s) whose occurrences are the subjects: FROM, RUN, [COPY, ADD], ...',
          oneOf: [{ $ref: '#/definitions/keyword' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/keyword' }, uniqueItems: true }]
        },
        stage: {
          description: '`any` (default): every stage. `final`: the stages that ship (the last one, or lint.targets) and the stages they are built FROM.',
          enum: ['final', 'any'],
          default: 'any'
        },
        file: {
          description: 'One subject per shipped stage: its effective ENV, LABEL, ARG, EXPOSE, USER and instructions, inherited from parent stages included.',
          enum: [true]
        }
      }
    },
    keyword: nonEmptyString,
    match: {
      description: 'A glob (minimatch), a list of globs (any of them; `!glob` excludes), { regex: "..." } (anchored) or { glob: ... }.',
      oneOf: [
        nonEmptyString,
        stringList,
        { type: 'object', additionalProperties: false, required: ['regex'], properties: { regex: nonEmptyString } },
        { type: 'object', additionalProperties: false, required: ['glob'], properties: { glob: { oneOf: [nonEmptyString, stringList] } } }
      ]
    },
    pairs: {
      description: 'A key glob (the key exists), or { key?: <match>, value?: <match> }.',
      oneOf: [
        nonEmptyString,
        {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { key: { $ref: '#/definitions/match' }, value: { $ref: '#/definitions/match' } }
        }
      ]
    },
    flagName: nonEmptyString,
    port: {
      oneOf: [
        { type: 'integer', minimum: 0, maximum: 65535 },
        { type: 'string', pattern: '^[0-9]{1,5}(-[0-9]{1,5})?(/(tcp|udp|sctp|TCP|UDP|SCTP))?$' }
      ]
    },
    condition: {
      description: 'Condition: its keys are ANDed; all/any/not combine conditions.',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        all: { description: 'Every condition holds.', type: 'array', minItems: 1, items: { $ref: '#/definitions/condition' } },
        any: { description: 'At least one condition holds.', type: 'array', minItems: 1, items: { $ref: '#/definitions/condition' } },
        not: { description: 'The condition does not hold.', $ref: '#/definitions/condition' },
        image: {
          description:
            'The image (FROM base, COPY/ADD --from, RUN --mount from; the shipped base for file rules), normalised: nginx is docker.io/library/nginx:latest.',
          $ref: '#/definitions/match'
        },
        registry: { description: 'The registry host of that image: docker.io, ghcr.io, registry.example.com:5000.', $ref: '#/definitions/match' },
        flag: {
          description: 'An instruction flag: its name (it is given), or { name, value?: <match> }.',
          oneOf: [
            { $ref: '#/definitions/flagName' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: { name: { $ref: '#/definitions/flagName' }, value: { $ref: '#/definitions/match' } }
            }
          ]
        },
        mount: {
          description: 'A RUN --mount: its type (bind, cache, secret, ssh, tmpfs), or an object of option matches.',
          oneOf: [
            nonEmptyString,
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: Object.fromEntries(
                ['type', 'target', 'source', 'from', 'id', 'mode', 'uid', 'gid', 'sharing', 'required', 'readonly', 'env', 'size'].map((k) => [
                  k,
                  { $ref: '#/definitions/match' }
                ])
              )
            }
          ]
        },
        env: { description: 'ENV pairs (of the ENV instruction, or the effective ENV of the shipped image).', $ref: '#/definitions/pairs' },
        arg: { description: 'ARG declarations (of the ARG instruction, or of the shipped stages and global ARGs).', $ref: '#/definitions/pairs' },
        label: { description: 'LABEL pairs (of the LABEL instruction, or the effective labels of the shipped image).', $ref: '#/definitions/pairs' },
        run: {
          description: 'A command of the RUN: its program glob, or { program?, flag?, arg?, pipedTo? }.',
          oneOf: [
            nonEmptyString,
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                program: { $ref: '#/definitions/match' },
                flag: {
                  description: 'One option, or a list (any of them): -k, --insecure. Combined short options (-fsSLk) count.',
                  oneOf: [
                    { type: 'string', pattern: '^-' },
                    { type: 'array', minItems: 1, items: { type: 'string', pattern: '^-' } }
                  ]
                },
                arg: { $ref: '#/definitions/match' },
                pipedTo: { $ref: '#/definitions/match' }
              }
            }
          ]
        },
        port: {
          description: 'EXPOSEd ports: a number, "8000-8100", "53/udp", or a list (any of them).',
          oneOf: [{ $ref: '#/definitions/port' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/port' } }]
        },
        user: { description: 'The effective user (user[:group]); no USER means root unless the base is a known non-root image.', $ref: '#/definitions/match' },
        instruction: {
          description: 'File rules: the shipped stage or a stage it is built FROM has such an instruction (one keyword, or a list: any of them).',
          oneOf: [{ $ref: '#/definitions/keyword' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/keyword' } }]
        }
      }
    }
  }
} as const;

/** The definition as the compiler reads it once the schema accepted it. */
export type MatchSpec = string | string[] | { regex: string } | { glob: string | string[] };
export type PairSpec = string | { key?: MatchSpec; value?: MatchSpec };
export type PortSpec = number | string;

export interface ConditionSpec {
  all?: ConditionSpec[];
  any?: ConditionSpec[];
  not?: ConditionSpec;
  image?: MatchSpec;
  registry?: MatchSpec;
  flag?: string | { name: string; value?: MatchSpec };
  mount?: string | Record<string, MatchSpec>;
  env?: PairSpec;
  arg?: PairSpec;
  label?: PairSpec;
  run?: string | { program?: MatchSpec; flag?: string | string[]; arg?: MatchSpec; pipedTo?: MatchSpec };
  port?: PortSpec | PortSpec[];
  user?: MatchSpec;
  instruction?: string | string[];
}

export interface CustomRuleDefinition {
  id: string;
  severity?: 'error' | 'warning' | 'note';
  message: string;
  help?: string;
  description?: string;
  aliases?: string[];
  tags?: string[];
  when: { instruction?: string | string[]; stage?: 'final' | 'any'; file?: true };
  require?: ConditionSpec;
  forbid?: ConditionSpec;
}
