/**
 * A local stand-in for GitHub's REST API, for testing the comment action with real parts.
 *
 * - The server listens on 127.0.0.1 (port 0) and plays GitHub for the operations the comment action
 *   uses. Every request and every response it sends is checked against GitHub's published OpenAPI
 *   description (devDependency @octokit/openapi, api.github.com.json): unknown paths, wrong methods,
 *   path/query parameters, request bodies, documented response status and body schemas, and
 *   (strictProperties, default on) properties the description does not document. Each mismatch is a
 *   string in `api.violations`; tests assert it is empty.
 * - The description is parsed once per module registry (one Jest test file) and cached here; JSON
 *   schemas are compiled with Ajv lazily, per operation and status, and only the components they
 *   reference are added. `$ref`s are resolved from the non-dereferenced file, so the 73 MB
 *   api.github.com.deref.json is never needed.
 * - Event payloads come from @octokit/webhooks-examples: real recorded webhooks.
 *
 * Pointing code at the server: pass `baseUrl: api.url` to getOctokit, or set GITHUB_API_URL. Note that
 * @actions/github reads GITHUB_API_URL (and the proxy settings) once, when it is first imported: the
 * env var only works if set before that import, while `baseUrl` works at any time. src/io/github.ts
 * passes `baseUrl: process.env.GITHUB_API_URL` at getClient() time, so setting GITHUB_API_URL before
 * calling it is enough - unless HTTP(S)_PROXY is set when @actions/github is imported, in which case its
 * proxy dispatcher (chosen for api.github.com) also carries the loopback requests. Clear the proxy
 * variables before importing it (see __tests__/github-api.test.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type Format, type ValidateFunction } from 'ajv';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OPENAPI_FILE = path.join(REPO_ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json');
export const WEBHOOK_EXAMPLES_FILE = path.join(REPO_ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json');

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// OpenAPI description: parsing, routing, lazy schema compilation
// ---------------------------------------------------------------------------------------------------

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
}
interface MediaTypeObject {
  schema?: JsonObject;
}
interface RequestBodyObject {
  required?: boolean;
  content?: Record<string, MediaTypeObject>;
}
interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
}
interface RawOperation {
  operationId: string;
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  responses: Record<string, JsonObject>;
  externalDocs?: { url?: string };
}
interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Partial<Record<HttpMethod, RawOperation>> & { parameters?: JsonObject[] }>;
  components: { schemas: Record<string, JsonObject> } & Record<string, Record<string, unknown>>;
}

/** One operation of the description, with its `$ref`s to parameters, bodies and responses resolved. */
export interface Operation {
  operationId: string;
  method: HttpMethod;
  template: string;
  /** GitHub's documentation page for it (used as `documentation_url` in error bodies, as GitHub does). */
  docsUrl: string;
  parameters: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Map<string, ResponseObject>;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

export type RouteMatch =
  | { kind: 'operation'; op: Operation; params: Record<string, string> }
  | { kind: 'unknown-path' }
  | { kind: 'wrong-method'; template: string; allowed: string[] };

const SCHEMA_BASE = 'https://api.github.com/openapi/components/schemas/';
const DOCS_ROOT = 'https://docs.github.com/rest';
/** OpenAPI annotations Ajv has no use for (their values may hold anything). */
const DROPPED_KEYWORDS = new Set(['description', 'example', 'examples', 'externalDocs', 'xml', 'title', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
/** Keywords whose value is data, not schema. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'required']);

const FORMATS: Record<string, Format> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  email: /^[^\s@]+@[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) }
};

export interface OpenApiStats {
  /** Description version (info.version) and OpenAPI version. */
  version: string;
  /** Reading and parsing api.github.com.json, building the route table. */
  loadMs: number;
  /** Each compiled validator: operation + what (request body, parameter, response status). */
  compiled: Array<{ key: string; ms: number }>;
  /** Component schemas added to Ajv so far (only those the compiled validators reference). */
  components: number;
}

function decodePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Ajv errors as short lines; drops the "must be null" noise of the nullable wrappers. */
function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  const lines = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'type' && e.params.type === 'null') continue;
    if (e.keyword === 'anyOf' && (errors?.length ?? 0) > 1) continue;
    let detail = '';
    if (e.keyword === 'enum') detail = ` ${JSON.stringify(e.params.allowedValues)}`;
    if (e.keyword === 'additionalProperties') detail = ` (${String(e.params.additionalProperty)})`;
    lines.add(`${where}${e.instancePath} ${e.message ?? 'is invalid'}${detail}`);
    if (lines.size >= 6) break;
  }
  return [...lines];
}

/** GitHub's own wording for a request body its JSON schema check rejects ("Invalid request. ..."). */
function githubSchemaMessage(errors: ErrorObject[] | null | undefined): string {
  const lines: string[] = [];
  for (const e of errors ?? []) {
    if (e.keyword === 'type' && e.params.type === 'null') continue;
    const prop = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((p) => `properties/${p}`)
      .join('/');
    if (e.keyword === 'required') lines.push(`"${String(e.params.missingProperty)}" wasn't supplied.`);
    else if (e.keyword === 'type')
      lines.push(`For '${prop}', ${JSON.stringify(e.data)} is not ${/^[aeiou]/.test(String(e.params.type)) ? 'an' : 'a'} ${String(e.params.type)}.`);
    else if (e.keyword === 'enum') lines.push(`For '${prop}', ${JSON.stringify(e.data)} is not a member of ${JSON.stringify(e.params.allowedValues)}.`);
    else lines.push(`For '${prop}', ${e.message ?? 'is invalid'}.`);
  }
  return `Invalid request.\n\n${[...new Set(lines)].join('\n')}`;
}

/** Turns a string from a URL into the JSON type its parameter schema asks for. */
function coerceParam(value: string, schema: JsonObject | undefined): unknown {
  const t = schema?.type;
  const types = Array.isArray(t) ? t : [t];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('array')) return value.split(',');
  return value;
}

export class OpenApi {
  readonly doc: OpenApiDocument;
  readonly loadMs: number;
  readonly compiled: Array<{ key: string; ms: number }> = [];
  private readonly routes: Route[] = [];
  private readonly ajv: Ajv;
  private readonly knownFormats = new Set(Object.keys(FORMATS));
  /** Transformed component schemas (also used for the undocumented-property walk). */
  private readonly components = new Map<string, JsonObject>();
  private readonly validators = new Map<string, { fn: ValidateFunction; schema: JsonObject }>();
  private readonly operations = new Map<string, Operation | null>();

