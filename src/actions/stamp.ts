/**
 * The "already annotated in this job" stamp. lint, gate and verify put `"annotated": {"run", "job"}`
 * into the findings files they write; the comment action annotates only findings whose file carries
 * no stamp of its own run and job (a fork's artifact, another job's shard), so the recommended
 * lint → gate → comment job shows each finding once and stays within GitHub's 50 annotations per job.
 * A forged stamp can only make the comment step annotate less — never hide a finding from the
 * sticky comment, the summary or the SARIF.
 */
export interface AnnotatedStamp {
  run: string;
  job: string;
}

/** This step's run (id and attempt) and job, or undefined outside a runner. */
export function annotatedStamp(env: NodeJS.ProcessEnv = process.env): AnnotatedStamp | undefined {
  if (!env.GITHUB_RUN_ID || !env.GITHUB_JOB) return undefined;
  return { run: `${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`, job: env.GITHUB_JOB };
}

export function sameJob(a: AnnotatedStamp | undefined, b: AnnotatedStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.run === b.run && a.job === b.job;
}
