/**
 * Action inputs, read the way the runner hands them over (INPUT_* variables) and checked up front:
 * a bad value is one `UsageError` line that names the input and the values it accepts — never a
 * silent default, never a stack trace. Booleans follow the Actions convention of
 * `core.getBooleanInput` (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE).
 */
import * as core from '@actions/core';
import { UsageError } from '../io/lint-run.js';

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** `core.getBooleanInput` semantics; empty means `fallback`. Anything else is an error naming the input. */
export function booleanInput(name: string, fallback: boolean): boolean;
export function booleanInput(name: string, fallback: undefined): boolean | undefined;
export function booleanInput(name: string, fallback: boolean | undefined): boolean | undefined {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  throw new UsageError(`input ${name}: "${raw}" is not a boolean: use true or false (true, True, TRUE, false, False, FALSE)`);
}

/** One of `allowed` (case-insensitive); empty means `fallback`. */
export function choiceInput<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  const v = raw.toLowerCase();
  const hit = allowed.find((a) => a === v);
  if (!hit) throw new UsageError(`input ${name}: "${raw}" is not one of ${allowed.join(', ')}`);
  return hit;
}

/** A whole number from `min` up; empty means `fallback`. */
export function integerInput(name: string, fallback: number | undefined, min = 0): number | undefined {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`input ${name}: "${raw}" is not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return Number(raw);
}

/** Splits a multi-line or space/comma separated input. */
export function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .flatMap((s) => s.trim().split(/\s+/))
    .filter(Boolean);
}

export const LINT_LEVELS = ['error', 'warning', 'note', 'none'] as const;
export const SHELLCHECK_MODES = ['auto', 'on', 'off'] as const;

/** `fail-on` for lint, verify and comment: error | warning | note | none. */
export function lintThresholdInput(fallback: (typeof LINT_LEVELS)[number]): (typeof LINT_LEVELS)[number] {
  return choiceInput('fail-on', LINT_LEVELS, fallback);
}

/** `K/N` with 1 ≤ K ≤ N. */
export function shardInput(): string | undefined {
  const raw = core.getInput('shard');
  if (raw === '') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > Number(m[2]))
    throw new UsageError(`input shard: "${raw}" is not K/N with 1 <= K <= N (e.g. 2/3)`);
  return raw;
}

/** User mistakes fail the step with one line; anything else is a bug and keeps its stack. */
export function failWith(e: unknown, isUserError: (e: unknown) => boolean): void {
  if (isUserError(e)) core.setFailed((e as Error).message);
  else core.setFailed(`internal error: ${(e as Error)?.stack ?? String(e)}`);
}

/** `KEY=value` lines (as `docker build --build-arg`); a bad line is named by number only — values may be secrets. */
export function buildArgsInput(): Record<string, string> | undefined {
  const raw = core.getInput('build-args');
  if (raw === '') return undefined;
  const out: Record<string, string> = {};
  raw.split(/\r?\n/).forEach((line, i) => {
    const part = line.trim();
    if (!part) return;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`input build-args: line ${i + 1} is not KEY=value (one build arg per line)`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  });
  return out;
}
