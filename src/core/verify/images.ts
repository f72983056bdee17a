/**
 * Which image references `verify` checks, pure: the external images a Dockerfile pulls (after ARG
 * resolution; stage aliases, stage indexes and `scratch` are not images), and reference lists given as
 * input or in a file (one per line, `#` comments).
 *
 * A reference that cannot be resolved or parsed is returned as `skipped` with the reason, so the run can
 * report it at its line instead of silently checking less than the user thinks.
 */
import type { DockerfileModel } from '../dockerfile/model.js';
import { displayRef, imageRefProblem, normalizeImage, parseImageRef, type ImageRef } from '../image-ref.js';
import { classifyFrom, fromSources, isTemplated } from '../rules/util/stages.js';

/** One use of an image reference. */
export interface ImageUse {
  image: ImageRef;
  /** `docker.io/library/nginx:1.27[@sha256:…]` — the key results are grouped by. */
  reference: string;
  file: string;
  line: number;
  column: number;
  /** How it is used: `FROM`, `COPY --from`, `RUN --mount from`, or `input`. */
  via: string;
}

export interface SkippedImage {
  file: string;
  line: number;
  text: string;
  reason: string;
  /**
   * `invalid`: the text is not an image reference (a failure: fail closed, never a pass);
   * `unresolved`: a Dockerfile FROM whose ARGs or template placeholders cannot be resolved (a warning).
   */
  kind?: 'invalid' | 'unresolved';
}

export interface CollectedImages {
  uses: ImageUse[];
  skipped: SkippedImage[];
}

/** Every external image of a Dockerfile: FROM (ARG-resolved), COPY --from=<image>, RUN --mount from=<image>. */
export function imagesOfDockerfile(model: DockerfileModel): CollectedImages {
  const uses: ImageUse[] = [];
  const skipped: SkippedImage[] = [];
  const file = model.file;
  for (const stage of model.stages) {
    const from = stage.from;
    const instr = stage.instruction;
    if (from.stageRef !== undefined || from.scratch || !from.text) continue;
    const skip = (reason: string) => skipped.push({ file, line: instr.line, text: from.text, reason, kind: 'unresolved' });
    if (isTemplated(from.text)) skip('a template placeholder, not an image');
    else if (from.unresolved.length > 0) skip(`cannot resolve ${[...new Set(from.unresolved)].join(', ')} (no ARG default and no build arg)`);
    else if (!from.image)
      skipped.push({
        file,
        line: instr.line,
        text: displayRef(from.text),
        reason: imageRefProblem(from.resolved) ?? 'not a valid image reference',
        kind: 'invalid'
      });
    else uses.push({ image: from.image, reference: normalizeImage(from.image), file, line: instr.line, column: instr.column, via: 'FROM' });
  }
  for (const s of fromSources(model)) {
    const value = s.resolved;
    if (s.unresolved.length > 0 || /^\d+$/.test(value)) continue; // variables (BuildKit does not expand COPY --from) or a stage index
    const target = classifyFrom(model, value);
    // BuildKit pulls any --from that names no stage, `--from=alpine` included.
    if (target.kind !== 'image') continue;
    if (!target.ref) {
      skipped.push({ file, line: s.position.line, text: displayRef(value), reason: imageRefProblem(value) ?? 'not a valid image reference', kind: 'invalid' });
      continue;
    }
    uses.push({ image: target.ref, reference: normalizeImage(target.ref), file, line: s.position.line, column: s.position.column, via: s.what });
  }
  return { uses, skipped };
}

/**
 * A list of references: newline, comma or space separated, `#` starts a comment. `file` names where the
 * list came from (an images file, or the input) and gives each reference its line.
 */
export function parseImageList(text: string, file: string): CollectedImages {
  const uses: ImageUse[] = [];
  const skipped: SkippedImage[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    let column = 1;
    for (const word of line.split(/[\s,]+/)) {
      const at = line.indexOf(word, column - 1);
      if (word) {
        column = at + 1;
        const image = parseImageRef(word);
        if (image) uses.push({ image, reference: normalizeImage(image), file, line: i + 1, column, via: 'input' });
        else skipped.push({ file, line: i + 1, text: displayRef(word), reason: imageRefProblem(word) ?? 'not a valid image reference', kind: 'invalid' });
        column += word.length;
      }
    }
  });
  return { uses, skipped };
}

/** Uses grouped by reference, in first-seen order: each reference is resolved and verified once. */
export function groupByReference(uses: readonly ImageUse[]): Map<string, ImageUse[]> {
  const out = new Map<string, ImageUse[]>();
  for (const u of uses) {
    const list = out.get(u.reference);
    if (list) list.push(u);
    else out.set(u.reference, [u]);
  }
  return out;
}
