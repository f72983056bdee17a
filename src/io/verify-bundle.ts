/**
 * `verify-bundle`: the verify half of the sigstore-conformance CLI protocol
 * (https://github.com/sigstore/sigstore-conformance/blob/main/docs/cli_protocol.md):
 *
 *   verify-bundle [--staging] --bundle FILE
 *                 (--certificate-identity ID --certificate-oidc-issuer URL | --key PEMFILE)
 *                 [--trusted-root FILE] FILE_OR_DIGEST
 *
 * FILE_OR_DIGEST is `sha256:<64 hex>` unless a file of that name exists. Exit 0: verified; 1: rejected
 * (one line on stderr: reason and why); 2: usage or input error (naming the file). Offline: without
 * --trusted-root the public-good root shipped with @sigstore/tuf is used; --staging needs --trusted-root.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  checkVerifiedStatement,
  parseConditionArg,
  resolvePredicateType,
  splitBundleFile,
  formatFacts,
  type AttestationCondition
} from '../core/verify/attestations.js';
import { verifyArtifactBundle, type BundleResult } from '../core/verify/sigstore.js';
import { parseTrustedRoot, publicGoodTrustedRoot, TrustedRootError, type TrustedRoot } from '../core/verify/trusted-root.js';

export interface VerifyBundleIO {
  readFile(file: string): Uint8Array | Promise<Uint8Array>;
  stdout(text: string): unknown;
  stderr(text: string): unknown;
}

const USAGE =
  'usage: verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEMFILE) [--trusted-root FILE] [--predicate-type TYPE [--condition PATH=GLOB]...] FILE_OR_DIGEST';
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

class InputError extends Error {}

export async function runVerifyBundle(argv: string[], io: VerifyBundleIO): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof InputError || e instanceof TrustedRootError) {
      io.stderr(`verify-bundle: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function read(io: VerifyBundleIO, what: string, file: string): Promise<Uint8Array> {
  try {
    return await io.readFile(file);
  } catch (e) {
    throw new InputError(`cannot read ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function run(argv: string[], io: VerifyBundleIO): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        staging: { type: 'boolean' },
        bundle: { type: 'string' },
        'certificate-identity': { type: 'string' },
        'certificate-oidc-issuer': { type: 'string' },
        key: { type: 'string' },
        'trusted-root': { type: 'string' },
        'predicate-type': { type: 'string' },
        condition: { type: 'string', multiple: true }
      }
    }));
  } catch (e) {
    throw new InputError(`${(e as Error).message}\n${USAGE}`);
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const bundleFile = str('bundle');
  const identity = str('certificate-identity');
  const issuer = str('certificate-oidc-issuer');
  const keyFile = str('key');
  const rootFile = str('trusted-root');
  if (!bundleFile) throw new InputError(`--bundle is required\n${USAGE}`);
  if (positionals.length !== 1) throw new InputError(`expected one FILE_OR_DIGEST, got ${positionals.length}\n${USAGE}`);
  if ((identity === undefined) !== (issuer === undefined)) throw new InputError(`--certificate-identity and --certificate-oidc-issuer go together\n${USAGE}`);
  if ((identity === undefined) === (keyFile === undefined))
    throw new InputError(`give either --certificate-identity/--certificate-oidc-issuer or --key\n${USAGE}`);
  if (values.staging && rootFile === undefined) throw new InputError('--staging needs --trusted-root: the staging root is not shipped offline');

  // Attestations (issue 13): the statement must have this predicate type and meet the conditions.
  const predicateArg = str('predicate-type');
  const conditionArgs = Array.isArray(values.condition) ? values.condition : [];
  if (conditionArgs.length > 0 && predicateArg === undefined) throw new InputError(`--condition needs --predicate-type\n${USAGE}`);
  let attestation: { type: string; predicateTypes: string[]; conditions: AttestationCondition[] } | undefined;
  if (predicateArg !== undefined) {
    const t = resolvePredicateType(predicateArg);
    if (!t.ok) throw new InputError(`--predicate-type: ${t.detail}`);
    const conditions = conditionArgs.map((c) => {
      const parsed = parseConditionArg(c);
      if (!parsed) throw new InputError(`--condition ${JSON.stringify(c)} is not PATH=GLOB with a dotted PATH (predicate.runDetails.builder.id=https://…)`);
      return parsed;
    });
    attestation = { type: predicateArg, predicateTypes: t.types, conditions };
  }

  const bundleBytes = await read(io, 'bundle', bundleFile);
  // A file of JSON lines (gh attestation download) is tried bundle by bundle; a single bundle is itself.
  const split = attestation ? splitBundleFile(bundleBytes) : { ok: true as const, bundles: [bundleBytes] };
  if (!split.ok) throw new InputError(`bundle ${bundleFile}: ${split.detail}`);
  let trustedRoot: TrustedRoot;
  if (rootFile === undefined) trustedRoot = publicGoodTrustedRoot();
  else trustedRoot = parseTrustedRoot(Buffer.from(await read(io, 'trusted root', rootFile)).toString('utf8'), rootFile);

  let key: crypto.KeyObject | undefined;
  if (keyFile !== undefined) {
    const pem = Buffer.from(await read(io, 'key', keyFile)).toString('utf8');
    if (/PRIVATE KEY/.test(pem)) throw new InputError(`key ${keyFile} is a private key: pass the public key`);
    try {
      key = crypto.createPublicKey(pem);
    } catch {
      throw new InputError(`key ${keyFile} is not a PEM public key`);
    }
  }

  const target = positionals[0]!;
  let artifact: Uint8Array | undefined;
  let digest: string | undefined;
  if (DIGEST_RE.test(target)) {
    // The protocol: a digest unless a file of that name exists.
    try {
      artifact = await io.readFile(target);
    } catch {
      digest = target;
    }
  } else artifact = await read(io, 'artifact', target);

  const rejections: string[] = [];
  for (const [i, bundle] of split.bundles.entries()) {
    const r: BundleResult = verifyArtifactBundle(bundle, {
      trustedRoot,
      ...(artifact ? { artifact } : { digest }),
      ...(key ? { key } : { identity: { identity: identity!, issuer: issuer! } })
    });
    const where = split.bundles.length > 1 ? `${bundleFile} (bundle ${i + 1})` : bundleFile;
    if (!r.ok) {
      rejections.push(`${where}: ${r.reason}: ${r.detail}`);
      continue;
    }
    if (!attestation) {
      io.stdout(`verified: ${r.detail}\n`);
      return 0;
    }
    const a = checkVerifiedStatement(bundle, attestation);
    if (!a.ok) {
      rejections.push(`${where}: ${a.reason}: ${a.detail}`);
      continue;
    }
    const facts = formatFacts(a.facts);
    io.stdout(`verified: ${r.detail}${facts ? ` (${facts})` : ''}\n`);
    return 0;
  }
  io.stderr(`verify-bundle: ${rejections.slice(0, 5).join('; ')}${rejections.length > 5 ? ` (and ${rejections.length - 5} more)` : ''}\n`);
  return 1;
}
