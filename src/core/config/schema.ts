/**
 * JSON Schema of .container-guard.yml. Source of truth: schema/config.schema.json is
 * generated from it by `npm run docs`, and a test fails when the two differ.
 */
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
    rules: {
      description: 'Rule id (or alias such as DL3008) to off | error | warning | note | on, or { severity, options }.',
      type: 'object',
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
      type: 'object'
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
