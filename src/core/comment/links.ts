/**
 * Which `help` URLs from findings files become links. Findings files may come from a fork (an artifact
 * the fork's run wrote), so a `help` value is a link only when it is an `https` URL of a host this
 * project knows: its own docs (GitHub), the vulnerability databases and vendor advisory hosts that the
 * scanner formats the gate reads point at, ShellCheck's wiki. Everything else is shown as plain text.
 * Keep the list explicit; add a host only when a supported scanner or rule really links there.
 */
export const TRUSTED_HELP_HOSTS: readonly string[] = [
  // the project's docs, GitHub advisories (GHSA), hadolint's wiki
  'github.com',
  // lint
  'www.shellcheck.net',
  'docs.docker.com',
  // vulnerability databases (Trivy PrimaryURL, Grype dataSource/urls, Snyk, SARIF helpUri)
  'nvd.nist.gov',
  'www.cve.org',
  'cve.mitre.org',
  'cwe.mitre.org',
  'avd.aquasec.com',
  'osv.dev',
  'security.snyk.io',
  'snyk.io',
  'pkg.go.dev',
  'rustsec.org',
  // distribution advisories
  'security-tracker.debian.org',
  'ubuntu.com',
  'access.redhat.com',
  'alas.aws.amazon.com',
  'security.alpinelinux.org',
  'www.suse.com',
  'errata.almalinux.org',
  'errata.rockylinux.org',
  'linux.oracle.com'
];

/** The URL when `help` is an https URL of a trusted host (no credentials, default port), else undefined. */
export function trustedHelpUrl(help: string | undefined): string | undefined {
  if (!help) return undefined;
  let u: URL;
  try {
    u = new URL(help.trim());
  } catch {
    return undefined;
  }
  // A help URL longer than any real advisory link is not linked: it could crowd everything else out of a comment.
  if (u.protocol !== 'https:' || u.username || u.password || u.port || u.href.length > 2_000) return undefined;
  return TRUSTED_HELP_HOSTS.includes(u.hostname.toLowerCase()) ? u.href : undefined;
}
