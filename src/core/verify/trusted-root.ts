/**
 * The Sigstore trusted root (Fulcio CA chains, Rekor and CT log keys, timestamp authorities), pure.
 *
 * `parseTrustedRoot` checks a user's trusted root JSON well enough that a broken file is one clear error
 * naming it, never a confusing verification failure later. `publicGoodTrustedRoot` is Sigstore's
 * public-good root as shipped in `@sigstore/tuf`'s seeds.json: offline, so verification never needs the
 * network (refreshing it through TUF is an explicit opt-in, see src/io/trusted-root.ts). The JSON is
 * imported (not read from disk) so the bundled actions carry it.
 */
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };

export type { TrustedRoot };

export const PUBLIC_GOOD_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';
/** How the built-in root is named in errors and reports. */
export const PUBLIC_GOOD_SOURCE = '@sigstore/tuf seeds.json (Sigstore public-good)';

/** A trusted root that cannot be used; the message names the file and what is wrong. */
export class TrustedRootError extends Error {
  override name = 'TrustedRootError';
}

const MEDIA_TYPE_RE = /^application\/vnd\.dev\.sigstore\.trustedroot(?:\+json;version=0\.[12]|\.v0\.[12]\+json)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 200);

/** Parses and checks a trusted root JSON document; throws TrustedRootError naming `file`. */
export function parseTrustedRoot(text: string, file: string): TrustedRoot {
  const bad = (what: string) => new TrustedRootError(`trusted root ${file}: ${what}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON (${message(e)})`);
  }
  if (!isObject(doc)) throw bad('not a JSON object');
  if (typeof doc.mediaType !== 'string') throw bad("no 'mediaType'");
  if (!MEDIA_TYPE_RE.test(doc.mediaType)) throw bad(`mediaType ${JSON.stringify(doc.mediaType.slice(0, 100))} is not a Sigstore trusted root`);
  if (!Array.isArray(doc.tlogs) || doc.tlogs.length === 0) throw bad("no 'tlogs': at least one transparency log key is needed");
  for (const field of ['certificateAuthorities', 'ctlogs', 'timestampAuthorities'])
    if (doc[field] !== undefined && !Array.isArray(doc[field])) throw bad(`'${field}' is not an array`);

  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(doc);
  } catch (e) {
    throw bad(`cannot be decoded (${message(e)})`);
  }
  // Every log key and certificate goes through @sigstore/verify's own conversion (toTrustMaterial), the
  // code that later verifies with them, one entry at a time so the error names the field: a root the
  // library cannot use fails here, naming the file and the field, never in the middle of a run.
  const empty = { ...root, tlogs: [], ctlogs: [], certificateAuthorities: [], timestampAuthorities: [] };
  const entries: { where: string; part: Partial<TrustedRoot> }[] = [
    ...root.tlogs.map((t, i) => ({ where: `tlogs[${i}]`, part: { tlogs: [t] } })),
    ...root.ctlogs.map((t, i) => ({ where: `ctlogs[${i}]`, part: { ctlogs: [t] } })),
    ...root.certificateAuthorities.map((ca, i) => ({ where: `certificateAuthorities[${i}]`, part: { certificateAuthorities: [ca] } })),
    ...root.timestampAuthorities.map((ca, i) => ({ where: `timestampAuthorities[${i}]`, part: { timestampAuthorities: [ca] } }))
  ];
  for (const { where, part } of entries) {
    const log = part.tlogs?.[0] ?? part.ctlogs?.[0];
    if (log) {
      if (!log.publicKey?.rawBytes?.length) throw bad(`${where}.publicKey has no rawBytes`);
      if (!log.logId?.keyId?.length && !log.checkpointKeyId?.keyId?.length) throw bad(`${where} has no logId`);
      // The library reads a missing start as "since the beginning of time" (toTrustMaterial's
      // BEGINNING_OF_TIME): a log key with no start would vouch for entries from before it existed.
      if (!log.publicKey.validFor?.start) throw bad(`${where}.publicKey.validFor.start is missing: a log key needs the time it became valid`);
    }
    const ca = part.certificateAuthorities?.[0] ?? part.timestampAuthorities?.[0];
    if (ca && !(ca.certChain?.certificates ?? []).length) throw bad(`${where}.certChain has no certificates`);
    try {
      toTrustMaterial({ ...empty, ...part } as TrustedRoot);
    } catch (e) {
      const field = log ? `${where}.publicKey` : `${where}.certChain`;
      throw bad(`${field} is rejected by @sigstore/verify (${message(e)})`);
    }
  }
  return root;
}

let publicGood: TrustedRoot | undefined;

/** Sigstore's public-good trusted root from the seeds shipped with @sigstore/tuf (decoded once). */
export function publicGoodTrustedRoot(): TrustedRoot {
  if (!publicGood) {
    const b64 = seeds[PUBLIC_GOOD_TUF_URL].targets['trusted_root.json'];
    publicGood = parseTrustedRoot(Buffer.from(b64, 'base64').toString('utf8'), PUBLIC_GOOD_SOURCE);
  }
  return publicGood;
}
