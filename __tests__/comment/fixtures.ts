/** Shared data for the comment tests (not a test file itself). */
import type { Finding, Severity } from '../../src/core/finding.js';
import type { CommentOptions, DiffFile, PullRequestRef } from '../../src/core/comment/types.js';

export const DOCS = 'https://github.com/container-guard/container-guard/blob/main/docs/rules/';

export function finding(p: Partial<Finding> & { ruleId: string; severity: Severity; file: string; line: number }): Finding {
  return {
    aliases: [],
    column: 1,
    endLine: p.line,
    message: `${p.ruleId} at line ${p.line}`,
    help: `${DOCS}${p.ruleId}.md`,
    tool: 'lint',
    ...p
  };
}

export const PR: PullRequestRef = { owner: 'acme', repo: 'api', number: 7, headSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' };
export const PR2: PullRequestRef = { ...PR, headSha: 'ffeeddccbbaa99887766554433221100ffeeddcc' };

export const OPTIONS: CommentOptions = {
  header: 'container-guard',
  mode: 'both',
  filterMode: 'added',
  maxComments: 50,
  allClear: 'update',
  serverUrl: 'https://github.com'
};

/**
 * A Dockerfile change in two hunks:
 *   new side 1..7:   added 1, 4, 5; context 2, 3, 6, 7
 *   new side 21..25: added 23; context 21, 22, 24, 25 (no newline at the end of the file)
 */
export const DOCKERFILE_PATCH = [
  '@@ -1,6 +1,7 @@',
  '-FROM node:18',
  '+FROM node:20-alpine',
  ' WORKDIR /app',
  ' COPY package*.json ./',
  '-RUN npm install',
  '+RUN npm ci \\',
  '+    --omit=dev',
  ' COPY . .',
  ' EXPOSE 3000',
  '@@ -20,4 +21,5 @@ ENV NODE_ENV=production',
  ' USER node',
  ' HEALTHCHECK CMD wget -qO- localhost:3000',
  '+ENV PORT=3000',
  ' ENTRYPOINT ["tini", "--"]',
  ' CMD ["node", "server.js"]',
  '\\ No newline at end of file'
].join('\n');

/** Only deletions, with the usual three lines of context: new side 2..5 are context, nothing added. */
export const DELETIONS_PATCH = [
  '@@ -2,7 +2,4 @@ FROM alpine:3.20',
  ' WORKDIR /src',
  ' COPY . .',
  ' RUN apk add --no-cache make',
  '-RUN apk add curl',
  '-RUN apk add git',
  '-RUN apk add wget',
  ' RUN make'
].join('\n');

export const DIFF: DiffFile[] = [
  { filename: 'Dockerfile', status: 'modified', patch: DOCKERFILE_PATCH },
  { filename: 'tools/Dockerfile', status: 'modified', patch: DELETIONS_PATCH },
  { filename: 'docker/worker.Dockerfile', status: 'renamed', previous_filename: 'worker/Dockerfile' },
  { filename: 'old/Dockerfile', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-FROM alpine\n-RUN true' },
  { filename: 'images/logo.png', status: 'added' }
];
