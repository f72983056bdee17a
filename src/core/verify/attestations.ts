/**
 * Attestations (in-toto statements about an image), pure: which predicate types a policy wants
 * (short names as cosign spells them), conditions over the statement (dotted path → glob), the
 * GitHub artifact-attestation preset (`gh attestation verify --owner/--repo …`), checking one found
 * attestation against one `attestations:` entry, the facts reviewers want (builder, source, trigger,
 * SBOM format and size), and judging an image's attestation requirement.
 *
 * Signatures, certificates and transparency-log/timestamp evidence are never checked here: a Sigstore
 * bundle goes to `verifyImageBundle` (sigstore.ts, @sigstore/verify), which authenticates the DSSE
 * envelope against the signers before it reads the statement; only after that is the statement judged
 * here (type, subject digest, conditions). The statement is read from the very payload bytes that were
 * verified.
 */
import { COSIGN_SIGN_PREDICATE, verifyImageBundle } from './sigstore.js';
import type { TrustedRoot } from './trusted-root.js';
import type { KeylessIdentity, KeySpec } from './types.js';
import type crypto from 'node:crypto';
import { X509Certificate } from '@sigstore/core';

/** Short names (cosign's `--type` values) → predicate types. */
export const PREDICATE_SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  // cosign: slsaprovenance and slsaprovenance02 are SLSA v0.2, slsaprovenance1 is v1.
  slsaprovenance: ['https://slsa.dev/provenance/v0.2'],
  slsaprovenance02: ['https://slsa.dev/provenance/v0.2'],
  slsaprovenance1: ['https://slsa.dev/provenance/v1'],
  // BuildKit and cosign write https://spdx.dev/Document; actions/attest-sbom writes …/Document/v2.3.
  spdx: ['https://spdx.dev/Document', 'https://spdx.dev/Document/v2.2', 'https://spdx.dev/Document/v2.3'],
  spdxjson: ['https://spdx.dev/Document', 'https://spdx.dev/Document/v2.2', 'https://spdx.dev/Document/v2.3'],
  cyclonedx: ['https://cyclonedx.org/bom', 'https://cyclonedx.org/schema'],
  vuln: ['https://cosign.sigstore.dev/attestation/vuln/v1'],
  openvex: ['https://openvex.dev/ns', 'https://openvex.dev/ns/v0.2.0'],
  custom: ['https://cosign.sigstore.dev/attestation/v1']
};

export const SLSA_V1 = 'https://slsa.dev/provenance/v1';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITHUB_HOSTED_BUILDER = 'https://github.com/actions/runner/github-hosted';

/** One condition: a dotted path into the statement and a glob its value must match. */
export interface AttestationCondition {
  path: string;
  glob: string;
}

/** What `gh attestation verify` is told (the `github:` short form of an attestations entry). */
export interface GithubAttestationPreset {
  owner?: string;
  repo?: string;
  signerWorkflow?: string;
  sourceRef?: string;
  denySelfHostedRunners?: boolean;
}

/** One `attestations:` entry of a verify policy, as loaded. */
export interface AttestationPolicy {
  /** As written (a short name or a predicate type URI). */
  type: string;
  /** The predicate types it accepts. */
  predicateTypes: string[];
  /** Its own signers; both empty: the policy's `keys`/`keyless`. */
  keys: KeySpec[];
  keyless: KeylessIdentity[];
  conditions: AttestationCondition[];
  github?: GithubAttestationPreset;
  source?: { file: string; line: number };
}

/** The predicate types a policy's `type` names, or why it names none. */
export function resolvePredicateType(type: string): { ok: true; types: string[] } | { ok: false; detail: string } {
  const t = type.trim();
  const short = PREDICATE_SHORT_NAMES[t.toLowerCase()];
  if (short) return { ok: true, types: [...short] };
  if (/^https?:\/\/[^\s/]+\/\S*$/.test(t)) return { ok: true, types: [t] };
  return {
    ok: false,
    detail: `unknown predicate type ${JSON.stringify(type)}: use a predicate type URI (https://slsa.dev/provenance/v1) or one of ${Object.keys(PREDICATE_SHORT_NAMES).join(', ')}`
  };
}

/**
 * A condition path split into keys: dots separate keys, `\.` is a literal dot inside a key, a number
 * indexes an array, `*` is any element or key (the condition holds when it holds for one of them).
 * Undefined when the path is empty or has an empty key.
 */
export function splitConditionPath(path: string): string[] | undefined {
  const keys: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      keys.push(cur);
      cur = '';
    } else cur += c;
  }
  keys.push(cur);
  return keys.some((k) => k === '') ? undefined : keys;
}