  constructor(file = OPENAPI_FILE) {
    const t0 = performance.now();
    this.doc = JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
    for (const template of Object.keys(this.doc.paths)) {
      const names: string[] = [];
      let literalSegments = 0;
      const source = template
        .split('/')
        .map((segment) => {
          if (!segment.includes('{')) {
            literalSegments++;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          return segment.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, literal: string | undefined) => {
            if (name) {
              names.push(name);
              return '([^/]+?)';
            }
            return (literal ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          });
        })
        .join('/');
      this.routes.push({ template, regex: new RegExp(`^${source}$`), names, literalSegments });
    }
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, formats: FORMATS });
    this.loadMs = performance.now() - t0;
  }

  stats(): OpenApiStats {
    return {
      version: `${this.doc.info.version} (OpenAPI ${this.doc.openapi})`,
      loadMs: this.loadMs,
      compiled: [...this.compiled],
      components: this.components.size
    };
  }

  /** Follows local `$ref`s (`#/components/...`) of the description. */
  deref<T>(node: unknown): T {
    let cur = node;
    for (let i = 0; i < 20 && isObject(cur) && typeof cur.$ref === 'string'; i++) {
      const ref = cur.$ref;
      if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
      let target: unknown = this.doc;
      for (const seg of ref.slice(2).split('/')) target = isObject(target) ? target[decodePointer(seg)] : undefined;
      if (target === undefined) throw new Error(`dangling $ref ${ref}`);
      cur = target;
    }
    return cur as T;
  }

  operation(method: string, template: string): Operation | undefined {
    const key = `${method} ${template}`;
    if (this.operations.has(key)) return this.operations.get(key) ?? undefined;
    const item = this.doc.paths[template];
    const raw = item?.[method as HttpMethod];
    if (!item || !raw) {
      this.operations.set(key, null);
      return undefined;
    }
    const params = new Map<string, ParameterObject>();
    for (const p of [...(item.parameters ?? []), ...(raw.parameters ?? [])]) {
      const param = this.deref<ParameterObject>(p);
      params.set(`${param.in}:${param.name}`, param);
    }
    const op: Operation = {
      operationId: raw.operationId,
      method: method as HttpMethod,
      template,
      docsUrl: raw.externalDocs?.url ?? DOCS_ROOT,
      parameters: [...params.values()],
      requestBody: raw.requestBody ? this.deref<RequestBodyObject>(raw.requestBody) : undefined,
      responses: new Map(Object.entries(raw.responses).map(([status, r]) => [status, this.deref<ResponseObject>(r)]))
    };
    this.operations.set(key, op);
    return op;
  }

  match(method: string, pathname: string): RouteMatch {
    let best: { route: Route; values: string[] } | undefined;
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      if (m && (!best || route.literalSegments > best.route.literalSegments)) best = { route, values: m.slice(1) };
    }
    if (!best) return { kind: 'unknown-path' };
    const op = this.operation(method, best.route.template);
    if (!op) {
      const item = this.doc.paths[best.route.template];
      return { kind: 'wrong-method', template: best.route.template, allowed: HTTP_METHODS.filter((m) => item[m]).map((m) => m.toUpperCase()) };
    }
    const params: Record<string, string> = {};
    best.route.names.forEach((name, i) => (params[name] = safeDecode(best.values[i])));
    return { kind: 'operation', op, params };
  }

  /** A compiled validator for a schema of the description, compiled on first use. */
  validator(key: string, schema: JsonObject): { fn: ValidateFunction; schema: JsonObject } {
    let v = this.validators.get(key);
    if (!v) {
      const t0 = performance.now();
      const tx = this.transform(schema) as JsonObject;
      v = { fn: this.ajv.compile(tx), schema: tx };
      this.validators.set(key, v);
      this.compiled.push({ key, ms: performance.now() - t0 });
    }
    return v;
  }

  /** Validates data against a schema; returns violation lines (schema errors and, if strict, undocumented properties). */
  check(key: string, schema: JsonObject, data: unknown, where: string, strict: boolean): string[] {
    const v = this.validator(key, schema);
    const out = v.fn(data) ? [] : formatErrors(where, v.fn.errors);
    if (strict) {
      const extra: string[] = [];
      this.undocumented(v.schema, data, '', extra, 0);
      for (const p of extra.slice(0, 10)) out.push(`${where}${p} is not a documented property`);
    }
    return out;
  }

  /** The schema of the basic-error component (for error statuses an operation does not list). */
  basicErrorSchema(): JsonObject {
    return { $ref: '#/components/schemas/basic-error' };
  }

  /** OpenAPI 3.0 schema → JSON schema Ajv understands; adds the components it references. */
  private transform(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.transform(n));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.$ref = this.refTarget(v);
      else if (DROPPED_KEYWORDS.has(k) || k.startsWith('x-')) continue;
      else if (SCHEMA_MAPS.has(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, this.transform(s)]));
      else if (DATA_KEYWORDS.has(k)) out[k] = v;
      else out[k] = this.transform(v);
    }
    if (typeof out.format === 'string' && !this.knownFormats.has(out.format)) {
      this.knownFormats.add(out.format);
      this.ajv.addFormat(out.format, true);
    }
    for (const [bound, ex] of [
      ['minimum', 'exclusiveMinimum'],
      ['maximum', 'exclusiveMaximum']
    ] as const) {
      if (typeof out[ex] === 'boolean') {
        if (out[ex]) out[ex] = out[bound];
        else delete out[ex];
        if (out[ex] !== undefined) delete out[bound];
      }
    }
    // Ajv cannot use discriminator mappings; the oneOf branches of GitHub's descriptions may overlap
    // (private-user is also a public-user), which is what the discriminator settles: accept any branch.
    if (out.discriminator !== undefined) {
      delete out.discriminator;
      if (Array.isArray(out.oneOf)) {
        out.anyOf = out.oneOf;
        delete out.oneOf;
      }
    }
    if (out.nullable === true) {
      delete out.nullable;
      if (typeof out.type === 'string' || Array.isArray(out.type)) {
        const types = Array.isArray(out.type) ? out.type : [out.type];
        if (!types.includes('null')) out.type = [...types, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else {
        const rest = { ...out };
        for (const k of Object.keys(out)) delete out[k];
        out.anyOf = [{ type: 'null' }, rest];
      }
    } else delete out.nullable;
    return out;
  }

  private refTarget(ref: string): string {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unsupported schema $ref ${ref}`);
    const name = decodePointer(m[1]);
    this.ensureComponent(name);
    return SCHEMA_BASE + encodeURIComponent(name);
  }

  private ensureComponent(name: string): void {
    if (this.components.has(name)) return;
    const raw = this.doc.components.schemas[name];
    if (!raw) throw new Error(`unknown schema component ${name}`);
    const slot: JsonObject = {};
    this.components.set(name, slot); // before transforming: components may reference themselves
    Object.assign(slot, this.transform(raw));
    this.ajv.addSchema({ ...slot, $id: SCHEMA_BASE + encodeURIComponent(name) });
  }

  private resolveTx(schema: JsonObject): JsonObject | undefined {
    if (typeof schema.$ref !== 'string' || !schema.$ref.startsWith(SCHEMA_BASE)) return undefined;
    return this.components.get(decodeURIComponent(schema.$ref.slice(SCHEMA_BASE.length)));
  }

  /** The schema and everything it is combined with (allOf/anyOf/oneOf, $ref), flattened. */
  private branches(schema: JsonObject, seen: Set<JsonObject>): JsonObject[] {
    if (seen.has(schema)) return [];
    seen.add(schema);
    const out = [schema];
    const target = this.resolveTx(schema);
    if (target) out.push(...this.branches(target, seen));
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const subs = schema[key];
      if (Array.isArray(subs)) for (const s of subs) if (isObject(s)) out.push(...this.branches(s, seen));
    }
    return out;
  }

  /** Properties of data that no schema branch documents (only where the schema lists properties). */
  private undocumented(schema: JsonObject, data: unknown, at: string, out: string[], depth: number): void {
    if (depth > 40) return;
    const branches = this.branches(schema, new Set());
    if (Array.isArray(data)) {
      const items = branches.map((b) => b.items).filter(isObject);
      if (items.length) data.forEach((d, i) => this.undocumented({ anyOf: items }, d, `${at}/${i}`, out, depth + 1));
      return;
    }
    if (!isObject(data)) return;
    const props = new Map<string, JsonObject[]>();
    let listed = false;
    let open = false;
    for (const b of branches) {
      if (isObject(b.properties)) {
        listed = true;
        for (const [k, v] of Object.entries(b.properties)) if (isObject(v)) props.set(k, [...(props.get(k) ?? []), v]);
      }
      if (b.additionalProperties === true || isObject(b.additionalProperties) || b.patternProperties !== undefined) open = true;
    }
    if (!listed) return;
    for (const [k, v] of Object.entries(data)) {
      const defs = props.get(k);
      if (defs) this.undocumented({ anyOf: defs }, v, `${at}/${k}`, out, depth + 1);
      else if (!open) out.push(`${at}/${k}`);
    }
  }
}

let openApiCache: OpenApi | undefined;

/** The parsed description, shared by every server of this module registry (one Jest test file). */
export function openApi(): OpenApi {
  openApiCache ??= new OpenApi();
  return openApiCache;
}

/** Load and compile timings so far. */
export function openApiStats(): OpenApiStats {
  return openApi().stats();
}

// ---------------------------------------------------------------------------------------------------
// Unified diffs: which lines of a PR file a review comment can be attached to
// ---------------------------------------------------------------------------------------------------

export interface PatchLine {
  /** GitHub's "position": 0 is the first @@ header; every following line (headers included) counts. */
  position: number;
  kind: '@' | ' ' | '+' | '-' | '\\';
  oldLine: number | null;
  newLine: number | null;
  hunk: number;
  /** Index (in the returned array) of this line's hunk header. */
  hunkStart: number;
  text: string;
}

export function parsePatch(patch: string): PatchLine[] {
  const out: PatchLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let hunk = -1;
  let hunkStart = 0;
  const lines = patch.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const text of lines) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      hunk++;
      hunkStart = out.length;
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      out.push({ position: out.length, kind: '@', oldLine: null, newLine: null, hunk, hunkStart, text });
      continue;
    }
    if (hunk < 0) continue;
    const c = text[0];
    if (c === '+') out.push({ position: out.length, kind: '+', oldLine: null, newLine: newLine++, hunk, hunkStart, text });
    else if (c === '-') out.push({ position: out.length, kind: '-', oldLine: oldLine++, newLine: null, hunk, hunkStart, text });
    else if (c === '\\') out.push({ position: out.length, kind: '\\', oldLine: null, newLine: null, hunk, hunkStart, text });
    else out.push({ position: out.length, kind: ' ', oldLine: oldLine++, newLine: newLine++, hunk, hunkStart, text });
  }
  return out;
}

type Side = 'LEFT' | 'RIGHT';

export interface Anchor {
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  position?: number;
}

export type ResolvedAnchor =
  | { ok: true; line: number; side: Side; startLine: number | null; startSide: Side | null; position: number; diffHunk: string }
  | { ok: false; field: 'line' | 'start_line' };

function findLine(lines: PatchLine[], side: string, line: number): PatchLine | undefined {
  if (side === 'RIGHT') return lines.find((l) => l.newLine === line && (l.kind === '+' || l.kind === ' '));
  if (side === 'LEFT') return lines.find((l) => l.oldLine === line && (l.kind === '-' || l.kind === ' '));
  return undefined;
}

/** Resolves a review comment's anchor (line/side[/start_line/start_side] or legacy position) in a file's patch. */
export function resolveAnchor(patch: string | undefined, anchor: Anchor): ResolvedAnchor {
  if (!patch) return { ok: false, field: 'line' };
  const lines = parsePatch(patch);
  let end: PatchLine | undefined;
  let side: Side;
  if (anchor.line !== undefined) {
    side = (anchor.side ?? 'RIGHT') as Side;
    end = findLine(lines, side, anchor.line);
  } else if (anchor.position !== undefined) {
    end = lines.find((l) => l.position === anchor.position && (l.kind === '+' || l.kind === '-' || l.kind === ' '));
    side = end?.kind === '-' ? 'LEFT' : 'RIGHT';
  } else return { ok: false, field: 'line' };
  if (!end) return { ok: false, field: 'line' };
  let startLine: number | null = null;
  let startSide: Side | null = null;
  if (anchor.start_line !== undefined) {
    startSide = (anchor.start_side ?? side) as Side;
    const start = findLine(lines, startSide, anchor.start_line);
    if (!start || start.hunk !== end.hunk || start.position >= end.position) return { ok: false, field: 'start_line' };
    startLine = anchor.start_line;
  }
  const line = (side === 'LEFT' ? end.oldLine : end.newLine) as number;
  const diffHunk = lines
    .slice(end.hunkStart, end.position + 1)
    .map((l) => l.text)
    .join('\n');
  return { ok: true, line, side, startLine, startSide, position: end.position, diffHunk };
}

/** "a, b, and c", as GitHub joins several review-comment errors into one message. */
function toSentence(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

export type AuthorAssociation = 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIMER' | 'FIRST_TIME_CONTRIBUTOR' | 'MANNEQUIN' | 'MEMBER' | 'NONE' | 'OWNER';
export type DiffStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface IssueCommentState {
  id: number;
  body: string;
  /** Login of the author. */
  user: string;
  authorAssociation: AuthorAssociation;
  createdAt: string;
  updatedAt: string;
}

export interface PullFileState {
  filename: string;
  status: DiffStatus;
  patch?: string;
  previousFilename?: string;
  additions: number;
  deletions: number;
  changes: number;
  /** Blob SHA. */
  sha: string;
}

export interface ReviewState {
  id: number;
  user: string;
  body: string;
  state: 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED';
  commitId: string;
  submittedAt?: string;
}

export interface ReviewCommentState {
  id: number;
  reviewId: number;
  user: string;
  body: string;
  path: string;
  subjectType: 'line' | 'file';
  line: number | null;
  side: Side | null;
  startLine: number | null;
  startSide: Side | null;
  position: number | null;
  diffHunk: string;
  commitId: string;
  originalCommitId: string;
  inReplyToId?: number;
  createdAt: string;
  updatedAt: string;
}

interface IssueBase {
  /** Issue/PR number. */
  number: number;
  /** Database id of the issue (PRs have their own, `pullId`). */
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  /** Issue comments (a PR is an issue: its conversation comments live here). */
  comments: IssueCommentState[];
}

export interface IssueState extends IssueBase {
  kind: 'issue';
}

export interface PullRequestState extends IssueBase {
  kind: 'pull';
  pullId: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /** `owner/name` of the head repository (differs from the base for fork PRs). */
  headRepo: string;
  draft: boolean;
  /** Files of the head commit (GET .../pulls/{n}/files). */
  files: PullFileState[];
  /** Files per pushed head commit, oldest first (review comments may target an older commit_id). */
  commits: Map<string, PullFileState[]>;
  reviews: ReviewState[];
  reviewComments: ReviewCommentState[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  ownerType: 'User' | 'Organization';
  private: boolean;
  fork: boolean;
  defaultBranch: string;
  createdAt: string;
  issues: Map<number, IssueState | PullRequestState>;
}

export interface GitHubApiState {
  /** Keyed by lower-cased `owner/name` (GitHub's names are case-insensitive). */
  repos: Map<string, RepoState>;
}

export interface FileSeed {
  filename: string;
  status?: DiffStatus;
  /** Unified diff hunks as the API returns them (absent for binary or very large files). */
  patch?: string;
  previousFilename?: string;
}

export interface PullRequestSeed {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  files?: FileSeed[];
  title?: string;
  body?: string | null;
  author?: string;
  headRef?: string;
  baseRef?: string;
  baseSha?: string;
  /** For fork PRs: the head repository (`owner/name`), created as a fork. */
  headRepo?: string;
  draft?: boolean;
  private?: boolean;
}

export interface IssueCommentSeed {
  owner: string;
  repo: string;
  /** Issue or PR number. */
  number: number;
  body: string;
  /** Author login; default: the token's login (options.login). */
  user?: string;
  authorAssociation?: AuthorAssociation;
  createdAt?: string;
}

export interface ReviewCommentSeed {
  owner: string;
  repo: string;
  number: number;
  path: string;
  body: string;
  line: number;
  side?: Side;
  startLine?: number;
  user?: string;
}

// ---------------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------------

export interface LoggedRequest {
  method: string;
  /** Path as requested (may be GitHub's /repositories/{id}/… form from a Link header). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (raw text if it was not JSON). */
  body: unknown;
  headers: Record<string, string>;
  /** 0 until the response is sent. */
  status: number;
  operationId?: string;
  /** The OpenAPI path template it matched. */
  route?: string;
  /** Answered by failNext(). */
  injected?: boolean;
}

export interface Failure {
  status: number;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
  message?: string;
  /** 403/429: 'secondary' (default; "You have exceeded a secondary rate limit") or 'primary' (x-ratelimit-remaining: 0). */
  rateLimit?: 'primary' | 'secondary';
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. the HTML GitHub's edge sends with some 502s). */
  rawBody?: string;
  /** Only requests matching this are failed (default: any operation). */
  match?: { method?: string; path?: string | RegExp; operationId?: string };
  /** The request takes effect (state changes) but the client receives the failure, as after a gateway timeout. */
  afterEffect?: boolean;
}

export type Latency = number | ((request: { method: string; path: string }) => number);

export interface GitHubApiOptions {
  /** Required token; requests without `authorization: token <t>` / `Bearer <t>` get 401. Default: any or none accepted. */
  token?: string;
  /** Who the token authenticates as. Default `github-actions[bot]` (a GITHUB_TOKEN). */
  login?: string;
  /** Writes (POST/PATCH/PUT/DELETE) get 403 "Resource not accessible by integration", as for fork PRs' tokens. */
  readOnly?: boolean;
  /** Delay before each request is handled (ms). */
  latencyMs?: Latency;
  /** html_url base. Default https://github.com. */
  serverUrl?: string;
  /** Link headers as GitHub sends them (`/repositories/{id}/…`, default) or with `/repos/{owner}/{repo}/…`. */
  linkStyle?: 'repositories' | 'repos';
  /** Report response and request-body properties the description does not document. Default true. */
  strictProperties?: boolean;
  /** Clock for created_at/updated_at. */
  now?: () => Date;
  /** Rewrites a response body before it is validated and sent (to test the validator itself). */
  tamperResponse?: (operationId: string, status: number, body: unknown) => unknown;
}

export interface GitHubApi {
  /** Base URL (http://127.0.0.1:port): GITHUB_API_URL / Octokit baseUrl. */
  readonly url: string;
  readonly state: GitHubApiState;
  readonly requests: LoggedRequest[];
  /** Every request or response that does not match the OpenAPI description. */
  readonly violations: string[];
  /** Login the token authenticates as. */
  readonly login: string;
  close(): Promise<void>;
  addIssue(seed: { owner: string; repo: string; number: number; title?: string; author?: string }): IssueState;
  addPullRequest(seed: PullRequestSeed): PullRequestState;
  /** A new head commit (synchronize): later GET .../files answer with these files. */
  pushCommit(seed: { owner: string; repo: string; number: number; headSha: string; files: FileSeed[] }): PullRequestState;
  addIssueComment(seed: IssueCommentSeed): IssueCommentState;
  /** A review comment (in its own review, as GitHub does for single comments); throws if the line is not in the diff. */
  addReviewComment(seed: ReviewCommentSeed): ReviewCommentState;
  pullRequest(owner: string, repo: string, number: number): PullRequestState;
  issue(owner: string, repo: string, number: number): IssueState | PullRequestState;
  /** The next n matching requests fail with this status. */
  failNext(n: number, failure: Failure): void;
  setLatency(latency: Latency): void;
  /** Environment for an action run against this server (writes the event file when a payload is given). */
  actionEnv(options?: { payload?: unknown; eventName?: string; repository?: string; token?: string; sha?: string }): Record<string, string>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
}

interface Call {
  op: Operation;
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  media: 'raw' | 'text' | 'html' | 'full';
  /** Resolved pathname (/repos/… form). */
  pathname: string;
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const ACTIONS_BOT = 'github-actions[bot]';
const KNOWN_USER_IDS: Record<string, number> = { 'github-actions[bot]': 41898282, octocat: 583231, Codertocat: 21031067 };
const BODY_LIMIT = 65536;

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

/** GitHub's legacy global node IDs: base64("0<len>:<Type><id>"), e.g. MDEyOklzc3VlQ29tbWVudDE= for IssueComment 1. */
function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

function userId(login: string): number {
  return KNOWN_USER_IDS[login] ?? 1_000_000 + (parseInt(hash(login).slice(0, 8), 16) % 90_000_000);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function countPatch(patch: string | undefined): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const l of patch ? parsePatch(patch) : []) {
    if (l.kind === '+') additions++;
    if (l.kind === '-') deletions++;
  }
  return { additions, deletions };
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

class FakeGitHub implements GitHubApi {
  url = '';
  readonly state: GitHubApiState = { repos: new Map() };
  readonly requests: LoggedRequest[] = [];
  readonly violations: string[] = [];
  readonly login: string;
  private readonly spec = openApi();
  private readonly server: http.Server;
  private readonly serverUrl: string;
  private readonly failures: Array<Failure & { remaining: number }> = [];
  private latency: Latency;
  private ids = {
    repo: 1_296_268,
    issue: 1_500_000_000,
    pull: 1_900_000_000,
    issueComment: 2_100_000_000,
    review: 2_500_000_000,
    reviewComment: 1_700_000_000
  };
  private rateUsed = 0;
  private closed = false;

  constructor(private readonly options: GitHubApiOptions) {
    this.login = options.login ?? ACTIONS_BOT;
    this.serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/$/, '');
    this.latency = options.latencyMs ?? 0;
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => {
        this.violations.push(`fake GitHub crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Server Error' }));
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ----- seeding and inspection -----

  private now(): string {
    return iso(this.options.now?.() ?? new Date());
  }

  private repoState(owner: string, name: string, create = true, fork = false): RepoState {
    const key = `${owner}/${name}`.toLowerCase();
    let repo = this.state.repos.get(key);
    if (!repo && create) {
      repo = {
        id: ++this.ids.repo,
        owner,
        name,
        ownerType: 'User',
        private: false,
        fork,
        defaultBranch: 'main',
        createdAt: '2024-01-02T03:04:05Z',
        issues: new Map()
      };
      this.state.repos.set(key, repo);
    }
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  addIssue(seed: { owner: string; repo: string; number: number; title?: string; author?: string }): IssueState {
    const repo = this.repoState(seed.owner, seed.repo);
    if (repo.issues.has(seed.number)) throw new Error(`${seed.owner}/${seed.repo}#${seed.number} exists`);
    const now = this.now();
    const issue: IssueState = {
      kind: 'issue',
      number: seed.number,
      id: ++this.ids.issue,
      title: seed.title ?? `Issue ${seed.number}`,
      body: null,
      author: seed.author ?? 'octocat',
      state: 'open',
      createdAt: now,
      updatedAt: now,
      comments: []
    };
    repo.issues.set(seed.number, issue);
    return issue;
  }

  private fileStates(files: FileSeed[] | undefined): PullFileState[] {
    return (files ?? []).map((f) => {
      const { additions, deletions } = countPatch(f.patch);
      const status = f.status ?? (f.patch?.startsWith('@@ -0,0 ') ? 'added' : 'modified');
      return {
        filename: f.filename,
        status,
        patch: f.patch,
        previousFilename: f.previousFilename,
        additions,
        deletions,
        changes: additions + deletions,
        sha: hash(`${f.filename}\n${f.patch ?? ''}`)
      };
    });
  }

  addPullRequest(seed: PullRequestSeed): PullRequestState {
    const repo = this.repoState(seed.owner, seed.repo);
    if (seed.private !== undefined) repo.private = seed.private;
    if (repo.issues.has(seed.number)) throw new Error(`${seed.owner}/${seed.repo}#${seed.number} exists`);
    let headRepo = `${repo.owner}/${repo.name}`;
    if (seed.headRepo) {
      const [o, n] = seed.headRepo.split('/');
      const fork = this.repoState(o, n, true, true);
      headRepo = `${fork.owner}/${fork.name}`;
    }
    const files = this.fileStates(seed.files);
    const now = this.now();
    const pr: PullRequestState = {
      kind: 'pull',
      number: seed.number,
      id: ++this.ids.issue,
      pullId: ++this.ids.pull,
      title: seed.title ?? `Pull request ${seed.number}`,
      body: seed.body ?? null,
      author: seed.author ?? 'octocat',
      state: 'open',
      createdAt: now,
      updatedAt: now,
      comments: [],
      headSha: seed.headSha,
      headRef: seed.headRef ?? `feature-${seed.number}`,
      baseRef: seed.baseRef ?? repo.defaultBranch,
      baseSha: seed.baseSha ?? hash(`base ${seed.headSha}`),
      headRepo,
      draft: seed.draft ?? false,
      files,
      commits: new Map([[seed.headSha, files]]),
      reviews: [],
      reviewComments: []
    };
    repo.issues.set(seed.number, pr);
    return pr;
  }

  pushCommit(seed: { owner: string; repo: string; number: number; headSha: string; files: FileSeed[] }): PullRequestState {
    const pr = this.pullRequest(seed.owner, seed.repo, seed.number);
    pr.headSha = seed.headSha;
    pr.files = this.fileStates(seed.files);
    pr.commits.set(seed.headSha, pr.files);
    pr.updatedAt = this.now();
    return pr;
  }

  issue(owner: string, repo: string, number: number): IssueState | PullRequestState {
    const issue = this.repoState(owner, repo, false).issues.get(number);
    if (!issue) throw new Error(`no issue ${owner}/${repo}#${number}`);
    return issue;
  }

  pullRequest(owner: string, repo: string, number: number): PullRequestState {
    const issue = this.issue(owner, repo, number);
    if (issue.kind !== 'pull') throw new Error(`${owner}/${repo}#${number} is not a pull request`);
    return issue;
  }

  private association(repo: RepoState, login: string): AuthorAssociation {
    return login.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : 'NONE';
  }

  addIssueComment(seed: IssueCommentSeed): IssueCommentState {
    const repo = this.repoState(seed.owner, seed.repo, false);
    const issue = this.issue(seed.owner, seed.repo, seed.number);
    const user = seed.user ?? this.login;
    const at = seed.createdAt ?? this.now();
    const comment: IssueCommentState = {
      id: ++this.ids.issueComment,
      body: seed.body,
      user,
      authorAssociation: seed.authorAssociation ?? this.association(repo, user),
      createdAt: at,
      updatedAt: at
    };
    issue.comments.push(comment);
    return comment;
  }

  addReviewComment(seed: ReviewCommentSeed): ReviewCommentState {
    const pr = this.pullRequest(seed.owner, seed.repo, seed.number);
    const file = pr.files.find((f) => f.filename === seed.path);
    const r = resolveAnchor(file?.patch, { line: seed.line, side: seed.side, start_line: seed.startLine });
    if (!file || !r.ok) throw new Error(`${seed.path}:${seed.line} is not part of the diff of ${seed.owner}/${seed.repo}#${seed.number}`);
    const user = seed.user ?? this.login;
    const now = this.now();
    const review: ReviewState = { id: ++this.ids.review, user, body: '', state: 'COMMENTED', commitId: pr.headSha, submittedAt: now };
    pr.reviews.push(review);
    const comment = this.newReviewComment(review, user, seed.path, seed.body, r, now);
    pr.reviewComments.push(comment);
    return comment;
  }

  private newReviewComment(review: ReviewState, user: string, filePath: string, body: string, r: ResolvedAnchor | null, now: string): ReviewCommentState {
    const anchored = r && r.ok ? r : null;
    return {
      id: ++this.ids.reviewComment,
      reviewId: review.id,
      user,
      body,
      path: filePath,
      subjectType: anchored ? 'line' : 'file',
      line: anchored?.line ?? null,
      side: anchored?.side ?? null,
      startLine: anchored?.startLine ?? null,
      startSide: anchored?.startSide ?? null,
      position: anchored?.position ?? null,
      diffHunk: anchored?.diffHunk ?? '',
      commitId: review.commitId,
      originalCommitId: review.commitId,
      createdAt: now,
      updatedAt: now
    };
  }

  failNext(n: number, failure: Failure): void {
    this.failures.push({ ...failure, remaining: n });
  }

  setLatency(latency: Latency): void {
    this.latency = latency;
  }

  actionEnv(options: { payload?: unknown; eventName?: string; repository?: string; token?: string; sha?: string } = {}): Record<string, string> {
    const env: Record<string, string> = {
      GITHUB_API_URL: this.url,
      GITHUB_SERVER_URL: this.serverUrl,
      GITHUB_GRAPHQL_URL: `${this.url}/graphql`
    };
    if (options.eventName) env.GITHUB_EVENT_NAME = options.eventName;
    if (options.payload !== undefined) env.GITHUB_EVENT_PATH = writeEventFile(options.payload);
    const p = options.payload as { repository?: { full_name?: string }; pull_request?: { head?: { sha?: string } } } | undefined;
    const repository = options.repository ?? p?.repository?.full_name;
    if (repository) env.GITHUB_REPOSITORY = repository;
    const sha = options.sha ?? p?.pull_request?.head?.sha;
    if (sha) env.GITHUB_SHA = sha;
    const token = options.token ?? this.options.token;
    if (token) env.GITHUB_TOKEN = token;
    return env;
  }

  // ----- request processing -----

  private violation(text: string): void {
    this.violations.push(text);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toLowerCase();
    const latency = typeof this.latency === 'function' ? this.latency({ method: method.toUpperCase(), path: url.pathname }) : this.latency;
    if (latency > 0) await sleep(latency);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown = undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const entry: LoggedRequest = {
      method: method.toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: { ...headers, ...(headers.authorization ? { authorization: headers.authorization.replace(/\s.*/, ' ***') } : {}) },
      status: 0
    };
    this.requests.push(entry);
    const reply = this.dispatch(method, url, raw, body, headers, entry);
    entry.status = reply.status;
    this.rateUsed++;
    const out: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `C0DE:${this.requests.length.toString(16).toUpperCase()}:${(this.rateUsed * 7919).toString(16).toUpperCase()}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - this.rateUsed)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(this.rateUsed),
      'x-ratelimit-resource': 'core',
      ...reply.headers
    };
    let payload = '';
    if (reply.raw !== undefined) {
      payload = reply.raw;
      out['content-type'] ??= 'text/html; charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      out['content-type'] = 'application/json; charset=utf-8';
    }
    out['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, out);
    res.end(payload);
  }

  private dispatch(method: string, url: URL, raw: string, body: unknown, headers: Record<string, string>, entry: LoggedRequest): Reply {
    const label = `${method.toUpperCase()} ${url.pathname}`;
    let pathname = url.pathname;
    // GitHub's Link headers use /repositories/{id}/…; resolve them as GitHub does.
    const alias = /^\/repositories\/(\d+)(\/.*)$/.exec(pathname);
    if (alias) {
      const repo = [...this.state.repos.values()].find((r) => r.id === Number(alias[1]));
      if (repo) pathname = `/repos/${repo.owner}/${repo.name}${alias[2]}`;
    }
    const m = this.spec.match(method, pathname);
    if (m.kind === 'unknown-path') {
      this.violation(`${label}: no such path in GitHub's OpenAPI description`);
      return this.error(undefined, 404, 'Not Found');
    }
    if (m.kind === 'wrong-method') {
      this.violation(`${label}: ${method.toUpperCase()} is not an operation of ${m.template} (it has ${m.allowed.join(', ')})`);
      return this.error(undefined, 404, 'Not Found');
    }
    const op = m.op;
    entry.operationId = op.operationId;
    entry.route = op.template;
    const where = `${label} (${op.operationId})`;
    const strict = this.options.strictProperties ?? true;

    // --- request validation ---
    let reject: Reply | undefined;
    for (const p of op.parameters) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      const value = p.in === 'path' ? m.params[p.name] : url.searchParams.get(p.name);
      if (value === null || value === undefined) {
        if (p.required) {
          this.violation(`${where}: required ${p.in} parameter "${p.name}" is missing`);
          reject ??= this.error(op, 422, `Invalid request.\n\n"${p.name}" wasn't supplied.`);
        }
        continue;
      }
      // Parameter schemas repeat across operations (owner, repo, per_page…): one validator per distinct schema.
      const errs = this.spec.check(
        `parameter ${JSON.stringify(p.schema ?? {})}`,
        p.schema ?? {},
        coerceParam(value, p.schema),
        `${p.in} parameter ${p.name}`,
        false
      );
      if (errs.length) {
        for (const e of errs) this.violation(`${where}: ${e} (got ${JSON.stringify(value)})`);
        reject ??= p.in === 'path' ? this.error(undefined, 404, 'Not Found') : this.error(op, 422, `Invalid request.\n\nInvalid value for "${p.name}".`);
      }
    }
    const declared = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of url.searchParams.keys())
      if (!declared.has(name)) this.violation(`${where}: query parameter "${name}" is not documented for this operation`);

    const json = op.requestBody?.content?.['application/json'];
    if (raw.length && !op.requestBody) this.violation(`${where}: request has a body but the operation takes none`);
    if (!raw.length && op.requestBody?.required) {
      this.violation(`${where}: request body is required but was empty`);
      // GitHub reads an empty body as {} and names the missing fields.
      const schema = json?.schema;
      const v = schema ? this.spec.validator(`${op.operationId} request`, schema) : undefined;
      reject ??= v && !v.fn({}) ? this.error(op, 422, githubSchemaMessage(v.fn.errors)) : this.error(op, 400, 'Problems parsing JSON');
    }
    if (raw.length && op.requestBody) {
      if (typeof body === 'string' || body === undefined) {
        this.violation(`${where}: request body is not JSON`);
        reject ??= this.error(op, 400, 'Problems parsing JSON');
      } else if (json?.schema) {
        if (!/^application\/(?:[\w.+-]+\+)?json\b/.test(headers['content-type'] ?? ''))
          this.violation(`${where}: content-type ${headers['content-type'] ?? '(none)'} is not JSON`);
        const errs = this.spec.check(`${op.operationId} request`, json.schema, body, 'request body', strict);
        for (const e of errs) this.violation(`${where}: ${e}`);
        const v = this.spec.validator(`${op.operationId} request`, json.schema);
        if (!v.fn(body)) reject ??= this.error(op, 422, githubSchemaMessage(v.fn.errors));
      }
    }

    // --- GitHub's answer ---
    let reply: Reply | undefined = this.authenticate(op, headers);
    let injected: Failure | undefined;
    if (!reply) {
      injected = this.takeFailure(method, url.pathname, op);
      if (injected && !injected.afterEffect) reply = this.failureReply(op, injected);
    }
    if (!reply && reject) reply = reject;
    if (!reply && this.options.readOnly && WRITE_METHODS.has(method)) {
      const perms = op.operationId.startsWith('issues/') ? 'issues=write; pull_requests=write' : 'pull_requests=write';
      reply = { ...this.error(op, 403, 'Resource not accessible by integration'), headers: { 'x-accepted-github-permissions': perms } };
    }
    if (!reply) {
      const handler = this.handlers[op.operationId];
      if (!handler) {
        this.violation(`${where}: operation is in the description but not implemented by the fake GitHub API`);
        reply = this.error(undefined, 404, 'Not Found');
      } else {
        const accept = /application\/vnd\.github(?:\.v3)?\.(raw|text|html|full)(?:\+json)?\b/.exec(headers.accept ?? '');
        const call: Call = {
          op,
          params: m.params,
          query: url.searchParams,
          body: isObject(body) ? body : {},
          media: (accept?.[1] as Call['media']) ?? 'raw',
          pathname
        };
        reply = handler(call);
        if (injected?.afterEffect) reply = this.failureReply(op, injected);
      }
    }
    if (injected) entry.injected = true;

    // --- response validation ---
    if (reply.raw === undefined) {
      if (this.options.tamperResponse && reply.body !== undefined)
        reply = { ...reply, body: this.options.tamperResponse(op.operationId, reply.status, reply.body) };
      for (const e of this.checkResponse(op, reply, strict)) this.violation(`${where}: response ${reply.status}: ${e}`);
    }
    return reply;
  }

  private checkResponse(op: Operation, reply: Reply, strict: boolean): string[] {
    const status = String(reply.status);
    const documented = op.responses.get(status) ?? op.responses.get(`${status[0]}XX`) ?? op.responses.get('default');
    if (!documented) {
      // GitHub answers any operation with 401/403/404/422/429/5xx; their bodies are basic-error.
      if (reply.status < 400) return [`status ${status} is not documented for this operation`];
      return reply.body === undefined ? [] : this.spec.check('basic-error', this.spec.basicErrorSchema(), reply.body, 'body', strict);
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return reply.body === undefined ? [] : [`status ${status} has no body in the description, but one was sent`];
    if (reply.body === undefined) return ['a body is documented but none was sent'];
    const errors = this.spec.check(`${op.operationId} ${status}`, schema, reply.body, 'body', strict);
    // GitHub puts "status" into every error body; basic-error documents it, validation-error(-simple) not yet.
    return reply.status >= 400 ? errors.filter((e) => e !== 'body/status is not a documented property') : errors;
  }

  private authenticate(op: Operation, headers: Record<string, string>): Reply | undefined {
    if (this.options.token === undefined) return undefined;
    const auth = headers.authorization;
    if (!auth) return this.error(op, 401, 'Requires authentication');
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    if (!m || m[1] !== this.options.token) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS_ROOT, status: '401' } };
    return undefined;
  }

  private takeFailure(method: string, pathname: string, op: Operation): Failure | undefined {
    for (const f of this.failures) {
      if (f.remaining <= 0) continue;
      const mt = f.match;
      if (mt?.method && mt.method.toLowerCase() !== method) continue;
      if (mt?.operationId && mt.operationId !== op.operationId) continue;
      if (mt?.path && !(typeof mt.path === 'string' ? pathname === mt.path : mt.path.test(pathname))) continue;
      f.remaining--;
      return f;
    }
    return undefined;
  }

  private failureReply(op: Operation, f: Failure): Reply {
    const headers: Record<string, string> = { ...f.headers };
    if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
    if (f.rawBody !== undefined) return { status: f.status, raw: f.rawBody, headers };
    const requestId = `C0DE:${this.requests.length.toString(16).toUpperCase()}`;
    if (f.status === 403 || f.status === 429) {
      if (f.rateLimit === 'primary') {
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-used'] = '5000';
        headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + (f.retryAfter ?? 60));
        return {
          status: f.status,
          headers,
          body: {
            message:
              f.message ??
              `API rate limit exceeded for installation ID 12345678. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: String(f.status)
          }
        };
      }
      return {
        status: f.status,
        headers,
        body: {
          message:
            f.message ??
            `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(f.status)
        }
      };
    }
    if (f.status >= 500) return { status: f.status, headers, body: { message: f.message ?? (f.status === 503 ? 'Service Unavailable' : 'Server Error') } };
    return { ...this.error(op, f.status, f.message ?? http.STATUS_CODES[f.status] ?? 'Error'), headers };
  }

  private error(op: Operation | undefined, status: number, message: string, extra: JsonObject = {}): Reply {
    return { status, body: { message, ...extra, documentation_url: op?.docsUrl ?? DOCS_ROOT, status: String(status) } };
  }

  private validationFailed(op: Operation, errors: JsonObject[]): Reply {
    return this.error(op, 422, 'Validation Failed', { errors });
  }

  // ----- representations (complete objects, as GitHub sends them) -----

  private simpleUser(login: string, type?: 'User' | 'Organization'): JsonObject {
    const bot = login.endsWith('[bot]');
    const id = userId(login);
    const api = `${this.url}/users/${encodeURIComponent(login)}`;
    const slug = login.replace(/\[bot\]$/, '');
    return {
      login,
      id,
      node_id: nodeId(bot ? 'Bot' : type === 'Organization' ? 'Organization' : 'User', id),
      avatar_url: bot
        ? `https://avatars.githubusercontent.com/in/${login === ACTIONS_BOT ? 15368 : id}?v=4`
        : `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: bot ? `${this.serverUrl}/apps/${slug}` : `${this.serverUrl}/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: bot ? 'Bot' : (type ?? 'User'),
      user_view_type: 'public',
      site_admin: false
    };
  }

  private privateUser(login: string): JsonObject {
    return {
      ...this.simpleUser(login),
      user_view_type: 'private',
      name: login,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      notification_email: null,
      public_repos: 1,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: '2011-01-25T18:44:36Z',
      updated_at: '2024-01-02T03:04:05Z',
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 }
    };
  }

  private repository(repo: RepoState): JsonObject {
    const full = `${repo.owner}/${repo.name}`;
    const api = `${this.url}/repos/${full}`;
    const html = `${this.serverUrl}/${full}`;
    const host = new URL(this.serverUrl).host;
    const openIssues = [...repo.issues.values()].filter((i) => i.state === 'open').length;
    return {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: full,
      private: repo.private,
      owner: this.simpleUser(repo.owner, repo.ownerType),
      html_url: html,
      description: null,
      fork: repo.fork,
      url: api,
      forks_url: `${api}/forks`,
      keys_url: `${api}/keys{/key_id}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      teams_url: `${api}/teams`,
      hooks_url: `${api}/hooks`,
      issue_events_url: `${api}/issues/events{/number}`,
      events_url: `${api}/events`,
      assignees_url: `${api}/assignees{/user}`,
      branches_url: `${api}/branches{/branch}`,
      tags_url: `${api}/tags`,
      blobs_url: `${api}/git/blobs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      trees_url: `${api}/git/trees{/sha}`,
      statuses_url: `${api}/statuses/{sha}`,
      languages_url: `${api}/languages`,
      stargazers_url: `${api}/stargazers`,
      contributors_url: `${api}/contributors`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      commits_url: `${api}/commits{/sha}`,
      git_commits_url: `${api}/git/commits{/sha}`,
      comments_url: `${api}/comments{/number}`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      contents_url: `${api}/contents/{+path}`,
      compare_url: `${api}/compare/{base}...{head}`,
      merges_url: `${api}/merges`,
      archive_url: `${api}/{archive_format}{/ref}`,
      downloads_url: `${api}/downloads`,
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      labels_url: `${api}/labels{/name}`,
      releases_url: `${api}/releases{/id}`,
      deployments_url: `${api}/deployments`,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
      git_url: `git://${host}/${full}.git`,
      ssh_url: `git@${host}:${full}.git`,
      clone_url: `${html}.git`,
      svn_url: html,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: openIssues,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: repo.private ? 'private' : 'public',
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
      default_branch: repo.defaultBranch
    };
  }

  private reactions(url: string): JsonObject {
    return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
  }

  private bodyFields(body: string, media: Call['media']): JsonObject {
    const html = `<p dir="auto">${escapeHtml(body).replace(/\n/g, '<br>\n')}</p>`;
    if (media === 'text') return { body_text: body };
    if (media === 'html') return { body_html: html };
    if (media === 'full') return { body, body_text: body, body_html: html };
    return { body };
  }

  private issueComment(repo: RepoState, issue: IssueState | PullRequestState, c: IssueCommentState, media: Call['media']): JsonObject {
    const api = `${this.url}/repos/${repo.owner}/${repo.name}`;
    const html = `${this.serverUrl}/${repo.owner}/${repo.name}/${issue.kind === 'pull' ? 'pull' : 'issues'}/${issue.number}`;
    return {
      url: `${api}/issues/comments/${c.id}`,
      html_url: `${html}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${issue.number}`,
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      user: this.simpleUser(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.authorAssociation,
      ...this.bodyFields(c.body, media),
      reactions: this.reactions(`${api}/issues/comments/${c.id}/reactions`),
      performed_via_github_app: null
    };
  }

  private pullRequestObject(repo: RepoState, pr: PullRequestState): JsonObject {
    const full = `${repo.owner}/${repo.name}`;
    const api = `${this.url}/repos/${full}`;
    const html = `${this.serverUrl}/${full}/pull/${pr.number}`;
    const [headOwner, headName] = pr.headRepo.split('/');
    const headRepo = this.repoState(headOwner, headName, false);
    const totals = pr.files.reduce((a, f) => ({ additions: a.additions + f.additions, deletions: a.deletions + f.deletions }), { additions: 0, deletions: 0 });
    const links = {
      self: { href: `${api}/pulls/${pr.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${pr.number}` },
      comments: { href: `${api}/issues/${pr.number}/comments` },
      review_comments: { href: `${api}/pulls/${pr.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pr.number}/commits` },
      statuses: { href: `${api}/statuses/${pr.headSha}` }
    };
    return {
      url: links.self.href,
      id: pr.pullId,
      node_id: nodeId('PullRequest', pr.pullId),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: links.issue.href,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.simpleUser(pr.author),
      body: pr.body,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: hash(`merge ${pr.headSha} ${pr.baseSha}`),
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      labels: [],
      milestone: null,
      draft: pr.draft,
      commits_url: links.commits.href,
      review_comments_url: links.review_comments.href,
      review_comment_url: links.review_comment.href,
      comments_url: links.comments.href,
      statuses_url: links.statuses.href,
      head: {
        label: `${headRepo.owner}:${pr.headRef}`,
        ref: pr.headRef,
        sha: pr.headSha,
        user: this.simpleUser(headRepo.owner, headRepo.ownerType),
        repo: this.repository(headRepo)
      },
      base: {
        label: `${repo.owner}:${pr.baseRef}`,
        ref: pr.baseRef,
        sha: pr.baseSha,
        user: this.simpleUser(repo.owner, repo.ownerType),
        repo: this.repository(repo)
      },
      _links: links,
      author_association: this.association(repo, pr.author),
      auto_merge: null,
      active_lock_reason: null,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: pr.comments.length,
      review_comments: pr.reviewComments.length,
      maintainer_can_modify: false,
      commits: pr.commits.size,
      additions: totals.additions,
      deletions: totals.deletions,
      changed_files: pr.files.length
    };
  }

  /** `pull-request-simple`, as GET /repos/{o}/{r}/pulls lists them. */
  private pullRequestSimple(repo: RepoState, pr: PullRequestState): JsonObject {
    const full = this.pullRequestObject(repo, pr);
    for (const k of [
      'merged',
      'mergeable',
      'rebaseable',
      'mergeable_state',
      'merged_by',
      'comments',
      'review_comments',
      'maintainer_can_modify',
      'commits',
      'additions',
      'deletions',
      'changed_files'
    ])
      delete full[k];
    return full;
  }

  private diffEntry(repo: RepoState, pr: PullRequestState, f: PullFileState): JsonObject {
    const full = `${repo.owner}/${repo.name}`;
    const file = encodePath(f.filename);
    return {
      sha: f.sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.changes,
      blob_url: `${this.serverUrl}/${full}/blob/${pr.headSha}/${file}`,
      raw_url: `${this.serverUrl}/${full}/raw/${pr.headSha}/${file}`,
      contents_url: `${this.url}/repos/${full}/contents/${file}?ref=${pr.headSha}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {})
    };
  }

  private review(repo: RepoState, pr: PullRequestState, r: ReviewState, media: Call['media']): JsonObject {
    const api = `${this.url}/repos/${repo.owner}/${repo.name}`;
    const html = `${this.serverUrl}/${repo.owner}/${repo.name}/pull/${pr.number}#pullrequestreview-${r.id}`;
    return {
      id: r.id,
      node_id: nodeId('PullRequestReview', r.id),
      user: this.simpleUser(r.user),
      // body is required here, whatever the media type; the others add body_text/body_html.
      body: r.body,
      ...this.bodyFields(r.body, media),
      state: r.state,
      html_url: html,
      pull_request_url: `${api}/pulls/${pr.number}`,
      author_association: this.association(repo, r.user),
      _links: { html: { href: html }, pull_request: { href: `${api}/pulls/${pr.number}` } },
      ...(r.submittedAt ? { submitted_at: r.submittedAt } : {}),
      commit_id: r.commitId
    };
  }

  private reviewComment(repo: RepoState, pr: PullRequestState, c: ReviewCommentState, media: Call['media']): JsonObject {
    const api = `${this.url}/repos/${repo.owner}/${repo.name}`;
    const url = `${api}/pulls/comments/${c.id}`;
    const html = `${this.serverUrl}/${repo.owner}/${repo.name}/pull/${pr.number}#discussion_r${c.id}`;
    const lineFields =
      c.subjectType === 'line'
        ? {
            position: c.position,
            original_position: c.position,
            line: c.line,
            original_line: c.line,
            side: c.side,
            start_line: c.startLine,
            original_start_line: c.startLine,
            start_side: c.startSide
          }
        : { start_line: null, original_start_line: null, start_side: null };
    return {
      url,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: nodeId('PullRequestReviewComment', c.id),
      diff_hunk: c.diffHunk,
      path: c.path,
      commit_id: c.commitId,
      original_commit_id: c.originalCommitId,
      user: this.simpleUser(c.user),
      ...this.bodyFields(c.body, media),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: `${api}/pulls/${pr.number}`,
      author_association: this.association(repo, c.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: `${api}/pulls/${pr.number}` } },
      reactions: this.reactions(`${url}/reactions`),
      ...lineFields,
      ...(c.inReplyToId !== undefined ? { in_reply_to_id: c.inReplyToId } : {}),
      subject_type: c.subjectType
    };
  }

  // ----- pagination -----

  private paginate<T>(call: Call, repo: RepoState, items: T[]): { items: T[]; headers: Record<string, string> } {
    const rawPer = Number(call.query.get('per_page') ?? 30);
    const per = Number.isInteger(rawPer) && rawPer > 0 ? Math.min(rawPer, 100) : 30;
    const rawPage = Number(call.query.get('page') ?? 1);
    const page = Number.isInteger(rawPage) && rawPage > 0 ? rawPage : 1;
    const last = Math.max(1, Math.ceil(items.length / per));
    const headers: Record<string, string> = {};
    if (last > 1 || page > 1) {
      const prefix = `/repos/${repo.owner}/${repo.name}`;
      const rest = call.pathname.slice(prefix.length);
      const base = this.options.linkStyle === 'repos' ? `${this.url}${prefix}${rest}` : `${this.url}/repositories/${repo.id}${rest}`;
      const link = (p: number, rel: string) => {
        const q = new URLSearchParams(call.query);
        q.set('page', String(p));
        return `<${base}?${q.toString()}>; rel="${rel}"`;
      };
      const parts: string[] = [];
      if (page > 1) parts.push(link(Math.min(page - 1, last), 'prev'));
      if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
      if (page > 1) parts.push(link(1, 'first'));
      headers.link = parts.join(', ');
    }
    return { items: items.slice((page - 1) * per, page * per), headers };
  }

  // ----- operations -----

  private findRepo(call: Call): RepoState | undefined {
    return this.state.repos.get(`${call.params.owner}/${call.params.repo}`.toLowerCase());
  }

  private findIssue(call: Call, param: string): { repo: RepoState; issue: IssueState | PullRequestState } | undefined {
    const repo = this.findRepo(call);
    const issue = repo?.issues.get(Number(call.params[param]));
    return repo && issue ? { repo, issue } : undefined;
  }

  private findPull(call: Call): { repo: RepoState; pr: PullRequestState } | undefined {
    const found = this.findIssue(call, 'pull_number');
    return found && found.issue.kind === 'pull' ? { repo: found.repo, pr: found.issue } : undefined;
  }

  private findIssueComment(call: Call): { repo: RepoState; issue: IssueState | PullRequestState; comment: IssueCommentState } | undefined {
    const repo = this.findRepo(call);
    const id = Number(call.params.comment_id);
    for (const issue of repo?.issues.values() ?? []) {
      const comment = issue.comments.find((c) => c.id === id);
      if (repo && comment) return { repo, issue, comment };
    }
    return undefined;
  }

  /** GitHub's checks on a comment body (the JSON schema only says "string"). */
  private checkBody(op: Operation, resource: string, body: string): Reply | undefined {
    if (!body.trim()) return this.validationFailed(op, [{ resource, code: 'missing_field', field: 'body' }]);
    if (body.length > BODY_LIMIT)
      return this.validationFailed(op, [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }]);
    return undefined;
  }

  private readonly handlers: Record<string, ((call: Call) => Reply) | undefined> = {
    'users/get-authenticated': (call) => {
      if (this.login.endsWith('[bot]')) return this.error(call.op, 403, 'Resource not accessible by integration');
      return { status: 200, body: this.privateUser(this.login) };
    },

    'issues/list-comments': (call) => {
      const found = this.findIssue(call, 'issue_number');
      if (!found) return this.error(call.op, 404, 'Not Found');
      const since = call.query.get('since');
      const comments = found.issue.comments.filter((c) => !since || c.updatedAt >= iso(new Date(since))).sort((a, b) => a.id - b.id);
      const page = this.paginate(call, found.repo, comments);
      return { status: 200, headers: page.headers, body: page.items.map((c) => this.issueComment(found.repo, found.issue, c, call.media)) };
    },

    'issues/create-comment': (call) => {
      const found = this.findIssue(call, 'issue_number');
      if (!found) return this.error(call.op, 404, 'Not Found');
      const body = String(call.body.body);
      const invalid = this.checkBody(call.op, 'IssueComment', body);
      if (invalid) return invalid;
      const now = this.now();
      const comment: IssueCommentState = {
        id: ++this.ids.issueComment,
        body,
        user: this.login,
        authorAssociation: this.association(found.repo, this.login),
        createdAt: now,
        updatedAt: now
      };
      found.issue.comments.push(comment);
      const json = this.issueComment(found.repo, found.issue, comment, call.media);
      return { status: 201, headers: { location: String(json.url) }, body: json };
    },

    'issues/get-comment': (call) => {
      const found = this.findIssueComment(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      return { status: 200, body: this.issueComment(found.repo, found.issue, found.comment, call.media) };
    },

    'issues/update-comment': (call) => {
      const found = this.findIssueComment(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      const body = String(call.body.body);
      const invalid = this.checkBody(call.op, 'IssueComment', body);
      if (invalid) return invalid;
      found.comment.body = body;
      found.comment.updatedAt = this.now();
      return { status: 200, body: this.issueComment(found.repo, found.issue, found.comment, call.media) };
    },

    'issues/delete-comment': (call) => {
      const found = this.findIssueComment(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      found.issue.comments.splice(found.issue.comments.indexOf(found.comment), 1);
      return { status: 204 };
    },

    'pulls/get': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      return { status: 200, body: this.pullRequestObject(found.repo, found.pr) };
    },

    'pulls/list': (call) => {
      const repo = this.state.repos.get(`${call.params.owner}/${call.params.repo}`.toLowerCase());
      if (!repo) return this.error(call.op, 404, 'Not Found');
      const state = call.query.get('state') ?? 'open';
      // head=user:ref-name (or organization:ref-name), as GitHub filters it.
      const head = call.query.get('head');
      const [headUser, ...refParts] = (head ?? '').split(':');
      const headRef = refParts.join(':');
      const base = call.query.get('base');
      const pulls = [...repo.issues.values()]
        .filter((i): i is PullRequestState => i.kind === 'pull')
        .filter((pr) => state === 'all' || pr.state === state)
        .filter((pr) => !head || (pr.headRepo.split('/')[0]!.toLowerCase() === headUser!.toLowerCase() && (!headRef || pr.headRef === headRef)))
        .filter((pr) => !base || pr.baseRef === base)
        .sort((a, b) => b.number - a.number);
      const page = this.paginate(call, repo, pulls);
      return { status: 200, headers: page.headers, body: page.items.map((pr) => this.pullRequestSimple(repo, pr)) };
    },

    'pulls/list-files': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      // GitHub lists at most 3000 files of a PR.
      const page = this.paginate(call, found.repo, found.pr.files.slice(0, 3000));
      return { status: 200, headers: page.headers, body: page.items.map((f) => this.diffEntry(found.repo, found.pr, f)) };
    },

    'pulls/list-review-comments': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      const since = call.query.get('since');
      const sort = call.query.get('sort');
      const desc = (call.query.get('direction') ?? (sort ? 'desc' : 'asc')) === 'desc';
      const pending = new Set(found.pr.reviews.filter((r) => r.state === 'PENDING' && r.user !== this.login).map((r) => r.id));
      const comments = found.pr.reviewComments
        .filter((c) => !pending.has(c.reviewId) && (!since || c.updatedAt >= iso(new Date(since))))
        .sort((a, b) => {
          const key = sort === 'updated' ? a.updatedAt.localeCompare(b.updatedAt) : 0;
          return (key || a.id - b.id) * (desc ? -1 : 1);
        });
      const page = this.paginate(call, found.repo, comments);
      return { status: 200, headers: page.headers, body: page.items.map((c) => this.reviewComment(found.repo, found.pr, c, call.media)) };
    },

    'pulls/list-reviews': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      const reviews = found.pr.reviews.filter((r) => r.state !== 'PENDING' || r.user === this.login);
      const page = this.paginate(call, found.repo, reviews);
      return { status: 200, headers: page.headers, body: page.items.map((r) => this.review(found.repo, found.pr, r, call.media)) };
    },

    'pulls/create-review': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      const { repo, pr } = found;
      const b = call.body as {
        commit_id?: string;
        body?: string;
        event?: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
        comments?: Array<Anchor & { path: string; body: string }>;
      };
      const unprocessable = (errors: string[]) => this.error(call.op, 422, 'Unprocessable Entity', { errors });
      const commitId = b.commit_id ?? pr.headSha;
      const files = pr.commits.get(commitId);
      if (!files) return unprocessable([`No commit found for SHA: ${commitId}`]);
      if (b.event === 'APPROVE' && this.login === ACTIONS_BOT) return unprocessable(['GitHub Actions is not permitted to approve pull requests.']);
      if (!b.event && pr.reviews.some((r) => r.state === 'PENDING' && r.user === this.login))
        return unprocessable(['User can only have one pending review per pull request']);
      for (const text of [b.body ?? '', ...(b.comments ?? []).map((c) => c.body)])
        if (text.length > BODY_LIMIT) return unprocessable([`Body is too long (maximum is ${BODY_LIMIT} characters)`]);
      // Every comment must resolve, or nothing is created (one 422 for the whole review).
      const errors: string[] = [];
      const resolved: Array<{ path: string; body: string; anchor: ResolvedAnchor }> = [];
      for (const c of b.comments ?? []) {
        const file = files.find((f) => f.filename === c.path);
        if (!file) {
          errors.push('Path could not be resolved');
          continue;
        }
        const anchor = resolveAnchor(file.patch, c);
        if (!anchor.ok) errors.push(anchor.field === 'line' ? 'Line could not be resolved' : 'Start line could not be resolved');
        else resolved.push({ path: c.path, body: c.body, anchor });
      }
      if (errors.length) return unprocessable([toSentence(errors)]);
      const now = this.now();
      const state = b.event === 'APPROVE' ? 'APPROVED' : b.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : b.event === 'COMMENT' ? 'COMMENTED' : 'PENDING';
      const review: ReviewState = {
        id: ++this.ids.review,
        user: this.login,
        body: b.body ?? '',
        state,
        commitId,
        ...(state === 'PENDING' ? {} : { submittedAt: now })
      };
      pr.reviews.push(review);
      for (const r of resolved) pr.reviewComments.push(this.newReviewComment(review, this.login, r.path, r.body, r.anchor, now));
      return { status: 200, body: this.review(repo, pr, review, call.media) };
    },

    'pulls/create-review-comment': (call) => {
      const found = this.findPull(call);
      if (!found) return this.error(call.op, 404, 'Not Found');
      const { repo, pr } = found;
      const b = call.body as unknown as Anchor & { body: string; commit_id: string; path: string; in_reply_to?: number; subject_type?: 'line' | 'file' };
      const invalid = this.checkBody(call.op, 'PullRequestReviewComment', b.body);
      if (invalid) return invalid;
      const fail = (field: string, message: string) =>
        this.validationFailed(call.op, [{ resource: 'PullRequestReviewComment', code: 'custom', field, message }]);
      const now = this.now();
      const parent = b.in_reply_to !== undefined ? pr.reviewComments.find((c) => c.id === b.in_reply_to) : undefined;
      if (b.in_reply_to !== undefined && !parent) return this.error(call.op, 404, 'Not Found');
      const files = pr.commits.get(b.commit_id);
      if (!files) return fail('commit_id', 'commit_id is not part of the pull request');
      let anchor: ResolvedAnchor | null = null;
      if (!parent && b.subject_type !== 'file') {
        const file = files.find((f) => f.filename === b.path);
        if (!file) return fail('pull_request_review_thread.path', 'pull_request_review_thread.path is invalid');
        anchor = resolveAnchor(file.patch, b);
        if (!anchor.ok)
          return anchor.field === 'line'
            ? fail('pull_request_review_thread.line', 'pull_request_review_thread.line must be part of the diff')
            : fail('pull_request_review_thread.start_line', 'pull_request_review_thread.start_line must be part of the same hunk as the line.');
      }
      const review: ReviewState = { id: ++this.ids.review, user: this.login, body: '', state: 'COMMENTED', commitId: b.commit_id, submittedAt: now };
      pr.reviews.push(review);
      const comment = parent
        ? {
            ...parent,
            id: ++this.ids.reviewComment,
            reviewId: review.id,
            user: this.login,
            body: b.body,
            inReplyToId: parent.id,
            createdAt: now,
            updatedAt: now
          }
        : this.newReviewComment(review, this.login, b.path, b.body, anchor, now);
      pr.reviewComments.push(comment);
      const json = this.reviewComment(repo, pr, comment, call.media);
      return { status: 201, headers: { location: String(json.url) }, body: json };
    }
  };
}

