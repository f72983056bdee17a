/**
 * Verify verdicts → the shared Finding shape and the CLI/action outputs, pure.
 *
 * A failed image gives one finding per failed requirement at every place the reference is used (the
 * FROM line of each Dockerfile, the line of an images file), so the comment action can put it on the
 * changed line. Finding ids are `verify/<requirement>`; a passing image gives no finding.
 */
import type { Finding } from '../finding.js';
import type { SkippedImage } from './images.js';
import type { Requirement, SignatureCheck } from './types.js';
import { formatFacts, type AttestationCheck } from './attestations.js';

export const VERIFY_DOCS = 'https://github.com/container-guard/container-guard/blob/main/docs/verify.md';

export interface ImageResult {
  /** Normalized reference (`docker.io/library/nginx:1.27`). */
  image: string;
  /** What it resolved to (undefined: it did not). */
  digest?: string;
  /** The reference as written carries a digest. */
  pinned: boolean;
  platforms?: { platform: string; digest: string }[];
  /** `policies[N]` or `default`. */
  policy: string;
  signatures: SignatureCheck[];
  /** Attestation checks (only when the policy requires attestations). */
  attestations?: AttestationCheck[];
  passed: boolean;
  reason: string;
  failures: { requirement: Requirement | 'resolve'; message: string }[];
  uses: { file: string; line: number; column: number; via: string }[];
}

const HELP: Record<string, string> = {
  resolve: `${VERIFY_DOCS}#resolve`,
  digest: `${VERIFY_DOCS}#digest`,
  pinned: `${VERIFY_DOCS}#pinned`,
  signature: `${VERIFY_DOCS}#signature`,
  attestation: 'https://github.com/container-guard/container-guard/blob/main/docs/verify-attestations.md',
  skipped: `${VERIFY_DOCS}#skipped`,
  reference: `${VERIFY_DOCS}#invalid-references`
};

export function verifyFindings(results: readonly ImageResult[], skipped: readonly SkippedImage[]): Finding[] {
  const out: Finding[] = [];
  for (const r of results) {
    if (r.passed) continue;
    for (const f of r.failures) {
      for (const u of r.uses) {
        out.push({
          ruleId: `verify/${f.requirement}`,
          aliases: [],
          severity: 'error',
          file: u.file,
          line: u.line,
          column: u.column,
          endLine: u.line,
          message: `${r.image}: ${f.message}`,
          help: HELP[f.requirement] ?? VERIFY_DOCS,
          tool: 'verify'
        });
      }
    }
  }
  for (const s of skipped) {
    // Text that is not an image reference is a failure (fail closed); an unresolvable ARG a warning.
    const invalid = s.kind === 'invalid';
    out.push({
      ruleId: invalid ? 'verify/reference' : 'verify/skipped',
      aliases: [],
      severity: invalid ? 'error' : 'warning',
      file: s.file,
      line: s.line,
      column: 1,
      endLine: s.line,
      message: invalid ? `invalid image reference: ${s.reason}` : `${s.text} is not verified: ${s.reason}`,
      help: invalid ? HELP.reference! : HELP.skipped!,
      tool: 'verify'
    });
  }
  return out;
}

export interface VerifyJson {
  passed: boolean;
  /** An ImageResult without the per-use detail (that is in `findings`); `digest` is null when it did not resolve. */
  results: (Omit<ImageResult, 'digest' | 'failures' | 'uses'> & { digest: string | null })[];
  findings: Finding[];
}

export function toVerifyJson(results: readonly ImageResult[], findings: readonly Finding[]): VerifyJson {
  return {
    // An invalid reference fails the run even though it has no result of its own (fail closed).
    passed: results.every((r) => r.passed) && !findings.some((f) => f.severity === 'error'),
    results: results.map((r) => ({
      image: r.image,
      digest: r.digest ?? null,
      pinned: r.pinned,
      ...(r.platforms ? { platforms: r.platforms } : {}),
      policy: r.policy,
      signatures: r.signatures,
      ...(r.attestations ? { attestations: r.attestations } : {}),
      passed: r.passed,
      reason: r.reason
    })),
    findings: [...findings]
  };
}