const globCache = new Map<string, RegExp>();
/**
 * Condition globs: `*` is any run of characters (slashes included: values are URLs and refs), `?` one
 * character, `\` escapes the next one; everything else is literal and the whole value must match.
 */
export function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) src += glob[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`, 'u');
  if (globCache.size < 1000) globCache.set(glob, re);
  return re;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(typeof v === 'string' ? v.slice(0, 200) : v)?.slice(0, 200) ?? 'undefined';

/** Values at a path (several through `*`); `missing` names the first key that led nowhere. */
function valuesAt(doc: unknown, keys: readonly string[]): { values: unknown[]; missing?: string } {
  let cur: unknown[] = [doc];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const next: unknown[] = [];
    for (const v of cur) {
      if (k === '*') {
        if (Array.isArray(v)) next.push(...v.slice(0, 10_000));
        else if (isObject(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        if (/^\d+$/.test(k) && Number(k) < v.length) next.push(v[Number(k)]);
      } else if (isObject(v) && Object.prototype.hasOwnProperty.call(v, k)) next.push(v[k]);
    }
    if (next.length === 0) return { values: [], missing: keys.slice(0, i + 1).join('.') };
    cur = next;
  }
  return { values: cur };
}

/** Whether a statement satisfies one condition; `detail` names the path and what it held. */
export function evaluateCondition(statement: unknown, c: AttestationCondition): { ok: true } | { ok: false; detail: string } {
  const keys = splitConditionPath(c.path);
  if (!keys) return { ok: false, detail: `condition path ${JSON.stringify(c.path)} is not a dotted path` };
  const { values, missing } = valuesAt(statement, keys);
  if (missing !== undefined)
    return { ok: false, detail: `condition ${c.path}: the statement has nothing at ${missing}${missing === c.path ? '' : ` (so nothing at ${c.path})`}` };
  const re = globRegExp(c.glob);
  const scalars = values.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
  if (scalars.some((v) => re.test(String(v)))) return { ok: true };
  if (scalars.length === 0)
    return {
      ok: false,
      detail: `condition ${c.path}: the statement holds ${Array.isArray(values[0]) ? 'a list' : values[0] === null ? 'null' : 'an object'} there, not a value to match ${show(c.glob)}`
    };
  const got = scalars.length === 1 ? show(scalars[0]) : `${scalars.slice(0, 3).map(show).join(', ')}${scalars.length > 3 ? ', …' : ''}`;
  return { ok: false, detail: `condition ${c.path}: ${got} does not match ${show(c.glob)}` };
}

// ---------------------------------------------------------------------------------------------------
// GitHub artifact attestations

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The keyless identity and conditions `gh attestation verify` applies:
 * - `--owner O`: issued by GitHub Actions to a workflow of a repository of O;
 * - `--repo O/R`: … of that repository (certificate's source repository claim);
 * - `--signer-workflow [host/]O/R/path`: the signing workflow (the certificate's SAN) is that file, at any ref;
 * - `--source-ref REF`: the certificate's source repository ref;
 * - `--deny-self-hosted-runners`: the SLSA v1 provenance names GitHub's hosted runner as builder.
 */
export function githubPreset(p: GithubAttestationPreset): { keyless: KeylessIdentity; conditions: AttestationCondition[] } | { error: string } {
  if (p.owner === undefined && p.repo === undefined) return { error: 'github: needs "owner" or "repo"' };
  const repo = p.repo?.replace(/^https:\/\/github\.com\//, '');
  if (repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) return { error: `github.repo ${JSON.stringify(p.repo)} is not owner/repo` };
  const owner = p.owner ?? repo!.split('/')[0]!;
  if (!/^[A-Za-z0-9_.-]+$/.test(owner)) return { error: `github.owner ${JSON.stringify(p.owner)} is not an owner name` };
  if (repo !== undefined && p.owner !== undefined && repo.split('/')[0]!.toLowerCase() !== owner.toLowerCase())
    return { error: `github.repo ${repo} is not a repository of owner ${owner}` };
  let identityRegexp: string;
  if (p.signerWorkflow !== undefined) {
    const wf = p.signerWorkflow.replace(/^https:\/\//, '').replace(/^github\.com\//, '');
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\S+$/.test(wf))
      return { error: `github.signer-workflow ${JSON.stringify(p.signerWorkflow)} is not owner/repo/path/to/workflow.yml` };
    identityRegexp = `https://github\\.com/${escapeRe(wf)}@.+`;
  } else identityRegexp = repo !== undefined ? `https://github\\.com/${escapeRe(repo)}/.+` : `https://github\\.com/${escapeRe(owner)}/[^/]+/.+`;
  const keyless: KeylessIdentity = { issuer: GITHUB_ISSUER, identityRegexp };
  const github: KeylessIdentity['github'] = {};
  if (repo !== undefined) github.repository = repo;
  if (p.sourceRef !== undefined) github.ref = p.sourceRef;
  if (Object.keys(github).length > 0) keyless.github = github;
  const conditions: AttestationCondition[] = [];
  if (p.denySelfHostedRunners) conditions.push({ path: 'predicate.runDetails.builder.id', glob: GITHUB_HOSTED_BUILDER });
  return { keyless, conditions };
}