/** Starts the fake GitHub REST API on 127.0.0.1 (random port). Close it with api.close(). */
export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const api = new FakeGitHub(options);
  await api.listen();
  return api;
}

// ---------------------------------------------------------------------------------------------------
// Webhook payloads (@octokit/webhooks-examples: real recorded deliveries)
// ---------------------------------------------------------------------------------------------------

export type WebhookEventName = WebhookDefinition['name'];
export type WebhookPayload<E extends WebhookEventName> = WebhookDefinition<E>['examples'][number];
/** An action name (`'opened'`) or a predicate over the payload. */
export type ExampleFilter<E extends WebhookEventName> = string | ((payload: WebhookPayload<E>) => boolean);

let webhookIndex: WebhookDefinition[] | undefined;

function webhookDefinitions(): WebhookDefinition[] {
  webhookIndex ??= JSON.parse(fs.readFileSync(WEBHOOK_EXAMPLES_FILE, 'utf8')) as WebhookDefinition[];
  return webhookIndex;
}

/** Events GitHub Actions names differently from the webhook whose payload it carries. */
const ACTIONS_EVENT_ALIASES: Record<string, WebhookEventName> = { pull_request_target: 'pull_request' };

/**
 * A deep copy of a real recorded webhook payload. `event` is a webhook name (`pull_request`,
 * `workflow_run`, …), optionally with the action (`pull_request.synchronize`); `pull_request_target`
 * gives a `pull_request` payload, which is what GitHub Actions puts in GITHUB_EVENT_PATH for it.
 */
