import { defineRule } from './types.js';
import { stageAncestry } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'healthcheck-missing',
    aliases: ['DL3057', 'DS-0026', 'CKV_DOCKER_2'],
    severity: 'note',
    enabledByDefault: false,
    title: 'The shipped image declares no HEALTHCHECK',
    description: [
      'Without a `HEALTHCHECK`, Docker (and Swarm, and `docker compose` `depends_on: condition: service_healthy`) only knows whether the main process is alive, not whether it still serves requests. A deadlocked server keeps running and receiving traffic.',
      '',
      'Add a probe to the stage that ships, for example `HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck"]` or `HEALTHCHECK CMD curl -fs http://localhost:8080/health || exit 1` (if curl is in the image). If the image is orchestrated by Kubernetes, which ignores `HEALTHCHECK` in favour of its own probes, or runs batch jobs, write `HEALTHCHECK NONE` to make that explicit.',
      '',
      'The rule checks the stages that ship (the last stage, or the configured targets), including the stages they build on (`FROM <stage>` inherits its `HEALTHCHECK`). A `HEALTHCHECK` defined in an external base image cannot be seen and is not counted. Off by default: enable it where your runtime uses Docker health checks.'
    ].join('\n'),
    bad: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/',
    good: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://localhost/ || exit 1',
    tags: ['reliability', 'cis:4.6'],
    subjects: ['dockerfile', 'image']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      if (!model.isShipped(stage)) continue;
      const has = stageAncestry(model, stage).some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'));
      if (has) continue;
      report({
        line: stage.instruction.line,
        column: stage.instruction.column,
        message: `the image built from ${stage.name ? `stage "${stage.name}"` : 'this stage'} has no HEALTHCHECK: add HEALTHCHECK CMD <probe> (e.g. HEALTHCHECK CMD curl -fs http://localhost:<port>/health || exit 1), or HEALTHCHECK NONE if it needs none`
      });
    }
  },
  // On a built image the question is answered in full: a HEALTHCHECK of the base image is in the config too.
  checkImage({ image, report }) {
    if (image.healthcheck && image.healthcheck.length > 0) return;
    report({ message: 'the image has no HEALTHCHECK (config Healthcheck is empty): add HEALTHCHECK CMD <probe>, or HEALTHCHECK NONE if it needs none' });
  }
});