// ---------------------------------------------------------------------------------------------------
// Statements

export interface InTotoStatement {
  predicateType: string;
  /** Each subject's digest map (algorithm → hex). */
  subjects: Record<string, string>[];
  /** The whole document, for conditions and facts. */
  doc: Record<string, unknown>;
}

export function parseStatement(bytes: Uint8Array): { ok: true; statement: InTotoStatement } | { ok: false; detail: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, detail: 'the payload is not UTF-8 JSON' };
  }
  if (!isObject(doc) || typeof doc._type !== 'string' || !doc._type.startsWith('https://in-toto.io/Statement/'))
    return { ok: false, detail: 'the payload is not an in-toto Statement (no https://in-toto.io/Statement/ _type)' };
  if (typeof doc.predicateType !== 'string' || doc.predicateType === '') return { ok: false, detail: "the in-toto Statement has no 'predicateType'" };
  if (!Array.isArray(doc.subject) || doc.subject.length === 0) return { ok: false, detail: "the in-toto Statement has no 'subject'" };
  const subjects: Record<string, string>[] = [];
  for (const s of doc.subject.slice(0, 10_000)) {
    if (!isObject(s) || !isObject(s.digest)) return { ok: false, detail: "an in-toto subject has no 'digest' object" };
    subjects.push(Object.fromEntries(Object.entries(s.digest).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }
  return { ok: true, statement: { predicateType: doc.predicateType, subjects, doc } };
}

const DIGEST_RE = /^(sha256|sha384|sha512):([a-f0-9]{64,128})$/;

/** Whether one subject of the statement is `digest` (`sha256:<hex>`). */
export function subjectMatches(st: Pick<InTotoStatement, 'subjects'>, digest: string): boolean {
  const m = DIGEST_RE.exec(digest);
  return !!m && st.subjects.some((d) => d[m[1]!]?.toLowerCase() === m[2]);
}

function subjectList(subjects: readonly Record<string, string>[]): string {
  const all = subjects.flatMap((d) => Object.entries(d).map(([alg, hex]) => `${alg}:${hex.slice(0, 128)}`));
  return all.length === 0 ? 'no digest' : all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}

/** What reviewers want from a statement: who built it from what, or what an SBOM holds. */
export interface AttestationFacts {
  builder?: string;
  buildType?: string;
  sourceRepository?: string;
  sourceCommit?: string;
  sourceRef?: string;
  trigger?: string;
  runnerEnvironment?: string;
  sbomFormat?: string;
  packages?: number;
}

const at = (doc: unknown, path: string): unknown => {
  let cur = doc;
  for (const k of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(k)) cur = cur[Number(k)];
    else if (isObject(cur)) cur = cur[k];
    else return undefined;
  }
  return cur;
};
const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, 300) : undefined);

