/**
 * Finds cosign signatures of an image digest `<alg>:<hex>` in its repository, in the three places cosign
 * and OCI 1.1 registries put them:
 *
 * - `referrers`: the OCI 1.1 referrers API (`GET /v2/<repo>/referrers/<digest>`), when the source can ask
 *   it (the optional `referrers()` of {@link SignatureSource}: a RegistryClient can, so
 *   `createRegistryClient()` is a SignatureSource as it is).
 * - `referrers-tag-fallback`: the referrers tag schema `<alg>-<hex>` (an OCI index of the referrers),
 *   read when the API answers `{ supported: false }` (404: distribution 2.8 has no referrers API) or the
 *   source cannot ask it.
 * - `cosign-legacy-tag`: the tag `<alg>-<hex>.sig` — an OCI (or Docker) manifest whose layers are
 *   `application/vnd.dev.cosign.simplesigning.v1+json` payload blobs with the base64 signature in the
 *   layer annotation `dev.cosignproject.cosign/signature` (optional certificate and bundle annotations).
 *
 * A referrer is judged by the manifest it points to, never by its index entry: the entry's artifactType
 * only lets entries of other kinds (SBOMs, attestations) be skipped without a request. Entries whose
 * artifactType is a signature type, `application/vnd.oci.empty.v1+json` (what cosign 3.0.x writes into the
 * tag-scheme index) or absent are fetched; the manifest is kept when its own artifactType (else its config's
 * mediaType) is cosign's signature artifact (`application/vnd.dev.cosign.artifact.sig.v1+json`, same layers
 * as the legacy tag), a Sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`, the bundle JSON
 * as the payload) or empty, its `subject` names the image digest, and its layers are signatures.
 *
 * Signatures may live in another repository (cosign's `COSIGN_REPOSITORY`): `options.repository` names it,
 * and every lookup (referrers, tags, blobs) goes there; what was signed is still the image's digest. Every
 * manifest is fetched through RegistryClient.resolve (digests checked) and every payload through fetchBlob
 * (digest checked): the payload bytes are exactly what was signed. The one exception saves a request and
 * changes no bytes: a simple-signing layer whose sha256 digest and size are those of the payload cosign
 * writes for this digest with no annotations is that payload (knownCosignPayload), so it is not fetched.
 * A missing tag means "no signatures there"; any other registry error is thrown. When the registry lists
 * the repository's tags, tags it does not list are not asked for.
 */
import type { ImageRef } from '../../core/image-ref.js';
import { DOCKER_HUB, imageName, normalizeImage } from '../../core/image-ref.js';
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CHAIN,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_SIGNATURE,
  COSIGN_SIG_ARTIFACT_TYPE,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  knownCosignPayload,
  type FoundSignature,
  type SignatureFormat
} from '../../core/verify/cosign.js';
import { RegistryError, type ReferrersAnswer, type RegistryClient } from './client.js';

export type { FoundSignature, SignatureFormat } from '../../core/verify/cosign.js';
export type { ReferrersAnswer } from './client.js';

/** What discovery needs of a registry: a RegistryClient is one; `referrers` and `tags` are optional for stand-ins. */
export type SignatureSource = Pick<RegistryClient, 'resolve' | 'fetchBlob'> & {
  referrers?: (repository: ImageRef, digest: string, artifactType?: string) => Promise<ReferrersAnswer>;
  /** The repository's tags, when the registry lists them (undefined: ask for each tag). */
  tags?: (repository: ImageRef) => Promise<Set<string> | undefined>;
};

export const SIGNATURE_ARTIFACT_TYPES: readonly string[] = [COSIGN_SIG_ARTIFACT_TYPE, SIGSTORE_BUNDLE_MEDIA_TYPE];
/** The OCI empty descriptor's media type: cosign 3.0.x lists its bundle referrers with it as artifactType. */
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
/** Index entries worth fetching: a signature type, the empty type, or none at all. */
const maybeSignature = (artifactType: string | undefined) =>
  artifactType === undefined || artifactType === OCI_EMPTY_MEDIA_TYPE || SIGNATURE_ARTIFACT_TYPES.includes(artifactType);

