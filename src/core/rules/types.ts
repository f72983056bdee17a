/**
 * The rule interface, shared by built-in rules and (later) plugins.
 * A rule is metadata plus `check`, which reads the model and reports.
 * Severity overrides, suppressions and ignores are applied once by the
 * engine after all rules ran (as hadolint's fixSeverity does), never in a rule.
 */
import type { DockerfileModel } from '../dockerfile/model.js';
import type { Fix, Severity } from '../finding.js';
import type { ImageModel } from '../image/model.js';
import { oncePerInstruction } from './util/once.js';

export interface RuleMeta {
  /** Stable kebab-case id. */
  id: string;
  /** Equivalent ids: hadolint DLxxxx, Trivy DS-xxxx, Checkov CKV_DOCKER_x / CKV2_DOCKER_x, BuildKit check names. */
  aliases: string[];
  severity: Severity;
  /** False for rules users opt into (e.g. HEALTHCHECK). Defaults to true. */
  enabledByDefault?: boolean;
  /** One line, shown in SARIF shortDescription and rule lists. */
  title: string;
  /** Markdown: why it matters and what to do instead. */
  description: string;
  /** Dockerfile snippet that triggers the rule. */
  bad: string;
  /** The same snippet written correctly. */
  good: string;
  /** Free-form tags: security, best-practice, maintainability, cis:4.x ... */
  tags: string[];
  /** JSON Schema of the rule's options object (omit for none). */
  optionsSchema?: Record<string, unknown>;
  /** Markdown describing the options, for docs. */
  optionsDoc?: string;
  /**
   * Markdown: where the rule deliberately differs from the hadolint, BuildKit, Trivy or Checkov
   * check it is an alias of, and why. Rendered under the fixed heading "Differences from upstream".
   */
  differences?: string;
  /**
   * What the rule judges: Dockerfiles (`check`), built images (`checkImage`), or both. Defaults to
   * `['dockerfile']`. Image-only rules document their examples in `description`.
   */
  subjects?: ('dockerfile' | 'image')[];
  /** Where a rule that is not built in came from: a plugin file or a config file. */
  source?: string;
}

export interface ReportDescriptor {
  line: number;
  column?: number;
  endLine?: number;
  message: string;
  fix?: Fix;
  /**
   * For rules that relay another tool (ShellCheck): the finding's own id, aliases, docs
   * and default severity. A severity set in the config still wins.
   */
  ruleId?: string;
  aliases?: string[];
  help?: string;
  severity?: Severity;
}

/** Results of external tools, computed by the I/O layer before the pure rules run. */
export interface ExternalResults {
  /** ShellCheck comments per RUN instruction index. */
  shellcheck?: Map<number, ShellcheckComment[]>;
  /**
   * What unpinned references point to now (key: `pinKey`, e.g. `docker.io/library/nginx:1.27`), looked up
   * by the I/O layer only when pin suggestions are asked for: lint stays offline by default.
   */
  digests?: ReadonlyMap<string, string>;
  /** The build context's .dockerignore, read by the I/O layer: where it came from and its lines. */
  dockerignore?: { file: string; lines: string[] };
  /**
   * Platforms (`linux/amd64`…) of multi-platform base images, by normalized reference: looked up only
   * when image lookups are allowed (as for pin suggestions).
   */
  imagePlatforms?: ReadonlyMap<string, readonly string[]>;
}

export interface ShellcheckComment {
  /** Dockerfile line and column the comment maps to. */
  line: number;
  column: number;
  endLine: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

export interface RuleContext<O> {
  model: DockerfileModel;
  options: O;
  external: ExternalResults;
  /** `lint.platforms`: the target platforms BuildKit's platform ARGs are resolved for (empty or absent: linux/amd64). */
  platforms?: readonly string[];
  report(descriptor: ReportDescriptor): void;
}

/** A file entry of a layer, as the layer walk saw its tar header. */
export interface ImageFileHeader {
  /** Path in the image, without a leading `/` or `./`. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

/** What a rule wants of an entry: its header only, or also its content (read up to 1 MiB). */
export type ImageInterest = 'header' | 'content';

export interface ImageFile extends ImageFileHeader {
  /** Index of the layer (0 = the base layer) and its digest. */
  layer: number;
  layerDigest: string;
  /** sha256 of the whole content, for regular files a rule asked about. */
  sha256?: string;
  /** The content, when a rule asked for it and it fits the read limit. */
  content?: Uint8Array;
  /** The file was larger than the read limit: `content` is absent. */
  contentTooLarge?: boolean;
  /** A later layer deletes this path (whiteout): the file is still shipped in its own layer. */
  deletedInLayer?: number;
}

export interface ImageReportDescriptor {
  message: string;
  /** The file in the image the finding is about; absent for config and history findings. */
  file?: ImageFile;
  severity?: Severity;
}

export interface ImageRuleContext<O> {
  image: ImageModel;
  /** Every layer entry some enabled rule showed interest in, in layer order. */
  files: readonly ImageFile[];
  options: O;
  report(descriptor: ImageReportDescriptor): void;
}

export interface Rule<O extends object = object> {
  meta: RuleMeta;
  defaultOptions: O;
  check(ctx: RuleContext<O>): void;
  /** Judges a built image (its config, history, and the layer entries it asked for). */
  checkImage?(ctx: ImageRuleContext<O>): void;
  /** Which layer entries the rule wants to see (called for every entry of every layer: keep it cheap). */
  imageInterest?(entry: ImageFileHeader, options: O): ImageInterest | undefined;
}

/**
 * Types `O` from `defaultOptions`, and keeps a rule to one finding per instruction and message
 * (util/once.ts): the same advice twice in one RUN is noise.
 */
export function defineRule<O extends object>(rule: Rule<O>): Rule<O> {
  const check = rule.check;
  if (typeof check !== 'function') return rule;
  return { ...rule, check: (ctx) => check.call(rule, { ...ctx, report: oncePerInstruction(ctx.model, ctx.report) }) };
}

export const DOCS_BASE = 'https://github.com/container-guard/container-guard/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