export function attestationFacts(st: InTotoStatement): AttestationFacts {
  const d = st.doc;
  const out: AttestationFacts = {};
  const set = (k: keyof AttestationFacts, v: string | number | undefined) => {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  };
  if (st.predicateType === SLSA_V1) {
    set('builder', s(at(d, 'predicate.runDetails.builder.id')));
    set('buildType', s(at(d, 'predicate.buildDefinition.buildType')));
    const wf = at(d, 'predicate.buildDefinition.externalParameters.workflow');
    const dep = at(d, 'predicate.buildDefinition.resolvedDependencies.0');
    const depUri = s(at(dep, 'uri'));
    set('sourceRepository', s(at(wf, 'repository')) ?? depUri?.replace(/^git\+/, '').replace(/@.*$/, ''));
    set('sourceRef', s(at(wf, 'ref')) ?? (depUri?.includes('@') ? depUri.slice(depUri.lastIndexOf('@') + 1) : undefined));
    set('sourceCommit', s(at(dep, 'digest.gitCommit')) ?? s(at(dep, 'digest.sha1')));
    set('trigger', s(at(d, 'predicate.buildDefinition.internalParameters.github.event_name')));
    set('runnerEnvironment', s(at(d, 'predicate.buildDefinition.internalParameters.github.runner_environment')));
  } else if (st.predicateType.startsWith('https://slsa.dev/provenance/v0.')) {
    set('builder', s(at(d, 'predicate.builder.id')));
    set('buildType', s(at(d, 'predicate.buildType')));
    const uri = s(at(d, 'predicate.invocation.configSource.uri'));
    set('sourceRepository', uri?.replace(/^git\+/, '').replace(/@.*$/, ''));
    set('sourceRef', uri?.includes('@') ? uri.slice(uri.lastIndexOf('@') + 1) : undefined);
    set('sourceCommit', s(at(d, 'predicate.invocation.configSource.digest.sha1')));
    set('trigger', s(at(d, 'predicate.invocation.environment.github_event_name')));
  } else if (st.predicateType.startsWith('https://spdx.dev/Document')) {
    set('sbomFormat', s(at(d, 'predicate.spdxVersion')) ?? 'SPDX');
    const p = at(d, 'predicate.packages');
    if (Array.isArray(p)) set('packages', p.length);
  } else if (st.predicateType.startsWith('https://cyclonedx.org/')) {
    const v = s(at(d, 'predicate.specVersion'));
    set('sbomFormat', v ? `CycloneDX ${v}` : 'CycloneDX');
    const c = at(d, 'predicate.components');
    if (Array.isArray(c)) set('packages', c.length);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Checking one found attestation

/** How an attestation was stored. */
export type AttestationFormat = 'referrers' | 'referrers-tag-fallback' | 'cosign-legacy-tag' | 'buildkit' | 'offline-file';

/** An attestation as discovered (src/io/registry/attestations.ts) or read from a file. */
export interface FoundAttestation {
  format: AttestationFormat;
  /**
   * `sigstore-bundle`: a Sigstore bundle with a DSSE envelope (payload = bundle JSON); `in-toto`: a bare
   * statement (BuildKit), authenticated only through a verified signature of the index that lists it.
   */
  kind: 'sigstore-bundle' | 'in-toto';
  payload: Uint8Array;
  /** Where it came from: manifest digest, file name… (for messages). */
  origin: string;
  /** BuildKit: the index whose signature vouches for it and the manifest it is about. */
  index?: string;
  /** A reason it could not be used at all, found during discovery (malformed envelope, too large…). */
  problem?: string;
}

/** The outcome of one found attestation against one `attestations:` entry. */
export interface AttestationCheck {
  /** `attestations[N]` of the policy. */
  requirement: number;
  format: AttestationFormat;
  /** The statement's predicateType (as read, or as verified when ok). */
  predicateType?: string;
  /** The digest it was checked against. */
  digest: string;
  ok: boolean;
  /** verified, condition-failed, digest-mismatch, malformed-statement, unsigned, and the bundle verifier's reasons. */
  reason: string;
  detail: string;
  signer?: string;
  facts?: AttestationFacts;
}

export interface AttestationSigners {
  keys: readonly { name: string; key: crypto.KeyObject }[];
  keyless: readonly KeylessIdentity[];
  trustedRoot?: () => TrustedRoot;
  now?: Date;
  /** BuildKit statements: a verified signature (by these signers) of the index, `signer` naming it. */
  indexSignature?: (indexDigest: string) => { ok: true; signer: string } | { ok: false; detail: string };
}

/** The payload type of a bundle's DSSE envelope without trusting it: for skipping other types only. */
export function peekPredicateType(att: FoundAttestation): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(att.payload);
    const doc = JSON.parse(text) as unknown;
    if (att.kind === 'in-toto') return isObject(doc) && typeof doc.predicateType === 'string' ? doc.predicateType : undefined;
    const env = isObject(doc) ? doc.dsseEnvelope : undefined;
    if (!isObject(env) || typeof env.payload !== 'string') return undefined;
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as unknown;
    return isObject(st) && typeof st.predicateType === 'string' ? st.predicateType : undefined;
  } catch {
    return undefined;
  }
}

/** The DSSE payload of a bundle that verified (the same bytes the signature covered). */
function bundlePayload(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as { dsseEnvelope?: { payload?: unknown } };
    return typeof doc.dsseEnvelope?.payload === 'string' ? Buffer.from(doc.dsseEnvelope.payload, 'base64') : undefined;
  } catch {
    return undefined;
  }
}

/** Type, subject and conditions of an authenticated statement. */
export function judgeStatement(
  st: InTotoStatement,
  spec: Pick<AttestationPolicy, 'predicateTypes' | 'conditions' | 'type'>,
  digest: string
): { ok: true } | { ok: false; reason: string; detail: string } {
  if (!spec.predicateTypes.includes(st.predicateType))
    return { ok: false, reason: 'wrong-type', detail: `the attestation is ${show(st.predicateType)}, not ${spec.type}` };
  if (!subjectMatches(st, digest))
    return { ok: false, reason: 'digest-mismatch', detail: `the attestation is about ${subjectList(st.subjects)}, not ${digest}` };
  for (const c of spec.conditions) {
    const r = evaluateCondition(st.doc, c);
    if (!r.ok) return { ok: false, reason: 'condition-failed', detail: r.detail };
  }
  return { ok: true };
}