const MAX_PAYLOAD_BYTES = 1024 * 1024;
const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;
/** Per manifest / per index: a real image has a handful. */
const MAX_ENTRIES = 64;
const DIGEST_RE = /^(sha256|sha384|sha512):([a-f0-9]+)$/;

/** `sha256:abc…` → `sha256-abc….sig` */
export function cosignSignatureTag(digest: string): string {
  return `${referrersFallbackTag(digest)}.sig`;
}

/** `sha256:abc…` → `sha256-abc…` (the OCI 1.1 referrers tag schema) */
export function referrersFallbackTag(digest: string): string {
  const m = DIGEST_RE.exec(digest);
  if (!m) throw new Error(`not an image digest: ${digest}`);
  return `${m[1]}-${m[2]}`;
}

function withTag(image: ImageRef, tag: string): ImageRef {
  const r: ImageRef = { raw: '', registry: image.registry, repository: image.repository, tag };
  return { ...r, raw: normalizeImage(r) };
}

function withDigest(image: ImageRef, digest: string): ImageRef {
  const r: ImageRef = { raw: '', registry: image.registry, repository: image.repository, digest };
  return { ...r, raw: normalizeImage(r) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject).slice(0, MAX_ENTRIES) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Where signatures of `digest` are looked up, and the names cosign may have written into their payloads. */
interface Lookup {
  image: ImageRef;
  digest: string;
  dockerReferences: string[];
}

/**
 * The `docker-reference` values `cosign sign` writes for an image: its repository as go-containerregistry
 * names it (Docker Hub as `index.docker.io/…`), for the image and for the signature repository. Only used
 * to recognise a payload by its digest; a payload written otherwise is fetched.
 */
function dockerReferences(...refs: ImageRef[]): string[] {
  return refs.flatMap((r) => (r.registry === DOCKER_HUB ? [`index.docker.io/${r.repository}`, imageName(r)] : [imageName(r)]));
}

/** The manifest under a tag; undefined when the tag does not exist. */
async function manifestByTag(source: SignatureSource, ref: ImageRef): Promise<{ digest: string; manifest: unknown } | undefined> {
  // A tag the repository's list does not have is not asked for (one list per repository, not a 404 per image).
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

/** The signatures in one signature manifest's layers. */
async function fromManifest(
  source: SignatureSource,
  at: Lookup,
  manifest: unknown,
  manifestDigest: string,
  format: SignatureFormat,
  artifactType?: string
): Promise<FoundSignature[]> {
  const { image } = at;
  if (!isObject(manifest)) return [];
  const out: FoundSignature[] = [];
  for (const layer of list(manifest.layers)) {
    const mediaType = str(layer.mediaType);
    const layerDigest = str(layer.digest);
    if (!layerDigest || !DIGEST_RE.test(layerDigest)) continue;
    const kind = mediaType === SIMPLE_SIGNING_MEDIA_TYPE ? 'simple-signing' : mediaType === SIGSTORE_BUNDLE_MEDIA_TYPE ? 'sigstore-bundle' : undefined;
    if (!kind) continue;
    const size = typeof layer.size === 'number' ? layer.size : undefined;
    const payload =
      (kind === 'simple-signing'
        ? knownCosignPayload(at.dockerReferences, at.digest, { digest: layerDigest, ...(size !== undefined ? { size } : {}) })
        : undefined) ?? (await source.fetchBlob(image, layerDigest, kind === 'simple-signing' ? MAX_PAYLOAD_BYTES : MAX_BUNDLE_BYTES));
    const annotations = isObject(layer.annotations) ? layer.annotations : {};
    const signature = str(annotations[ANNOTATION_SIGNATURE]);
    const certificate = str(annotations[ANNOTATION_CERTIFICATE]);
    const bundle = str(annotations[ANNOTATION_BUNDLE]);
    const chain = str(annotations[ANNOTATION_CHAIN]);
    out.push({
      format,
      kind,
      manifestDigest,
      layerDigest,
      payload,
      ...(signature ? { signature } : {}),
      ...(certificate ? { certificate } : {}),
      ...(bundle ? { bundle } : {}),
      ...(chain ? { chain } : {}),
      ...(artifactType ? { artifactType } : {})
    });
  }
  return out;
}

/** The signatures listed in a referrers index (from the API or the fallback tag). */
async function fromReferrersIndex(source: SignatureSource, at: Lookup, index: unknown, format: SignatureFormat): Promise<FoundSignature[]> {
  const { image, digest } = at;
  if (!isObject(index)) return [];
  const out: FoundSignature[] = [];
  for (const entry of list(index.manifests)) {
    const entryDigest = str(entry.digest);
    if (!maybeSignature(str(entry.artifactType)) || !entryDigest || !DIGEST_RE.test(entryDigest)) continue;
    const r = await source.resolve(withDigest(image, entryDigest));
    if (!r.found || !isObject(r.manifest)) continue;
    // The fallback index is a plain tag anyone with push can write: trust the manifest's subject, not the listing.
    const subject = isObject(r.manifest.subject) ? str(r.manifest.subject.digest) : undefined;
    if (subject !== digest) continue;
    // The manifest's own artifactType, else its config's mediaType (as the OCI image spec defines it).
    const artifactType = str(r.manifest.artifactType) ?? (isObject(r.manifest.config) ? str(r.manifest.config.mediaType) : undefined);
    if (artifactType !== undefined && artifactType !== OCI_EMPTY_MEDIA_TYPE && !SIGNATURE_ARTIFACT_TYPES.includes(artifactType)) continue;
    out.push(...(await fromManifest(source, at, r.manifest, r.digest, format, artifactType)));
  }
  return out;
}

async function fromReferrers(source: SignatureSource, at: Lookup): Promise<FoundSignature[]> {
  const { image, digest } = at;
  if (source.referrers) {
    // No artifactType filter: two artifact types are wanted and the API takes one.
    const answer = await source.referrers(withDigest(image, digest), digest);
    if (answer.supported) return fromReferrersIndex(source, at, answer.index, 'referrers');
  }
  const fallback = await manifestByTag(source, withTag(image, referrersFallbackTag(digest)));
  return fallback ? fromReferrersIndex(source, at, fallback.manifest, 'referrers-tag-fallback') : [];
}

async function fromLegacyTag(source: SignatureSource, at: Lookup): Promise<FoundSignature[]> {
  const sig = await manifestByTag(source, withTag(at.image, cosignSignatureTag(at.digest)));
  return sig ? fromManifest(source, at, sig.manifest, sig.digest, 'cosign-legacy-tag') : [];
}

export interface DiscoveryOptions {
  /**
   * Where the signatures are stored when not next to the image (cosign's COSIGN_REPOSITORY): registry and
   * repository; its tag or digest, if any, is ignored.
   */
  repository?: ImageRef;
}

/**
 * Every cosign signature (and Sigstore bundle) attached to `digest` in `image`'s repository (or in
 * `options.repository`): referrers first, then the legacy `.sig` tag; the same layer found twice is listed
 * once. Empty when there are none.
 */
export async function discoverSignatures(
  source: SignatureSource,
  imageIn: ImageRef,
  digest: string,
  options: DiscoveryOptions = {}
): Promise<FoundSignature[]> {
  referrersFallbackTag(digest); // validates the digest before any request
  const image = options.repository ?? imageIn;
  const at: Lookup = { image, digest, dockerReferences: dockerReferences(imageIn, image) };
  const [referrers, legacy] = await Promise.all([fromReferrers(source, at), fromLegacyTag(source, at)]);
  const seen = new Set<string>();
  return [...referrers, ...legacy].filter((s) => {
    const key = `${s.manifestDigest} ${s.layerDigest}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
