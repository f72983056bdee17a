/**
 * Attestations of an image, the I/O half (issue 13): where they are stored, and the run step that checks
 * them against a policy's `attestations:` list.
 *
 * Discovery, for an image digest:
 * - Sigstore bundles as OCI 1.1 referrers (API or `sha256-<hex>` tag scheme): what
 *   actions/attest-build-provenance (push-to-registry), `cosign attest --new-bundle-format` and
 *   `cosign attest` 3.x write. They are found by the signature discovery (signatures.ts, same artifact
 *   type), whose results are shared when the policy also requires signatures.
 * - cosign's legacy tag `sha256-<hex>.att`: an image whose layers (`application/vnd.dsse.envelope.v1+json`)
 *   are DSSE envelopes, with the Fulcio certificate/chain and the Rekor entry in layer annotations
 *   (`dev.sigstore.cosign/certificate`, `…/chain`, `…/bundle`). Each becomes a Sigstore bundle v0.1 (the
 *   Rekor inclusion promise as its log evidence) so that @sigstore/verify checks it like any other; an
 *   envelope without a Rekor entry is rejected by the verifier for want of a trusted signing time.
 * - BuildKit attestation manifests inside the image index (`vnd.docker.reference.type:
 *   attestation-manifest`): unsigned in-toto statements (`application/vnd.in-toto+json` layers) about
 *   the platform manifest named by `vnd.docker.reference.digest`. They count only when the index that
 *   lists them (content-addressed, so it pins their bytes) has a verified signature by the entry's signers.
 * - Offline bundle files (`--bundle FILE`): single bundles or gh attestation download's JSON lines.
 * Every manifest goes through RegistryClient.resolve (digest checked) and every blob through fetchBlob
 * (digest and size checked); a malformed envelope is kept as a found attestation with its problem, so it
 * is a rejection with a message, never a silent skip.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkKeySpec, ConfigError } from '../../core/config/load.js';
import { normalizeImage, type ImageRef } from '../../core/image-ref.js';
import {
  checkAttestation,
  evaluateAttestations,
  peekPredicateType,
  splitBundleFile,
  type AttestationCheck,
  type AttestationFailure,
  type AttestationPolicy,
  type FoundAttestation
} from '../../core/verify/attestations.js';
import { checkSignature, type PolicyKey } from '../../core/verify/check.js';
import type { FoundSignature } from '../../core/verify/cosign.js';
import type { AppliedPolicy } from '../../core/verify/policy.js';
import type { TrustedRoot } from '../../core/verify/trusted-root.js';
import { RegistryError } from './client.js';
import { discoverSignatures, referrersFallbackTag, type SignatureSource } from './signatures.js';

export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';
export const BUNDLE_V01_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate';
const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain';
const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle';

/** An SBOM statement of a large image is megabytes; beyond this it is a rejection, not a memory spike. */
export const MAX_STATEMENT_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 64;
const DIGEST_RE = /^(sha256|sha384|sha512):[a-f0-9]{64,128}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject).slice(0, MAX_ENTRIES) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function at(image: ImageRef, o: { tag?: string; digest?: string }): ImageRef {
  const r: ImageRef = { raw: '', registry: image.registry, repository: image.repository, ...o };
  return { ...r, raw: normalizeImage(r) };
}

/** `sha256:abc…` → `sha256-abc….att` */
export const cosignAttestationTag = (digest: string) => `${referrersFallbackTag(digest)}.att`;

// ---------------------------------------------------------------------------------------------------
// cosign's legacy .att

const pemBlocks = (text: string) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]!.replace(/\s+/g, ''));

/**
 * A legacy .att layer (DSSE envelope + cosign annotations) as a Sigstore bundle v0.1, or the reason it
 * cannot be one. Nothing is verified here: the bundle goes to the same verifier as every other.
 */