/**
 * One found attestation against one entry: the signature first (through the bundle verifier), then the
 * statement. Never ok unless a signer of the entry verified it and its subject is `digest`.
 */
export function checkAttestation(
  att: FoundAttestation,
  spec: AttestationPolicy,
  requirement: number,
  digest: string,
  signers: AttestationSigners
): AttestationCheck {
  const base = { requirement, format: att.format, digest };
  const failed = (reason: string, detail: string, extra: Partial<AttestationCheck> = {}): AttestationCheck => ({
    ...base,
    ok: false,
    reason,
    detail,
    ...extra
  });
  if (att.problem) return failed('malformed-attestation', `${att.origin}: ${att.problem}`);
  let payload: Uint8Array;
  let signer: string;
  if (att.kind === 'sigstore-bundle') {
    if (!signers.trustedRoot) return failed('unsupported-format', 'no trusted root to verify a Sigstore bundle');
    if (signers.keys.length === 0 && signers.keyless.length === 0) return failed('identity-mismatch', 'the policy names no signer for this attestation');
    // verifyImageBundle authenticates (steps 1–6) and only then reads the statement: `not-a-signature`
    // with a predicateType means "verified, and it is an attestation" — what is wanted here.
    const r = verifyImageBundle(att.payload, {
      digest,
      trustedRoot: signers.trustedRoot(),
      identities: [...signers.keyless],
      keys: signers.keys.map((k) => k.key),
      now: signers.now
    });
    const authenticated = (r.reason === 'not-a-signature' || r.ok || r.reason === 'digest-mismatch') && r.signer !== undefined && r.predicateType !== undefined;
    if (!authenticated)
      return failed(
        r.reason === 'malformed-bundle' && /in-toto|DSSE payload/.test(r.detail) ? 'malformed-statement' : r.reason,
        `${att.origin}: ${r.detail}`,
        r.signer ? { signer: r.signer } : {}
      );
    const p = bundlePayload(att.payload);
    if (!p) return failed('malformed-statement', `${att.origin}: the bundle has no DSSE payload`);
    if (spec.github?.denySelfHostedRunners) {
      const runner = runnerEnvironmentProblem(att.payload);
      if (runner) return failed('identity-mismatch', `${att.origin}: ${runner}`, { signer: r.signer! });
    }
    payload = p;
    signer = r.signer!;
  } else {
    if (!att.index || !signers.indexSignature)
      return failed(
        'unsigned',
        `${att.origin}: a BuildKit attestation is not signed itself; it counts only when the index listing it has a verified signature`
      );
    const r = signers.indexSignature(att.index);
    if (!r.ok)
      return failed(
        'unsigned',
        `${att.origin}: a BuildKit attestation is not signed itself and the index ${att.index} that lists it has no verified signature (${r.detail}): sign the index (cosign sign <image>@${att.index})`
      );
    payload = att.payload;
    signer = `index-signature:${r.signer}`;
  }
  const parsed = parseStatement(payload);
  if (!parsed.ok) return failed('malformed-statement', `${att.origin}: ${parsed.detail}`, { signer });
  const st = parsed.statement;
  if (st.predicateType === COSIGN_SIGN_PREDICATE && !spec.predicateTypes.includes(COSIGN_SIGN_PREDICATE))
    return failed('wrong-type', 'a cosign signature, not an attestation', { signer, predicateType: st.predicateType });
  const j = judgeStatement(st, spec, digest);
  const facts = attestationFacts(st);
  const extra = { signer, predicateType: st.predicateType, ...(Object.keys(facts).length > 0 ? { facts } : {}) };
  if (!j.ok) return failed(j.reason, j.detail, extra);
  return { ...base, ok: true, reason: 'verified', detail: `${st.predicateType} for ${digest} signed by ${signer}`, ...extra };
}

/** Fulcio's Runner Environment extension (GitHub Actions: `github-hosted` or `self-hosted`). */
export const RUNNER_ENVIRONMENT_OID = '1.3.6.1.4.1.57264.1.11';

/**
 * `--deny-self-hosted-runners` on the certificate, as gh checks it: the runner environment comes from
 * GitHub's OIDC token (the workflow cannot choose it, unlike the predicate it writes). A certificate
 * without the extension (older Fulcio, a key) is left to the provenance's builder condition; one that
 * says anything but `github-hosted` is rejected. Read from a bundle that already verified.
 */