export function loadWebhookExample(
  event: 'pull_request_target' | `pull_request_target.${string}`,
  filter?: ExampleFilter<'pull_request'>
): WebhookPayload<'pull_request'>;
export function loadWebhookExample<E extends WebhookEventName>(event: E | `${E}.${string}`, filter?: ExampleFilter<E>): WebhookPayload<E>;
export function loadWebhookExample(event: string, filter?: string | ((payload: never) => boolean)): unknown {
  const [name, action] = event.split('.', 2);
  const webhook = ACTIONS_EVENT_ALIASES[name] ?? name;
  const def = webhookDefinitions().find((d) => d.name === webhook);
  if (!def)
    throw new Error(
      `no webhook examples for "${name}"; known: ${webhookDefinitions()
        .map((d) => d.name)
        .join(', ')}`
    );
  const examples = def.examples as Array<{ action?: string }>;
  const wanted = action ?? (typeof filter === 'string' ? filter : undefined);
  const predicate = typeof filter === 'function' ? (filter as (p: unknown) => boolean) : undefined;
  const found = examples.find((p) => (wanted === undefined || p.action === wanted) && (!predicate || predicate(p)));
  if (!found) {
    const actions = [...new Set(examples.map((p) => p.action ?? '(none)'))].join(', ');
    throw new Error(
      `no "${webhook}" example matches${wanted ? ` action "${wanted}"` : ''}${predicate ? ' and the predicate' : ''}; recorded actions: ${actions}`
    );
  }
  return structuredClone(found);
}