export function legacyAttestationBundle(
  envelopeBytes: Uint8Array,
  annotations: Record<string, unknown>
): { ok: true; bundle: Uint8Array } | { ok: false; problem: string } {
  let env: unknown;
  try {
    env = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(envelopeBytes));
  } catch {
    return { ok: false, problem: 'the DSSE envelope is not UTF-8 JSON' };
  }
  if (!isObject(env) || typeof env.payload !== 'string' || typeof env.payloadType !== 'string' || !Array.isArray(env.signatures) || env.signatures.length === 0)
    return { ok: false, problem: 'the layer is not a DSSE envelope (payload, payloadType, signatures)' };
  const sigs = env.signatures.filter(isObject).map((s) => ({ sig: typeof s.sig === 'string' ? s.sig : '', keyid: typeof s.keyid === 'string' ? s.keyid : '' }));
  if (sigs.length !== 1 || sigs[0]!.sig === '') return { ok: false, problem: 'the DSSE envelope must carry exactly one signature' };
  const cert = str(annotations[ANNOTATION_CERTIFICATE]);
  const chain = str(annotations[ANNOTATION_CHAIN]);
  const certs = cert ? [...pemBlocks(cert), ...(chain ? pemBlocks(chain) : [])] : [];
  if (cert && certs.length === 0) return { ok: false, problem: `the ${ANNOTATION_CERTIFICATE} annotation is not a PEM certificate` };
  const tlogEntries: object[] = [];
  const rekor = str(annotations[ANNOTATION_BUNDLE]);
  if (rekor) {
    let b: unknown;
    try {
      b = JSON.parse(rekor);
    } catch {
      return { ok: false, problem: `the ${ANNOTATION_BUNDLE} annotation is not JSON` };
    }
    const p = isObject(b) && isObject(b.Payload) ? b.Payload : undefined;
    if (
      !p ||
      typeof b !== 'object' ||
      typeof (b as Record<string, unknown>).SignedEntryTimestamp !== 'string' ||
      typeof p.body !== 'string' ||
      typeof p.logID !== 'string'
    )
      return { ok: false, problem: `the ${ANNOTATION_BUNDLE} annotation is not a Rekor bundle (SignedEntryTimestamp, Payload)` };
    let kind: { kind?: unknown; apiVersion?: unknown };
    try {
      kind = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as typeof kind;
    } catch {
      return { ok: false, problem: 'the Rekor entry body is not JSON' };
    }
    if (!/^[0-9a-f]{64}$/.test(p.logID)) return { ok: false, problem: 'the Rekor entry names no log ID' };
    tlogEntries.push({
      logIndex: String(p.logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: String(kind.kind), version: String(kind.apiVersion) },
      integratedTime: String(p.integratedTime),
      inclusionPromise: { signedEntryTimestamp: (b as Record<string, unknown>).SignedEntryTimestamp },
      canonicalizedBody: p.body
    });
  }
  const verificationMaterial = {
    ...(certs.length > 0 ? { x509CertificateChain: { certificates: certs.map((rawBytes) => ({ rawBytes })) } } : { publicKey: { hint: sigs[0]!.keyid } }),
    tlogEntries,
    timestampVerificationData: { rfc3161Timestamps: [] }
  };
  const bundle = {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial,
    dsseEnvelope: { payload: env.payload, payloadType: env.payloadType, signatures: sigs }
  };
  return { ok: true, bundle: Buffer.from(JSON.stringify(bundle)) };
}

async function manifestByTag(source: SignatureSource, ref: ImageRef): Promise<{ digest: string; manifest: unknown } | undefined> {
  const listed = source.tags ? await source.tags(ref) : undefined;
  if (listed && ref.tag !== undefined && !listed.has(ref.tag)) return undefined;
  try {
    const r = await source.resolve(ref);
    return r.found ? { digest: r.digest, manifest: r.manifest } : undefined;
  } catch (e) {
    if (e instanceof RegistryError && e.status === 404) return undefined;
    throw e;
  }
}

