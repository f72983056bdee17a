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

/** What a verify policy requires, shared by `verify.default` and each `verify.policies` entry. */
const VERIFY_POLICY_PROPERTIES = {
  require: {
    description:
      'digest: the reference resolves and, when pinned, its tag still points at the pinned digest; pinned: the reference is written with @sha256:…; signature: at least `count` signatures verify against `keys` or `keyless`; attestation: each entry of `attestations` is met. Default [digest]. An image that cannot be resolved always fails.',
    type: 'array',
    uniqueItems: true,
    items: { enum: ['digest', 'pinned', 'signature', 'attestation', 'non-root', 'no-secrets'] }
  },
  keys: {
    description:
      'cosign public keys (PEM `PUBLIC KEY` or `CERTIFICATE`, ECDSA P-256): a path relative to this file, `{ path }`, or `{ pem }` with the PEM inline. Any one of them may sign.',
    type: 'array',
    items: {
      oneOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            path: { description: 'Key file, relative to this file.', type: 'string', minLength: 1 },
            pem: { description: 'The key itself, PEM text.', type: 'string', minLength: 1 }
          }
        }
      ]
    }
  },
  keyless: {
    description:
      'Accepted keyless (Fulcio certificate) signers: exactly one of issuer or issuer-regexp, exactly one of identity or identity-regexp, optionally GitHub Actions claims.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        issuer: { description: 'Exact OIDC issuer, e.g. https://token.actions.githubusercontent.com (this or issuer-regexp).', type: 'string', minLength: 1 },
        'issuer-regexp': {
          description: 'JavaScript regular expression the whole OIDC issuer must match (anchored: `^…$` is implied), instead of issuer.',
          type: 'string',
          minLength: 1
        },
        identity: {
          description: 'Exact certificate identity (SAN), e.g. https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main.',
          type: 'string',
          minLength: 1
        },
        'identity-regexp': {
          description: 'JavaScript regular expression the whole identity must match (anchored: `^…$` is implied, unlike cosign).',
          type: 'string',
          minLength: 1
        },
        github: {
          description: 'GitHub Actions claims of the certificate; each one given must match exactly.',
          type: 'object',
          additionalProperties: false,
          properties: {
            repository: { description: 'owner/repo the workflow ran in.', type: 'string', minLength: 1 },
            ref: { description: 'Git ref, e.g. refs/heads/main or refs/tags/v1.2.3.', type: 'string', minLength: 1 },
            sha: { description: 'Commit SHA.', type: 'string', minLength: 1 },
            trigger: { description: 'Event that started the workflow: push, release, workflow_dispatch, …', type: 'string', minLength: 1 },
            workflow: { description: 'Path of the signing workflow, e.g. .github/workflows/release.yml.', type: 'string', minLength: 1 }
          }
        }
      }
    }
  },
  count: {
    description: 'How many signatures (distinct signers) must verify on each digest in scope (default 1).',
    type: 'integer',
    minimum: 1
  },
  'sign-scope': {
    description:
      'Which digests of a multi-arch image must carry the signatures: index (the digest the reference resolves to; default), platforms (every platform manifest), all (both). A single-arch image has one digest for every scope.',
    enum: ['index', 'platforms', 'all']
  },
  'signatures-repository': {
    description:
      "Repository the signatures are stored in when not next to the image (cosign's COSIGN_REPOSITORY), as registry/repository, e.g. ghcr.io/acme/signatures; the referrers, the sha256-<hex> tags and the .sig tag are read there. Default: the image's own repository.",
    type: 'string',
    minLength: 1,
    pattern: '^[^\\s@]+$'
  },
  attestations: {
    description:
      'In-toto attestations the image must carry, with `require: [attestation]` (docs/verify-attestations.md): each entry needs one verified attestation of its `type` whose subject is the image (or each platform) digest and whose statement meets every condition.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: {
          description:
            "The statement's predicateType (a URI such as https://slsa.dev/provenance/v1) or a short name: slsaprovenance (v0.2, as cosign), slsaprovenance02, slsaprovenance1, spdx, cyclonedx, vuln, openvex, custom. Default with `github`: https://slsa.dev/provenance/v1.",
          type: 'string',
          minLength: 1
        },
        keys: {
          description: "Keys that may sign this attestation (as the policy's keys); default: the policy's signers.",
          type: 'array',
          items: {
            oneOf: [
              { type: 'string', minLength: 1 },
              { type: 'object', additionalProperties: false, properties: { path: { type: 'string', minLength: 1 }, pem: { type: 'string', minLength: 1 } } }
            ]
          }
        },
        keyless: {
          description: "Keyless signers of this attestation (as the policy's keyless); default: the policy's signers.",
          type: 'array',
          items: { type: 'object' }
        },
        conditions: {
          description:
            'Dotted path into the in-toto statement → glob (`*` any characters, `?` one); all must match. A number indexes a list, `*` is any element, `\\.` a dot inside a key.',
          type: 'object',
          additionalProperties: { type: ['string', 'number', 'boolean'] }
        },
        github: {
          description: 'GitHub artifact attestations, as `gh attestation verify` checks them (signed by GitHub Actions OIDC; type default SLSA v1).',
          type: 'object',
          additionalProperties: false,
          properties: {
            owner: { description: '--owner: a workflow of a repository of this owner signed it.', type: 'string', minLength: 1 },
            repo: { description: '--repo owner/repo: a workflow of this repository signed it.', type: 'string', minLength: 1 },
            'signer-workflow': { description: '--signer-workflow owner/repo/.github/workflows/file.yml: the signing workflow.', type: 'string', minLength: 1 },
            'source-ref': { description: '--source-ref refs/heads/main: the ref the workflow ran on.', type: 'string', minLength: 1 },
            'deny-self-hosted-runners': { description: '--deny-self-hosted-runners: built on a GitHub-hosted runner.', type: 'boolean' }
          }
        }
      }
    }
  }
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
      description:
        'Rule plugin modules (globs relative to this file, e.g. ./container-rules/*.mjs; must be inside the repository) exporting rules with the built-in rule interface. Each rule has a 5 s time budget per file.',
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
        platforms: {
          description:
            "Target platforms BuildKit's automatic ARGs (TARGETOS, TARGETARCH, TARGETPLATFORM…) are resolved for, as docker build --platform takes them (default: linux/amd64). A FROM that picks a stage per platform is checked once per platform.",
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: {
            type: 'string',
            pattern: '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$'
          }
        },
        context: {
          description:
            'Build context of the Dockerfiles a glob matches (both relative to the repository root), for the .dockerignore of CopyIgnoredFile: { "services/*/Dockerfile": "." }. Default: the Dockerfile\'s folder.',
          type: 'object',
          additionalProperties: { type: 'string', minLength: 1 }
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
      description:
        'Policy for the verify action: which images need a digest, a pinned reference or signatures. Policies are tried in order and the first whose `images` match decides (like firewall rules: put the specific entry first); images no policy matches get `default`.',
      type: 'object',
      additionalProperties: false,
      properties: {
        'trusted-root': {
          description:
            'Sigstore trusted root JSON (Fulcio CAs, Rekor and CT log keys) for keyless verification, relative to this file; default: the Sigstore public-good instance.',
          type: 'string',
          minLength: 1
        },
        default: {
          description: 'Policy for images no entry of `policies` matches (default: require [digest]).',
          type: 'object',
          additionalProperties: false,
          properties: VERIFY_POLICY_PROPERTIES
        },
        policies: {
          description: 'Ordered policies; the first whose `images` match an image is the only one applied to it.',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['images'],
            properties: {
              images: {
                description:
                  'Globs over registry/repository, normalised like references (`nginx` is docker.io/library/nginx, `acme/*` is docker.io/acme/*); `**` spans `/`. A glob with a `:` after its last `/` is matched against repository:tag instead (`ghcr.io/acme/*:v*`).',
                oneOf: [
                  { type: 'string', minLength: 1 },
                  { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }
                ]
              },
              ...VERIFY_POLICY_PROPERTIES
            }
          }
        }
      }
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
