/**
 * `container-guard init`: a commented starter config and a workflow, built from the
 * repository's own Dockerfiles (their base images suggest the trusted registries).
 */
import { parseDockerfile } from './dockerfile/model.js';

export interface InitInput {
  /** Repo-relative Dockerfile paths and their text. */
  dockerfiles: { file: string; text: string }[];
}

export interface InitOutput {
  config: string;
  workflow: string;
  registries: string[];
}

/** Registries of the external base images the Dockerfiles use, most used first. */
export function baseRegistries(input: InitInput): string[] {
  const counts = new Map<string, number>();
  for (const { file, text } of input.dockerfiles) {
    const model = parseDockerfile(file, text);
    for (const s of model.stages) if (s.from.image) counts.set(s.from.image.registry, (counts.get(s.from.image.registry) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r]) => r);
}

export function initFiles(input: InitInput): InitOutput {
  const registries = baseRegistries(input);
  const files = input.dockerfiles.map((d) => d.file);
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : '');
  const config = `# yaml-language-server: $schema=https://raw.githubusercontent.com/container-guard/container-guard/main/schema/config.schema.json
# container-guard configuration: lint, gate (and later verify and comment) read this one file.
# Written by \`container-guard init\` from ${files.length} Dockerfile(s): ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}

# Start from a preset: recommended (default), strict, or cis-docker (CIS Docker Benchmark section 4).
extends: [recommended]

lint:
  # Which files to lint (defaults shown): Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile*.
  # include: ["**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile*"]
  exclude: []
  # Values for ARGs used in FROM and USER, as docker build --build-arg would pass them.
  build-args: {}

rules:
  # Only base images from these registries (found in your Dockerfiles; trim the list to what you trust).
  trusted-registries:
    severity: error
    options:
      registries: [${list(registries.length ? registries : ['docker.io'])}]
  # Require a digest (image:tag@sha256:…) for images from these registries:
  # unpinned-base-image:
  #   options:
  #     require-digest: ["**"]
  # Turn a rule off or change its severity by id or alias (DL3008, CKV_DOCKER_7, …):
  # apt-pin-versions: off
  # Your own rules, in YAML (see docs/custom-rules.md):
  # custom:
  #   - id: org/oci-source-label
  #     severity: warning
  #     message: "The final stage must declare org.opencontainers.image.source"
  #     when: { file: true }
  #     require: { label: org.opencontainers.image.source }

# Accepted findings, each with a reason and an expiry date:
ignores: []
#  - rules: [curl-pipe-shell]
#    files: ["tools/Dockerfile"]
#    until: 2027-01-31
#    reason: "vendor installer, replaced in PLAT-123"

gate:
  fail-on: critical
  only-fixable: true
  ignores: []
`;
  const workflow = `name: container-guard
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  security-events: write
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: container-guard/container-guard/lint@v1
        with:
          sarif-file: container-guard.sarif
          findings-file: container-guard-findings.json
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: container-guard.sarif
          category: container-guard-lint
`;
  return { config, workflow, registries };
}
