/**
 * One entry point over the four report adapters: pick the adapter for a detected format, and (for tests and small
 * inputs) run a whole event sequence through it.
 */
import type { JsonEvent } from '../json-events.js';
import type { ReportFormat, ReportMeta, ScanFinding } from '../types.js';
import { applyMeta, type ReportAdapter } from './common.js';
import { GrypeAdapter } from './grype.js';
import { SarifAdapter } from './sarif.js';
import { SnykAdapter } from './snyk.js';
import { TrivyAdapter } from './trivy.js';

export type { AdapterResult, ReportAdapter } from './common.js';
export { applyMeta } from './common.js';

export function createAdapter(format: ReportFormat, file: string): ReportAdapter {
  switch (format) {
    case 'trivy':
      return new TrivyAdapter(file);
    case 'grype':
      return new GrypeAdapter(file);
    case 'snyk':
      return new SnykAdapter(file);
    case 'sarif':
      return new SarifAdapter(file);
  }
}

/**
 * Runs every event through the adapter and returns all findings with the meta data applied. This holds all
 * findings: a streaming caller loops over `onEvent` itself and applies `meta` to what it keeps.
 */
export function collectFindings(adapter: ReportAdapter, events: Iterable<JsonEvent>): { findings: ScanFinding[]; meta: ReportMeta } {
  const findings: ScanFinding[] = [];
  for (const e of events) for (const f of adapter.onEvent(e)) findings.push(f);
  const end = adapter.finish();
  findings.push(...end.findings);
  for (const f of findings) applyMeta(f, end.meta);
  return { findings, meta: end.meta };
}