const short = (digest: string | undefined) => (digest ? digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…') : '-');

/** One block per image, then a summary line. */
export function formatVerifyText(results: readonly ImageResult[], skipped: readonly SkippedImage[]): string {
  let out = '';
  for (const r of results) {
    out += `${r.passed ? 'ok  ' : 'FAIL'} ${r.image} ${short(r.digest)} (${r.policy})\n`;
    if (!r.passed) for (const f of r.failures) out += `     ${f.requirement}: ${f.message}\n`;
    for (const s of r.signatures) {
      const who = s.signer ? ` ${s.signer}` : '';
      out += `     signature ${s.ok ? 'verified' : `rejected (${s.reason})`}: ${s.kind} via ${s.format}${who}${s.ok ? '' : `: ${s.detail}`}\n`;
    }
    for (const a of r.attestations ?? []) {
      const facts = formatFacts(a.facts);
      const what = `${a.predicateType ?? 'attestation'} via ${a.format}${a.signer ? ` ${a.signer}` : ''}`;
      out += `     attestation ${a.ok ? 'verified' : `rejected (${a.reason})`}: ${what}${a.ok ? (facts ? `: ${facts}` : '') : `: ${a.detail}`}\n`;
    }
  }
  for (const s of skipped)
    out += s.kind === 'invalid' ? `FAIL ${s.file}:${s.line}: invalid image reference: ${s.reason}\n` : `skip ${s.file}:${s.line}: ${s.text}: ${s.reason}\n`;
  const failed = results.filter((r) => !r.passed).length;
  const invalid = skipped.filter((s) => s.kind === 'invalid').length;
  const unresolved = skipped.length - invalid;
  out += `${results.length} image(s) checked: ${results.length - failed} verified, ${failed} failed${invalid ? `, ${invalid} invalid reference(s)` : ''}${unresolved ? `, ${unresolved} skipped` : ''}\n`;
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Job summary: one row per image. */
export function formatVerifyMarkdown(results: readonly ImageResult[], skipped: readonly SkippedImage[]): string {
  const failed = results.filter((r) => !r.passed).length;
  const invalid = skipped.filter((s) => s.kind === 'invalid');
  const verdict = failed === 0 && invalid.length === 0 ? 'passed' : failed > 0 ? `${failed} of ${results.length} image(s) failed` : 'failed';
  let md = `### container-guard verify: ${verdict}\n\n`;
  for (const s of invalid) md += `- ❌ \`${cell(s.file)}:${s.line}\`: invalid image reference: ${cell(s.reason)}\n`;
  if (invalid.length > 0) md += '\n';
  if (results.length === 0) return md + 'No image references to verify.\n';
  const withAttestations = results.some((r) => r.attestations !== undefined);
  md += withAttestations
    ? '| | Image | Digest | Signatures | Attestations | Policy | Why |\n|---|---|---|---|---|---|---|\n'
    : '| | Image | Digest | Signatures | Policy | Why |\n|---|---|---|---|---|---|\n';
  for (const r of results) {
    const good = r.signatures.filter((s) => s.ok).length;
    const sigs = r.signatures.length === 0 ? '-' : `${good}/${r.signatures.length} verified`;
    const atts = withAttestations ? ` ${attestationCell(r.attestations)} |` : '';
    md += `| ${r.passed ? '✅' : '❌'} | \`${cell(r.image)}\` | \`${short(r.digest)}\` | ${sigs} |${atts} ${r.policy} | ${cell(r.reason)} |\n`;
  }
  if (skipped.length > 0) md += `\n${skipped.length} reference(s) could not be verified (see the annotations).\n`;
  return md;
}

/** Verified attestations with their facts (type short, signer, builder/source or SBOM size). */
function attestationCell(checks: readonly AttestationCheck[] | undefined): string {
  if (!checks || checks.length === 0) return '-';
  const good = checks.filter((c) => c.ok);
  if (good.length === 0) return `0/${checks.length} verified`;
  return good
    .slice(0, 4)
    .map((c) => {
      const type = (c.predicateType ?? '').replace(/^https:\/\//, '');
      const facts = formatFacts(c.facts);
      return cell(`${type}${c.signer ? ` by ${c.signer}` : ''}${facts ? `: ${facts}` : ''}`);
    })
    .join('<br>');
}