export function runnerEnvironmentProblem(bundle: Uint8Array): string | undefined {
  let raw: string | undefined;
  try {
    const doc = JSON.parse(Buffer.from(bundle).toString('utf8')) as {
      verificationMaterial?: { certificate?: { rawBytes?: unknown }; x509CertificateChain?: { certificates?: { rawBytes?: unknown }[] } };
    };
    const vm = doc.verificationMaterial;
    const r = vm?.certificate?.rawBytes ?? vm?.x509CertificateChain?.certificates?.[0]?.rawBytes;
    raw = typeof r === 'string' ? r : undefined;
  } catch {
    return 'the bundle cannot be read for its certificate';
  }
  if (raw === undefined) return undefined;
  let value: string | undefined;
  try {
    const ext = X509Certificate.parse(Buffer.from(raw, 'base64')).extension(RUNNER_ENVIRONMENT_OID);
    if (!ext) return undefined;
    const inner = ext.valueObj.subs;
    value = inner.length === 1 && inner[0]!.tag.number === 0x0c ? inner[0]!.value.toString('utf8') : ext.value.toString('utf8');
  } catch {
    return "the signing certificate's runner environment cannot be read";
  }
  return value === 'github-hosted' ? undefined : `the certificate's runner environment is ${show(value)}, not "github-hosted" (self-hosted runners are denied)`;
}

// ---------------------------------------------------------------------------------------------------
// The image's attestation requirement

export interface AttestationFailure {
  requirement: 'attestation';
  message: string;
}

/** Rejections ranked by how much they tell (a failed condition says more than "another type"). */
const TELLING = [
  'condition-failed',
  'digest-mismatch',
  'identity-mismatch',
  'untrusted-key',
  'malformed-statement',
  'malformed-attestation',
  'unsigned',
  'bad-signature',
  'certificate-invalid',
  'tlog-invalid',
  'timestamp-invalid',
  'malformed-bundle'
];
const rank = (r: string) => (TELLING.indexOf(r) < 0 ? TELLING.length : TELLING.indexOf(r));

/**
 * Each `attestations:` entry must have a verified attestation for the digest the reference resolved to,
 * or (a multi-arch image attested per platform, as BuildKit does) for every platform digest. `checks`
 * holds the checks of every entry for every digest looked at.
 */
