/**
 * JSON Schema of .container-guard.yml. Source of truth: schema/config.schema.json is
 * generated from it by `npm run docs`, and a test fails when the two differ.
 */
import { customRuleSchema } from '../custom/schema.js';

/** `max:` counts per severity, in the gate section and its per-image overrides. */
const SEVERITY_COUNTS = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(['critical', 'high', 'medium', 'low', 'unknown'].map((s) => [s, { type: 'integer', minimum: 0 }]))
} as const;

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/container-guard/container-guard/blob/main/schema/config.schema.json',
  title: 'container-guard configuration (.container-guard.yml)',
  description: 'One file configures lint, verify, gate and comment.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string'
    },
    extends: {
      description:
        'Presets (recommended, strict, cis-docker), config files (relative paths) or npm packages this config builds on; later entries override earlier ones, this file overrides them all.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 } }
      ]
    },
    plugins: {
      description: 'Rule plugin modules (globs relative to this file, e.g. ./container-rules/*.mjs) exporting rules with the built-in rule interface.',
      type: 'array',
      items: { type: 'string', minLength: 1 }
    },
    rules: {
      description: 'Rule id (or alias such as DL3008) to off | error | warning | note | on, or { severity, options }; `custom` holds declarative rules.',
      type: 'object',
      properties: {
        custom: { type: 'array', items: customRuleSchema }
      },
      additionalProperties: {
        $ref: '#/definitions/ruleSetting'
      }
    },
    lint: {
      type: 'object',
      additionalProperties: false,
      properties: {
        include: {
          description: 'Globs of Dockerfiles to lint (relative to the repository root).',
          $ref: '#/definitions/globs'
        },
        exclude: {
          description: 'Globs to skip; node_modules and .git are always skipped.',
          $ref: '#/definitions/globs'
        },
        'build-args': {
          description: '--build-arg values used to resolve ARGs in FROM, USER and elsewhere.',
          type: 'object',
          additionalProperties: {
            type: ['string', 'number', 'boolean']
          }
        },
        targets: {
          description: 'Stage names that ship (default: the last stage).',
          type: 'array',
          items: {
            type: 'string',
            minLength: 1
          }
        },
        'max-file-size': {
          description: 'Largest Dockerfile read, in bytes (default 2 MiB).',
          type: 'integer',
          minimum: 1
        },
        shellcheck: {
          description: 'Run shellcheck over shell-form RUN bodies: auto (when on PATH), on, off.',
          enum: ['auto', 'on', 'off']
        }
      }
    },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files', 'rules'],
        properties: {
          files: {
            $ref: '#/definitions/globs'
          },
          rules: {
            type: 'object',
            additionalProperties: {
              $ref: '#/definitions/ruleSetting'
            }
          }
        }
      }
    },
    ignores: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rules', 'reason'],
        properties: {
          rules: {
            oneOf: [
              {
                type: 'string',
                minLength: 1
              },
              {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'string',
                  minLength: 1
                }
              }
            ]
          },
          files: {
            $ref: '#/definitions/globs'
          },
          until: {
            description: 'YYYY-MM-DD; after this day the ignore stops hiding findings.',
            type: 'string',
            pattern: '^\\d{4}-\\d{2}-\\d{2}$'
          },
          reason: {
            type: 'string',
            minLength: 1
          }
        }
      }
    },
    verify: {
      type: 'object'
    },
    gate: {
      description: 'Policy for the gate action over scanner reports (Trivy, Grype, Snyk, SARIF) and VEX.',
      type: 'object',
      additionalProperties: false,
      properties: {
        'fail-on': {
          description: 'Fail on any finding at or above this severity.',
          enum: ['critical', 'high', 'medium', 'low', 'none']
        },
        'max-cvss': {
          description: 'Fail on any finding with a CVSS base score above this.',
          type: 'number',
          minimum: 0,
          maximum: 10
        },
        max: {
          description: 'Fail when a severity has more findings than allowed, e.g. {critical: 0, high: 5}.',
          ...SEVERITY_COUNTS
        },
        'only-fixable': {
          description: 'Judge only findings that have a fixed version.',
          type: 'boolean'
        },
        'new-only': {
          description: 'Fail only on findings that are not in the baseline report.',
          type: 'boolean'
        },
        kinds: {
          type: 'array',
          items: {
            enum: ['vulnerability', 'misconfiguration', 'secret']
          },
          minItems: 1
        },
        vex: {
          description: 'OpenVEX or CycloneDX VEX files, relative to the working directory.',
          $ref: '#/definitions/globs'
        },
        'ignore-files': {
          description: 'Legacy ignore files to honour: .trivyignore, .trivyignore.yaml, .grype.yaml.',
          $ref: '#/definitions/globs'
        },
        ignores: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'reason'],
            properties: {
              id: {
                type: 'string',
                minLength: 1
              },
              package: {
                type: 'string',
                minLength: 1
              },
              image: {
                type: 'string',
                minLength: 1
              },
              until: {
                type: 'string',
                pattern: '^\\d{4}-\\d{2}-\\d{2}$'
              },
              reason: {
                type: 'string',
                minLength: 1
              }
            }
          }
        },
        overrides: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['images'],
            properties: {
              images: {
                $ref: '#/definitions/globs'
              },
              'fail-on': {
                enum: ['critical', 'high', 'medium', 'low', 'none']
              },
              'max-cvss': {
                type: 'number',
                minimum: 0,
                maximum: 10
              },
              max: SEVERITY_COUNTS,
              'only-fixable': {
                type: 'boolean'
              },
              kinds: {
                type: 'array',
                items: {
                  enum: ['vulnerability', 'misconfiguration', 'secret']
                },
                minItems: 1
              }
            }
          }
        }
      }
    },
    comment: {
      type: 'object'
    }
  },
  definitions: {
    globs: {
      type: 'array',
      items: {
        type: 'string',
        minLength: 1
      }
    },
    level: {
      enum: ['off', 'on', 'error', 'warning', 'note']
    },
    ruleSetting: {
      oneOf: [
        {
          $ref: '#/definitions/level'
        },
        {
          type: 'boolean'
        },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            severity: {
              $ref: '#/definitions/level'
            },
            options: {
              type: 'object'
            }
          }
        }
      ]
    }
  }
} as const;
