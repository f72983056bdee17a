import { PLATFORM_ARGS } from '../dockerfile/model.js';
import type { Stage } from '../dockerfile/model.js';
import { defineRule } from './types.js';
import { stageAncestry } from './util/misc.js';
import { hasFallback, suggestVariable, variableRefs } from './util/variables.js';

/** Instructions whose arguments the builder expands (RUN, CMD and ENTRYPOINT are expanded by the shell). */
const EXPANDED = new Set(['ADD', 'ARG', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** BuildKit's predefined ARGs: usable in any stage without a declaration. */
// PATH: BuildKit gives every stage (scratch included) the default PATH when its image sets none.
const PREDEFINED = new Set([
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]),
  ...PLATFORM_ARGS,
  'PATH'
]);

/**
 * Environment that common base images set (docker-library official images and the usual distro
 * images): a reference to these in a stage built on an image is not undefined. `*_VERSION` and
 * `*_HOME` names are accepted too, as language images set many of them (NODE_VERSION, JAVA_HOME …).
 */
export const BASE_IMAGE_ENV = [
  'PATH',
  'HOME',
  'HOSTNAME',
  'TERM',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'PWD',
  'SHELL',
  'USER',
  'GOPATH',
  'GOTOOLCHAIN',
  'GOROOT',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'GEM_HOME',
  'BUNDLE_PATH',
  'BUNDLE_APP_CONFIG',
  'BUNDLE_SILENCE_ROOT_WARNING',
  'PHP_INI_DIR',
  'PHPIZE_DEPS',
  'PHP_CFLAGS',
  'PHP_CPPFLAGS',
  'PHP_LDFLAGS',
  'GPG_KEYS',
  'GPG_KEY',
  'PG_MAJOR',
  'PGDATA',
  'MYSQL_MAJOR',
  'NJS_RELEASE',
  'PKG_RELEASE',
  'DYNPKG_RELEASE',
  'HTTPD_PREFIX',
  'CATALINA_HOME',
  'TOMCAT_MAJOR',
  'MAVEN_CONFIG',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONUNBUFFERED',
  'APP_UID',
  'ASPNETCORE_HTTP_PORTS',
  'DOTNET_RUNNING_IN_CONTAINER',
  'DOTNET_VERSION',
  'NB_USER',
  'NB_UID',
  'NB_GID',
  'CONDA_DIR',
  'JENKINS_HOME',
  'REF',
  // sclorg / UBI s2i images
  'APP_ROOT',
  'APP_DATA',
  'STI_SCRIPTS_PATH',
  'STI_SCRIPTS_URL',
  'CONTAINER_SCRIPTS_PATH',
  'PLATFORM',
  'BASH_ENV',
  'ENV',
  'PROMPT_COMMAND',
  // CUDA and GPU images
  'LD_LIBRARY_PATH',
  'LIBRARY_PATH',
  'CPATH',
  'NVIDIA_VISIBLE_DEVICES',
  'NVIDIA_DRIVER_CAPABILITIES'
];
const BASE_IMAGE_PATTERN = /_(VERSION|HOME)$/;
const BASE_IMAGE_SET = new Set(BASE_IMAGE_ENV);

interface Options {
  /** More variables that base images or the build system define. */
  known?: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'undefined-var',
    aliases: ['UndefinedVar'],
    severity: 'warning',
    title: 'Variables should be defined before their use',
    description: [
      'The builder expands `$NAME` in `COPY`, `ADD`, `ENV`, `LABEL`, `WORKDIR`, `USER`, `EXPOSE`, `VOLUME`, `STOPSIGNAL` and `ARG` defaults. A variable that no `ARG` or `ENV` of the stage defines is empty there, silently: `COPY $SRC_DIR /app` copies the whole context, `ENV PATH=$PAHT:/app/bin` loses the `PATH`. BuildKit reports it as `UndefinedVar` and suggests the name you probably meant.',
      '',
      'Defined are: `ARG` and `ENV` earlier in the stage, `ENV` of the stages it builds on, BuildKit’s predefined ARGs (the proxy variables and the platform ARGs), `PATH` (BuildKit gives every stage a default one), and the environment of common base images (`HOME`, the language images’ `*_VERSION` and `*_HOME` …). A global `ARG` (before the first `FROM`) is not in scope inside a stage until the stage declares it again with `ARG NAME`. References with a default or an alternative (`${NAME:-x}`, `${NAME:+x}`) and the references inside them are never reported. Add names your base images or tooling define to the `known` option.',
      '',
      'A stage built on an image inherits that image’s `ENV`, which a Dockerfile linter cannot see: the rule knows the environment of common base images (language images, s2i images’ `APP_ROOT` and `STI_SCRIPTS_PATH`, CUDA images’ `LD_LIBRARY_PATH` …) and takes the rest from the `known` option.'
    ].join('\n'),
    bad: 'FROM alpine:3.20 AS base\nCOPY $foo .',
    good: 'FROM alpine:3.20 AS base\nARG foo\nCOPY $foo .',
    tags: ['correctness'],
    optionsSchema: { type: 'object', properties: { known: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    optionsDoc: '`known`: names of variables defined outside the Dockerfile (by base images or the build system) that are not to be reported.'
  },
  defaultOptions: { known: [] },
  check({ model, options, report }) {
    const known = new Set(options.known ?? []);
    const globals = new Set(model.globalArgs.flatMap((i) => i.pairs.map((p) => p.key)));
    // ENV names each stage ends with, for the stages built on it.
    const envAtEnd = new Map<number, Set<string>>();
    const fromImage = (stage: Stage) => {
      const root = stageAncestry(model, stage).at(-1) ?? stage;
      return !root.from.scratch;
    };
    for (const stage of model.stages) {
      const parent = stage.from.stageRef !== undefined ? envAtEnd.get(stage.from.stageRef) : undefined;
      const env = new Set(parent ?? []);
      const args = new Set<string>();
      const withImage = fromImage(stage);
      const defined = (name: string) =>
        env.has(name) ||
        args.has(name) ||
        PREDEFINED.has(name) ||
        known.has(name) ||
        (withImage && (BASE_IMAGE_SET.has(name) || BASE_IMAGE_PATTERN.test(name)));
      for (const instr of stage.instructions) {
        if (EXPANDED.has(instr.keyword) && instr.heredocs.length === 0) {
          const seen = new Set<string>();
          for (const ref of variableRefs(instr.args, model.escape)) {
            if (hasFallback(ref) || defined(ref.name) || seen.has(ref.name)) continue;
            seen.add(ref.name);
            const line = instr.lineAt(ref.offset);
            if (globals.has(ref.name)) {
              report({
                line,
                column: instr.column,
                message: `Usage of undefined variable '$${ref.name}': the global ARG ${ref.name} is not in scope inside a stage; add ARG ${ref.name} to this stage before line ${instr.line}`
              });
              continue;
            }
            const guess = suggestVariable(ref.name, [...env, ...args, ...(withImage ? BASE_IMAGE_ENV : [])]);
            report({
              line,
              column: instr.column,
              message: `Usage of undefined variable '$${ref.name}'${guess ? ` (did you mean $${guess}?)` : ''}: declare it with ARG or ENV before line ${instr.line}, or add it to the rule's known option if the base image sets it`
            });
          }
        }
        if (instr.keyword === 'ARG') for (const p of instr.pairs) args.add(p.key);
        if (instr.keyword === 'ENV') for (const p of instr.pairs) env.add(p.key);
      }
      envAtEnd.set(stage.index, env);
    }
  }
});