const eventDirs: string[] = [];

/** Writes the payload to a temporary JSON file and returns its path (for GITHUB_EVENT_PATH). */
export function writeEventFile(payload: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-event-'));
  eventDirs.push(dir);
  const file = path.join(dir, 'event.json');
  fs.writeFileSync(file, JSON.stringify(payload, null, 2));
  return file;
}

/** Removes the files writeEventFile() wrote. */
export function removeEventFiles(): void {
  for (const dir of eventDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Seed for addPullRequest() from a pull_request(_target) or workflow_run payload. */
export function pullRequestSeedFromEvent(payload: unknown): Pick<PullRequestSeed, 'owner' | 'repo' | 'number' | 'headSha' | 'headRef' | 'baseRef' | 'title'> {
  const p = payload as {
    repository: { owner: { login: string }; name: string };
    pull_request?: { number: number; title?: string; head: { sha: string; ref: string }; base: { ref: string } };
    workflow_run?: { head_sha: string; head_branch?: string; pull_requests: Array<{ number: number; base: { ref: string } }> };
  };
  const base = { owner: p.repository.owner.login, repo: p.repository.name };
  if (p.pull_request)
    return {
      ...base,
      number: p.pull_request.number,
      headSha: p.pull_request.head.sha,
      headRef: p.pull_request.head.ref,
      baseRef: p.pull_request.base.ref,
      title: p.pull_request.title
    };
  const pr = p.workflow_run?.pull_requests[0];
  if (p.workflow_run && pr) return { ...base, number: pr.number, headSha: p.workflow_run.head_sha, headRef: p.workflow_run.head_branch, baseRef: pr.base.ref };
  throw new Error('payload names no pull request');
}
