import type { Instruction } from '../dockerfile/model.js';
import type { KeyValue } from '../dockerfile/words.js';
import { findSecretValues, isIndirectValue, isSecretName, maskSecret, notACredentialBecause, type ValueMatch } from '../secrets/detect.js';
import { defineRule } from './types.js';

// Kinds whose matched text is (part of) the secret itself, with no public prefix: never shown, not even masked.
const NO_PREVIEW = new Set(['url-password', 'url-query-password', 'ref-userinfo', 'private-key']);

// `Bearer $TOKEN`, `https://app:${PW}@db`: the secret part comes from a variable.
const HAS_VARIABLE_RE = /\$\{?[A-Za-z_]/;

function secretId(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_');
}

/** `a GitHub token (ghp_****)`: the kind and at most a masked prefix, never the value. */
function describe(matches: ValueMatch[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const m of matches) {
    if (seen.has(m.kind.id)) continue;
    seen.add(m.kind.id);
    const article = /^[aeiou]/i.test(m.kind.label) ? 'an' : 'a';
    parts.push(NO_PREVIEW.has(m.kind.id) ? `${article} ${m.kind.label}` : `${article} ${m.kind.label} (${maskSecret(m.text)})`);
  }
  return parts.join(' and ');
}

export default defineRule({
  meta: {
    id: 'secret-in-env',
    aliases: ['SecretsUsedInArgOrEnv', 'DL3064', 'DS-0031'],
    severity: 'error',
    title: 'Secrets in ENV, ARG or LABEL',
    description: [
      'Everything set with `ENV` or `LABEL` is stored in the image config, and `ARG` values (defaults and `--build-arg` values) are recorded in the image history: anyone who can pull the image can read them with `docker inspect` or `docker history`, and they stay in every copy of the image, forever. A secret written in the Dockerfile is also in your source control.',
      '',
      'The rule reports:',
      '',
      '- **by name**: an `ENV` whose name looks secret (`*_PASSWORD`, `*_TOKEN`, `API_KEY`, `*_SECRET`, `AUTH`, …) and whose value is a literal (not empty, not built from variables like `$OTHER_VAR` or `Bearer ${TOKEN}`); every `ARG` with such a name, with or without a default, because build arguments end up in the image history;',
      '- **by value**: any `ENV`, `ARG` or `LABEL` value that contains a credential in a known provider format, whatever its name: AWS access key ids (`AKIA…`), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `github_pat_`), GitLab tokens (`glpat-`), Slack tokens (`xox?-`), Stripe live keys (`sk_live_`), PEM private keys, passwords embedded in URLs (`https://user:pass@host`) and JSON Web Tokens.',
      '',
      'Names that look secret but hold public data pass: `GPG_KEY` fingerprints as in the official images, `*_PUBLIC_KEY`, `*_KEY_URL`, `*_KEY_ID`, `*_FILE` and `*_PATH` locations. Values that are flags (`true`, `false`, `yes`, `no`, `on`, `off`, `0`, `1`, …), file paths (`/run/secrets/key`, `certs/server.key`), or URLs without a `user:password@` part (`AUTH_SERVER_URL=https://auth.example.com`) are not treated as secrets by name either; a password inside a URL is still caught by value.',
      '',
      'Messages never show the secret: at most the public prefix of a token format, masked (`ghp_****`).',
      '',
      'Instead, mount the secret for the one step that needs it: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with `docker build --secret id=npm_token,env=NPM_TOKEN`, and pass runtime secrets when the container starts (`docker run -e`, Docker/Kubernetes secrets). If a real credential was committed, rotate it: removing the line does not remove it from pushed images or history.'
    ].join('\n'),
    bad: 'FROM node:22-alpine\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2-hunter2\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci',
    good: 'FROM node:22-alpine\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc\n# DB_PASSWORD is passed at run time: docker run -e DB_PASSWORD ...',
    tags: ['security', 'cis:4.10']
  },
  defaultOptions: {},
  check({ model, report }) {
    const at = (instr: Instruction, p: KeyValue) => instr.lineAt(instr.restOffset + p.offset);
    for (const instr of model.instructions) {
      const kw = instr.keyword;
      if (kw !== 'ENV' && kw !== 'ARG' && kw !== 'LABEL') {
        // Any other instruction: a credential of a known format in its arguments or heredocs (RUN, CMD and
        // ENTRYPOINT are stored in the image history and config; FROM/COPY --from/ADD with user:password@).
        const text = [instr.args, ...instr.heredocs.map((h) => h.body)].join('\n');
        const matches = findSecretValues(text).filter((m) => !HAS_VARIABLE_RE.test(m.text));
        if (matches.length === 0) continue;
        const where =
          kw === 'RUN'
            ? 'is recorded in the image history'
            : kw === 'CMD' || kw === 'ENTRYPOINT' || kw === 'HEALTHCHECK'
              ? 'is stored in the image config'
              : 'is in the Dockerfile and the build log';
        report({
          line: instr.line,
          column: instr.column,
          endLine: instr.endLine,
          message: `${kw} holds ${describe(matches)}, which ${where}: pass it with RUN --mount=type=secret (or registry credentials through docker login), and rotate it`
        });
        continue;
      }
      for (const p of instr.pairs) {
        const id = secretId(p.key);
        const mount = `RUN --mount=type=secret,id=${id}`;
        const matches = p.value === undefined ? [] : findSecretValues(p.value);
        if (matches.length > 0) {
          const what = describe(matches);
          const message =
            kw === 'LABEL'
              ? `LABEL ${p.key} holds ${what}; remove it from the label (labels are readable by anyone who can pull the image) and rotate the credential`
              : `${kw} ${p.key} holds ${what}; pass it at build time with ${mount} instead of baking it into the image`;
          report({ line: at(instr, p), message });
          continue;
        }
        if (kw === 'LABEL' || !isSecretName(p.key)) continue;
        if (kw === 'ENV') {
          if (notACredentialBecause(p.key, p.value) !== undefined || HAS_VARIABLE_RE.test(p.value ?? '')) continue;
          report({
            line: at(instr, p),
            message: `ENV ${p.key} sets a secret to a literal value that is stored in the image config; pass it at build time with ${mount}, or at run time (docker run -e, an orchestrator secret), instead of baking it into the image`
          });
          continue;
        }
        // ARG: the value, default or --build-arg, is recorded in the image history.
        if (p.value !== undefined && notACredentialBecause(p.key, p.value) !== undefined && !isIndirectValue(p.value)) continue;
        const literal = p.value !== undefined && !isIndirectValue(p.value);
        report({
          line: at(instr, p),
          message: literal
            ? `ARG ${p.key} has a literal default and, like any build argument, is recorded in the image history; use ${mount} (docker build --secret id=${id}) instead`
            : `ARG ${p.key} passes a secret as a build argument, which is recorded in the image history; use ${mount} (docker build --secret id=${id}) instead`
        });
      }
    }
  }
});