async function fromLegacyTag(source: SignatureSource, image: ImageRef, digest: string): Promise<FoundAttestation[]> {
  const att = await manifestByTag(source, at(image, { tag: cosignAttestationTag(digest) }));
  if (!att || !isObject(att.manifest)) return [];
  const out: FoundAttestation[] = [];
  for (const layer of list(att.manifest.layers)) {
    const layerDigest = str(layer.digest);
    if (str(layer.mediaType) !== DSSE_ENVELOPE_MEDIA_TYPE || !layerDigest || !DIGEST_RE.test(layerDigest)) continue;
    const origin = `${cosignAttestationTag(digest)} layer ${layerDigest.slice(0, 19)}…`;
    const base = { format: 'cosign-legacy-tag' as const, kind: 'sigstore-bundle' as const, origin };
    if (typeof layer.size === 'number' && layer.size > MAX_STATEMENT_BYTES) {
      out.push({ ...base, payload: new Uint8Array(), problem: `the envelope is ${layer.size} bytes, over the ${MAX_STATEMENT_BYTES} limit` });
      continue;
    }
    const bytes = await source.fetchBlob(image, layerDigest, MAX_STATEMENT_BYTES);
    const b = legacyAttestationBundle(bytes, isObject(layer.annotations) ? layer.annotations : {});
    out.push(b.ok ? { ...base, payload: b.bundle } : { ...base, payload: new Uint8Array(), problem: b.problem });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// BuildKit attestation manifests

/** The in-toto statements BuildKit put in an image index, each with the platform digest it is about. */
export async function buildkitAttestations(
  source: SignatureSource,
  image: ImageRef,
  indexDigest: string,
  index: unknown
): Promise<(FoundAttestation & { for: string })[]> {
  if (!isObject(index) || !Array.isArray(index.manifests)) return [];
  const out: (FoundAttestation & { for: string })[] = [];
  for (const entry of list(index.manifests)) {
    const ann = isObject(entry.annotations) ? entry.annotations : {};
    if (ann['vnd.docker.reference.type'] !== 'attestation-manifest') continue;
    const digest = str(entry.digest);
    const about = str(ann['vnd.docker.reference.digest']);
    if (!digest || !DIGEST_RE.test(digest)) continue;
    const origin = `BuildKit attestation manifest ${digest.slice(0, 19)}…`;
    const base = { format: 'buildkit' as const, kind: 'in-toto' as const, origin, index: indexDigest, for: about ?? '' };
    if (!about || !DIGEST_RE.test(about)) {
      out.push({ ...base, payload: new Uint8Array(), problem: 'the attestation manifest names no vnd.docker.reference.digest' });
      continue;
    }
    const r = await source.resolve(at(image, { digest }));
    if (!r.found || !isObject(r.manifest)) continue;
    for (const layer of list(r.manifest.layers)) {
      const layerDigest = str(layer.digest);
      if (str(layer.mediaType) !== IN_TOTO_MEDIA_TYPE || !layerDigest || !DIGEST_RE.test(layerDigest)) continue;
      if (typeof layer.size === 'number' && layer.size > MAX_STATEMENT_BYTES) {
        out.push({ ...base, payload: new Uint8Array(), problem: `the statement is ${layer.size} bytes, over the ${MAX_STATEMENT_BYTES} limit` });
        continue;
      }
      out.push({ ...base, payload: await source.fetchBlob(image, layerDigest, MAX_STATEMENT_BYTES) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Offline files

/** Bundles from `--bundle` files (paths relative to cwd); an unreadable or malformed file is a usage error. */
export function readAttestationFiles(cwd: string, files: readonly string[], fail: (msg: string) => Error): FoundAttestation[] {
  const out: FoundAttestation[] = [];
  for (const f of files) {
    let bytes: Buffer;
    try {
      const st = fs.statSync(path.resolve(cwd, f));
      if (st.size > MAX_STATEMENT_BYTES * 4) throw fail(`${f}: the bundle file is ${st.size} bytes, over the ${MAX_STATEMENT_BYTES * 4} limit`);
      bytes = fs.readFileSync(path.resolve(cwd, f));
    } catch (e) {
      if (e instanceof Error && !('code' in e)) throw e;
      throw fail(`${f}: cannot read the bundle file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const split = splitBundleFile(bytes);
    if (!split.ok) throw fail(`${f}: ${split.detail}`);
    split.bundles.forEach((payload, i) =>
      out.push({ format: 'offline-file', kind: 'sigstore-bundle', payload, origin: split.bundles.length > 1 ? `${f} (bundle ${i + 1})` : f })
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The run step

export interface AttestationStepOptions {
  source: SignatureSource;
  image: ImageRef;
  /** What the reference resolved to, and the manifest (an index for multi-arch images). */
  digest: string;
  manifest: unknown;
  platforms: readonly string[];
  policy: AppliedPolicy;
  /** The policy's keys (read by the run). */
  policyKeys: readonly PolicyKey[];
  cwd: string;
  trustedRoot: () => TrustedRoot;
  now?: Date;
  /** Where signatures and attestations are stored when not next to the image. */
  repository?: ImageRef;
  /** Signatures (and bundles) already discovered for a digest by the signature step. */
  found?: ReadonlyMap<string, FoundSignature[]>;
  offline?: readonly FoundAttestation[];
}

export interface AttestationStepResult {
  checks: AttestationCheck[];
  failures: AttestationFailure[];
}

/** Keys of attestation entries, read once per entry (a ConfigError names the line that declared them). */
const entryKeys = new WeakMap<AttestationPolicy, PolicyKey[]>();
function keysOf(entry: AttestationPolicy, cwd: string, now: Date | undefined): PolicyKey[] {
  let keys = entryKeys.get(entry);
  if (keys) return keys;
  keys = entry.keys.map((spec, i) => {
    if (spec.path === undefined) return { name: `inline key #${i + 1}`, key: checkKeySpec(spec.pem ?? '', spec, now) };
    let pem: string;
    try {
      pem = fs.readFileSync(path.resolve(cwd, spec.path), 'utf8');
    } catch (e) {
      throw new ConfigError(
        spec.source.file,
        spec.source.line,
        `cannot read key file ${spec.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
      );
    }
    return { name: spec.path, key: checkKeySpec(pem, spec, now) };
  });
  entryKeys.set(entry, keys);
  return keys;
}

/** Reads every attestation key file of a policy up front: a config mistake is exit 2 before any request. */
export function checkAttestationKeys(policy: AppliedPolicy, cwd: string, now?: Date): void {
  for (const e of policy.attestations ?? []) keysOf(e, cwd, now);
}

/**
 * Finds the image's attestations and checks each against the entries whose predicate type it claims
 * (unauthenticated, only to skip others; the check itself authenticates). Per-platform referrers are read
 * only when the digest itself does not meet every entry.
 */
export async function verifyImageAttestations(o: AttestationStepOptions): Promise<AttestationStepResult> {
  const specs = o.policy.attestations ?? [];
  const signersOf = (spec: AttestationPolicy) => {
    const own = spec.keys.length > 0 || spec.keyless.length > 0;
    const keys = own ? keysOf(spec, o.cwd, o.now) : o.policyKeys;
    const keyless = own ? spec.keyless : o.policy.keyless;
    return { keys, keyless, trustedRoot: o.trustedRoot, now: o.now };
  };
  const found = new Map<string, FoundSignature[]>(o.found ?? []);
  const discovered = async (digest: string) => {
    let sigs = found.get(digest);
    if (!sigs) found.set(digest, (sigs = await discoverSignatures(o.source, o.image, digest, o.repository ? { repository: o.repository } : {})));
    return sigs;
  };
  const storeAt = o.repository ?? o.image;

  const checks: AttestationCheck[] = [];
  const foundTypes: string[] = [];
  const checkAll = (atts: readonly FoundAttestation[], digest: string) => {
    for (const att of atts) {
      const type = peekPredicateType(att);
      if (type) foundTypes.push(type);
      specs.forEach((spec, i) => {
        if (type !== undefined && !att.problem && !spec.predicateTypes.includes(type)) return;
        const signers = signersOf(spec);
        const indexSignature = (indexDigest: string) => {
          const sigs = found.get(indexDigest) ?? [];
          let last = 'no signature found';
          for (const sig of sigs) {
            const c = checkSignature(sig, indexDigest, signers);
            if (c.ok) return { ok: true as const, signer: c.signer ?? 'verified signature' };
            last = c.detail;
          }
          return { ok: false as const, detail: last };
        };
        checks.push(checkAttestation(att, spec, i, digest, { ...signers, indexSignature }));
      });
    }
  };
  const fromRegistry = async (digest: string): Promise<FoundAttestation[]> => {
    const bundles = (await discovered(digest))
      .filter((s) => s.kind === 'sigstore-bundle')
      .map((s): FoundAttestation => ({ format: s.format, kind: 'sigstore-bundle', payload: s.payload, origin: `referrer ${s.manifestDigest.slice(0, 19)}…` }));
    return [...bundles, ...(await fromLegacyTag(o.source, storeAt, digest))];
  };

  try {
    checkAll([...(await fromRegistry(o.digest)), ...(o.offline ?? [])], o.digest);
    if (o.platforms.length > 0) {
      const kit = await buildkitAttestations(o.source, o.image, o.digest, o.manifest);
      if (kit.length > 0) await discovered(o.digest); // the index signature vouches for them
      for (const p of o.platforms)
        checkAll(
          kit.filter((k) => k.for === p || k.problem),
          p
        );
      const unmet = () =>
        specs.some(
          (_, i) =>
            !checks.some(
              (c) =>
                c.requirement === i &&
                c.ok &&
                (c.digest === o.digest || o.platforms.every((p) => checks.some((x) => x.requirement === i && x.ok && x.digest === p)))
            )
        );
      if (unmet()) for (const p of o.platforms) checkAll(await fromRegistry(p), p);
    }
  } catch (e) {
    const detail = e instanceof RegistryError ? e.detail : (e as Error).message;
    return { checks, failures: [{ requirement: 'attestation', message: `attestations could not be read from the registry: ${detail}` }] };
  }
  return { checks: dedupe(checks), failures: evaluateAttestations(specs, checks, o.digest, o.platforms, foundTypes) };
}

/** The same rejection for each platform reads as noise: one per (entry, format, reason, detail). */
function dedupe(checks: AttestationCheck[]): AttestationCheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const k = `${c.requirement} ${c.digest} ${c.format} ${c.ok} ${c.reason} ${c.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