export function evaluateAttestations(
  specs: readonly AttestationPolicy[],
  checks: readonly AttestationCheck[],
  digest: string,
  platforms: readonly string[] = [],
  foundTypes: readonly string[] = []
): AttestationFailure[] {
  const out: AttestationFailure[] = [];
  if (specs.length === 0) {
    out.push({ requirement: 'attestation', message: 'the policy requires "attestation" but lists no attestations' });
    return out;
  }
  specs.forEach((spec, i) => {
    const mine = checks.filter((c) => c.requirement === i);
    const okFor = (d: string) => mine.some((c) => c.ok && c.digest === d);
    if (okFor(digest) || (platforms.length > 0 && platforms.every(okFor))) return;
    const relevant = mine.filter((c) => !c.ok && c.reason !== 'wrong-type');
    const where = platforms.length > 0 ? `${digest} (or each of its ${platforms.length} platforms)` : digest;
    if (relevant.length === 0) {
      const found = [...new Set(foundTypes)];
      out.push({
        requirement: 'attestation',
        message: `no ${spec.type} attestation found for ${where}${found.length > 0 ? ` (found: ${found.slice(0, 5).join(', ')})` : ' (no attestations found)'}`
      });
      return;
    }
    const best = [...relevant].sort((a, b) => rank(a.reason) - rank(b.reason))[0]!;
    const more = relevant.length > 1 ? ` (and ${relevant.length - 1} more rejected)` : '';
    out.push({ requirement: 'attestation', message: `${spec.type} attestation rejected: ${best.detail}${more}` });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Config: the `attestations:` list of a policy (called by the config loader, which has checked the
// shapes against the schema; this checks what the schema cannot)

export interface AttestationParseContext {
  file: string;
  /** Throws a ConfigError at the JSON pointer. */
  fail: (pointer: string, detail: string) => never;
  line: (pointer: string) => number;
  resolvePath: (p: string) => string;
  /** Checks an inline key (throws a ConfigError); key files are checked when the run reads them. */
  checkInlineKey: (pem: string, spec: KeySpec) => unknown;
  regexpProblem: (source: string) => string | undefined;
  /** The policy names keys or keyless signers (the default signers of entries that name none). */
  policyHasSigners: boolean;
}

type RawEntry = Record<string, unknown>;

export function parseAttestationEntries(raw: readonly unknown[], at: string, ctx: AttestationParseContext): AttestationPolicy[] {
  return raw.map((item, i): AttestationPolicy => {
    const ptr = `${at}/${i}`;
    const e = (isObject(item) ? item : {}) as RawEntry;
    const source = { file: ctx.file, line: ctx.line(ptr) };
    let github: GithubAttestationPreset | undefined;
    const keyless: KeylessIdentity[] = [];
    const conditions: AttestationCondition[] = [];
    if (isObject(e.github)) {
      // The preset is the signer: extra keys/keyless would widen it (any signer may match), not narrow it.
      if (e.keys !== undefined || e.keyless !== undefined) ctx.fail(ptr, '"github" names the signer: use it or "keys"/"keyless", not both');
      const g = e.github;
      github = {};
      if (typeof g.owner === 'string') github.owner = g.owner;
      if (typeof g.repo === 'string') github.repo = g.repo;
      if (typeof g['signer-workflow'] === 'string') github.signerWorkflow = g['signer-workflow'];
      if (typeof g['source-ref'] === 'string') github.sourceRef = g['source-ref'];
      if (g['deny-self-hosted-runners'] === true) github.denySelfHostedRunners = true;
      const preset = githubPreset(github);
      if ('error' in preset) ctx.fail(`${ptr}/github`, preset.error);
      keyless.push(preset.keyless);
      conditions.push(...preset.conditions);
    }
    const type = typeof e.type === 'string' ? e.type : github ? SLSA_V1 : undefined;
    if (type === undefined) ctx.fail(ptr, 'an attestation needs a "type" (a predicate type URI or a short name such as slsaprovenance1, spdx)');
    const resolved = resolvePredicateType(type);
    if (!resolved.ok) ctx.fail(`${ptr}/type`, resolved.detail);
    const keys = ((e.keys ?? []) as (string | { path?: string; pem?: string })[]).map((k, j): KeySpec => {
      const kp = `${ptr}/keys/${j}`;
      const spec: KeySpec = { source: { file: ctx.file, line: ctx.line(kp) } };
      if (typeof k === 'string') spec.path = ctx.resolvePath(k);
      else if ((k.path === undefined) === (k.pem === undefined)) ctx.fail(kp, 'a key needs exactly one of "path" or "pem"');
      else if (k.path !== undefined) spec.path = ctx.resolvePath(k.path);
      else {
        spec.pem = k.pem as string;
        ctx.checkInlineKey(spec.pem, spec);
      }
      return spec;
    });
    ((e.keyless ?? []) as unknown[]).forEach((k, j) => {
      const kp = `${ptr}/keyless/${j}`;
      if (!isObject(k) || typeof k.issuer !== 'string' || k.issuer === '') ctx.fail(kp, 'a keyless signer needs an "issuer"');
      const allowed = new Set(['issuer', 'identity', 'identity-regexp', 'github']);
      const extra = Object.keys(k).find((x) => !allowed.has(x));
      if (extra) ctx.fail(kp, `unknown key "${extra}" (issuer, identity, identity-regexp, github)`);
      const identity = typeof k.identity === 'string' ? k.identity : undefined;
      const identityRegexp = typeof k['identity-regexp'] === 'string' ? k['identity-regexp'] : undefined;
      if ((identity === undefined) === (identityRegexp === undefined)) ctx.fail(kp, 'a keyless signer needs exactly one of "identity" or "identity-regexp"');
      if (identityRegexp !== undefined) {
        const problem = ctx.regexpProblem(identityRegexp);
        if (problem) ctx.fail(`${kp}/identity-regexp`, `invalid identity-regexp ${JSON.stringify(identityRegexp)}: ${problem}`);
      }
      const out: KeylessIdentity = { issuer: k.issuer as string };
      if (identity !== undefined) out.identity = identity;
      if (identityRegexp !== undefined) out.identityRegexp = identityRegexp;
      if (k.github !== undefined) {
        const g = k.github;
        const fields = ['repository', 'ref', 'sha', 'trigger', 'workflow'];
        if (!isObject(g) || Object.entries(g).some(([f, v]) => !fields.includes(f) || typeof v !== 'string'))
          ctx.fail(`${kp}/github`, `github claims are strings among ${fields.join(', ')}`);
        out.github = { ...(g as KeylessIdentity['github']) };
      }
      keyless.push(out);
    });
    if (isObject(e.conditions)) {
      for (const [path, glob] of Object.entries(e.conditions)) {
        if (!splitConditionPath(path)) ctx.fail(`${ptr}/conditions`, `condition path ${JSON.stringify(path)} is not a dotted path (a.b.c)`);
        conditions.push({ path, glob: String(glob) });
      }
    }
    if (keys.length === 0 && keyless.length === 0 && !ctx.policyHasSigners)
      ctx.fail(ptr, 'the attestation names no "keys", "keyless" or "github" signer and the policy names none to default to');
    return { type, predicateTypes: resolved.types, keys, keyless, conditions, ...(github ? { github } : {}), source };
  });
}

// ---------------------------------------------------------------------------------------------------
// Offline bundle files

/** At most this many bundles per file (a gh attestation download file holds a handful). */
export const MAX_BUNDLES_PER_FILE = 256;

/**
 * The bundles in a file: one JSON bundle (pretty-printed or not), or JSON lines as `gh attestation
 * download` writes them (one bundle per line; a line `{ "bundle": … }` as the GitHub API returns it is
 * unwrapped). A line that is not JSON is an error naming its number: the file is not guessed at.
 */
export function splitBundleFile(bytes: Uint8Array): { ok: true; bundles: Uint8Array[] } | { ok: false; detail: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, detail: 'the file is not UTF-8 text' };
  }
  const unwrap = (doc: unknown): Uint8Array | undefined => {
    const b = isObject(doc) && isObject(doc.bundle) && doc.mediaType === undefined ? doc.bundle : doc;
    return isObject(b) ? Buffer.from(JSON.stringify(b)) : undefined;
  };
  try {
    const whole = JSON.parse(text) as unknown;
    const one = unwrap(whole);
    if (one) return { ok: true, bundles: [one] };
    if (Array.isArray(whole)) {
      const all = whole.slice(0, MAX_BUNDLES_PER_FILE).map(unwrap);
      if (all.length > 0 && all.every((b) => b !== undefined)) return { ok: true, bundles: all as Uint8Array[] };
    }
    return { ok: false, detail: 'the file holds JSON that is not a bundle object' };
  } catch {
    // JSON lines
  }
  const bundles: Uint8Array[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (bundles.length >= MAX_BUNDLES_PER_FILE) return { ok: false, detail: `more than ${MAX_BUNDLES_PER_FILE} bundles in one file` };
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      return { ok: false, detail: `line ${i + 1} is not JSON (neither a bundle nor JSON lines of bundles)` };
    }
    const b = unwrap(doc);
    if (!b) return { ok: false, detail: `line ${i + 1} is not a bundle object` };
    bundles.push(b);
  }
  return bundles.length > 0 ? { ok: true, bundles } : { ok: false, detail: 'the file holds no bundle' };
}

/**
 * After a bundle verified (signature, log, subject): its statement against a predicate type and
 * conditions, for `verify-bundle --predicate-type/--condition`. Reads the DSSE payload the signature covered.
 */
export function checkVerifiedStatement(
  bundle: Uint8Array,
  spec: Pick<AttestationPolicy, 'type' | 'predicateTypes' | 'conditions'>
): { ok: true; predicateType: string; facts: AttestationFacts } | { ok: false; reason: string; detail: string } {
  const payload = bundlePayload(bundle);
  if (!payload) return { ok: false, reason: 'not-an-attestation', detail: 'the bundle is a message signature, not an attestation (no DSSE in-toto statement)' };
  const parsed = parseStatement(payload);
  if (!parsed.ok) return { ok: false, reason: 'malformed-statement', detail: parsed.detail };
  const st = parsed.statement;
  if (!spec.predicateTypes.includes(st.predicateType))
    return { ok: false, reason: 'wrong-type', detail: `the attestation is ${show(st.predicateType)}, not ${spec.type}` };
  for (const c of spec.conditions) {
    const r = evaluateCondition(st.doc, c);
    if (!r.ok) return { ok: false, reason: 'condition-failed', detail: r.detail };
  }
  return { ok: true, predicateType: st.predicateType, facts: attestationFacts(st) };
}

/** `path=glob` as `--condition` takes it. */
export function parseConditionArg(arg: string): AttestationCondition | undefined {
  const i = arg.indexOf('=');
  if (i <= 0) return undefined;
  const path = arg.slice(0, i).trim();
  return splitConditionPath(path) ? { path, glob: arg.slice(i + 1) } : undefined;
}

/** Facts as one short line: `builder …, source … @ commit, trigger …` or `SPDX-2.3, 42 packages`. */
export function formatFacts(f: AttestationFacts | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.builder) parts.push(`builder ${f.builder}`);
  if (f.sourceRepository)
    parts.push(`source ${f.sourceRepository}${f.sourceRef ? ` ${f.sourceRef}` : ''}${f.sourceCommit ? ` @ ${f.sourceCommit.slice(0, 12)}` : ''}`);
  if (f.trigger) parts.push(`trigger ${f.trigger}`);
  if (f.sbomFormat) parts.push(`${f.sbomFormat}${f.packages !== undefined ? `, ${f.packages} package${f.packages === 1 ? '' : 's'}` : ''}`);
  return parts.join(', ');
}
