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
    const article = /^(?:[aeiou]|npm\b)/i.test(m.kind.label) ? 'an' : 'a';
    parts.push(NO_PREVIEW.has(m.kind.id) ? `${article} ${m.kind.label}` : `${article} ${m.kind.label} (${maskSecret(m.text)})`);
  }
  return parts.join(' and ');
}

export default defineRule({
  meta: {
    id: 'secret-in-env',
    aliases: ['SecretsUsedInArgOrEnv', 'DL3064', 'DS-0031'],
    severity: 'error',
    title: 'Secrets in ENV, ARG, LABEL or other instructions',
    description: [
      'Everything set with `ENV` or `LABEL` is stored in the image config, and `ARG` values (defaults and `--build-arg` values) and `RUN` command lines are recorded in the image history: anyone who can pull the image can read them with `docker inspect` or `docker history`, and they stay in every copy of the image, forever. A secret written in the Dockerfile is also in your source control.',
      '',
      'The rule judges a name together with its value:',
      '',
      '| signal | where | reported when |',
      '| --- | --- | --- |',
      '| **by value**: a credential of a known format — AWS key ids (`AKIA…`), GitHub (`ghp_`, `github_pat_`), GitLab (`glpat-`), Slack (`xox?-`), Stripe (`sk_live_`, `rk_live_`), npm (`npm_`), PyPI (`pypi-`), Google API (`AIza`), SendGrid, Docker Hub (`dckr_pat_`), Vault (`hvs.`) tokens, PEM private keys, JWTs, `user:password@` in URLs and image references, `password=`/`pwd=` in URL queries | any instruction: `ENV`, `ARG`, `LABEL` values, `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK` arguments and heredocs, `FROM`/`COPY --from`/`ADD` references | always, under any name (a part built from a variable, `https://app:${PW}@db`, is not a literal) |',
      "| **by name**: BuildKit's `SecretsUsedInArgOrEnv` tokens (`password`, `pass`, `pwd`, `passwd`, `passphrase`, `secret`, `token`, `key`, `apikey`, `auth`, `credential(s)`) | `ENV` with a literal value; every `ARG` (its value, default or `--build-arg`, is in the history) | unless the name or the value says it is not a secret (below) |",
      '',
      'Names that are not secrets: containing `public` (BuildKit) or `pub`; .NET hierarchical settings (`Section__Filters__0__Key`); key ids, fingerprints and locations (`GPG_KEY(S)`, `*_KEY_ID`, `*_KEY_URL`, `*_PUBLIC_KEY`, `CACHE_KEY`, `*_FILE`, `*_PATH`, `*_URL`, `*_HASH` …); names ending in a setting word (`_METHOD`, `_POLICY`, `_SECONDS`, `_MAX_DAYS`, `_PROMPT`, `_ALIAS`, `_LENGTH`, `_MODE`, `_TTL`, `_TIMEOUT` …).',
      '',
      'Values that are not secrets (by-name signal only): empty, a variable reference (`${TOKEN}`), a flag (`true`, `off`, `0` …), a number, a duration (`24h`), a path (`/run/secrets/key`, `certs/server.key`), a URL without `user:password@`; under `key`/`auth` names also a key fingerprint (40/16/64 hex) and an enum-like word (`SSH_AUTH=agent`, `KEY=rsa`). A password-like name (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `API_KEY`) keeps a plain word: `POSTGRES_PASSWORD=postgres` is a weak password, not a setting.',
      '',
      'Messages never show the secret: at most the public prefix of a token format, masked (`ghp_****`); snippets and fixes are masked by span (a value that is secret only by its name is masked in its own instruction, not where the same word is ordinary text).',
      '',
      'On a built image (`container-guard inspect`) the same judgement applies to the config `Env` and `Labels` and to the history (`created_by` lines record build arguments and `RUN` command lines).',
      '',
      'Instead, mount the secret for the one step that needs it: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with `docker build --secret id=npm_token,env=NPM_TOKEN`, and pass runtime secrets when the container starts (`docker run -e`, Docker/Kubernetes secrets). If a real credential was committed, rotate it: removing the line does not remove it from pushed images or history.'
    ].join('\n'),
    subjects: ['dockerfile', 'image'],
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
  },
  checkImage({ image, report }) {
    for (const { name, value } of image.env) {
      const matches = findSecretValues(value);
      if (matches.length > 0)
        report({
          message: `the image config's Env ${name} holds ${describe(matches)}: anyone who pulls the image can read it; remove it and rotate the credential`
        });
      else if (isSecretName(name) && notACredentialBecause(name, value) === undefined && !HAS_VARIABLE_RE.test(value))
        report({ message: `the image config's Env ${name} holds a secret-looking literal value: pass it at run time instead, and rotate it` });
    }
    for (const [name, value] of Object.entries(image.labels)) {
      const matches = findSecretValues(value);
      if (matches.length > 0) report({ message: `the image config's label ${name} holds ${describe(matches)}: remove it and rotate the credential` });
    }
    image.history.forEach((h, k) => {
      // `|2 NPM_TOKEN=… /bin/sh -c …`: the build arguments a RUN saw, recorded in the history.
      const args = /^\|\d+\s+((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+)/.exec(h.createdBy)?.[1] ?? '';
      const named = args
        .trim()
        .split(/\s+/)
        .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const)
        .filter(([n, v]) => n && isSecretName(n) && notACredentialBecause(n, v) === undefined && !HAS_VARIABLE_RE.test(v))
        .map(([n]) => n);
      const matches = findSecretValues(h.createdBy);
      if (matches.length === 0 && named.length === 0) return;
      report({
        message: `history step ${k + 1}${h.layer !== undefined ? ` (layer ${h.layer + 1})` : ''} records ${matches.length ? describe(matches) : `the build argument${named.length > 1 ? 's' : ''} ${named.join(', ')}`}: build arguments and RUN lines are kept in the image history; use RUN --mount=type=secret and rotate the credential`
      });
    });
  }
});
