/**
 * Judges a built image with the rules that can: each rule's `checkImage` reads the image model and the
 * layer entries it asked for. Severity, enablement, overrides and ignores come from the same config as
 * lint; an image finding's `file` is the image reference, and for a file in a layer
 * `<reference>!/<path>` (the layer and the file's content digest are in the message).
 */
import type { Config } from '../config/types.js';
import { compareFindings, type Finding } from '../finding.js';
import { effectiveSetting, ignoreApplies } from '../lint.js';
import { docsUrl, type ImageFile, type ImageFileHeader, type ImageInterest, type Rule } from '../rules/types.js';
import { maskText } from '../secrets/detect.js';
import type { ImageModel } from './model.js';

export interface ImageInspection {
  findings: Finding[];
  suppressed: Finding[];
}

/** The rules that judge images and are enabled for this image, with their options. */
export function imageRules(rules: readonly Rule[], config: Config, ref: string): { rule: Rule; options: object; severity: Finding['severity'] }[] {
  const out: { rule: Rule; options: object; severity: Finding['severity'] }[] = [];
  for (const rule of rules) {
    if (!rule.checkImage) continue;
    const s = effectiveSetting(rule, config, ref);
    if (s.enabled) out.push({ rule, options: s.options, severity: s.severity });
  }
  return out;
}

/** What the enabled image rules want of one layer entry (content wins over header). */
export function interestIn(active: ReturnType<typeof imageRules>, entry: ImageFileHeader): ImageInterest | undefined {
  let want: ImageInterest | undefined;
  for (const { rule, options } of active) {
    const w = rule.imageInterest?.(entry, options as never);
    if (w === 'content') return 'content';
    if (w) want = w;
  }
  return want;
}

export function fileLocation(image: ImageModel, file: ImageFile): string {
  return `${image.ref}!/${file.path}`;
}

export function inspectImage(
  image: ImageModel,
  files: readonly ImageFile[],
  config: Config,
  rules: readonly Rule[],
  options: { now?: Date; secrets?: Iterable<string> } = {}
): ImageInspection {
  const now = options.now ?? new Date();
  const secrets = [...(options.secrets ?? [])];
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const { rule, options: ruleOptions, severity } of imageRules(rules, config, image.ref)) {
    const raw: Finding[] = [];
    try {
      rule.checkImage!({
        image,
        files,
        options: ruleOptions as never,
        report: (d) =>
          raw.push({
            ruleId: rule.meta.id,
            aliases: rule.meta.aliases,
            severity: d.severity ?? severity,
            file: d.file ? fileLocation(image, d.file) : image.ref,
            line: 1,
            column: 1,
            endLine: 1,
            message: maskText(d.message, secrets),
            help: docsUrl(rule.meta.id),
            tool: 'inspect'
          })
      });
    } catch (e) {
      raw.push({
        ruleId: 'rule-failure',
        aliases: [],
        severity: 'error',
        file: image.ref,
        line: 1,
        column: 1,
        endLine: 1,
        message: `rule ${rule.meta.id} failed on this image, so the image was not fully judged: ${(e as Error)?.message ?? String(e)}`,
        help: docsUrl('rule-failure'),
        tool: 'inspect'
      });
    }
    for (const f of raw) {
      const ids = [f.ruleId, ...f.aliases].map((s) => s.toLowerCase());
      if (config.ignores.some((ig) => ignoreApplies(ig, ids, f.file, now))) suppressed.push({ ...f, suppressedBy: 'config' });
      else findings.push(f);
    }
  }
  findings.sort(compareFindings);
  return { findings, suppressed };
}
