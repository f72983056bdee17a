import { defineRule } from './types.js';
import { exposedPorts } from './util/misc.js';

export default defineRule({
  meta: {
    id: 'expose-ssh-port',
    aliases: ['DS-0004', 'CKV_DOCKER_1'],
    severity: 'error',
    title: 'EXPOSE of the SSH port 22',
    description: [
      "Exposing port 22 means the container runs an SSH server. That is one more long-lived daemon with credentials or keys baked into the image, listening on the network, and it sidesteps the runtime's own access controls and audit trail.",
      '',
      'Containers do not need SSH: open a shell with `docker exec` / `kubectl exec` (or `kubectl debug`), copy files with `docker cp` / `kubectl cp`, and ship logs to stdout. Remove `EXPOSE 22` and the SSH server.',
      '',
      'The rule reports `22`, `22/tcp` and TCP ranges that include 22 (`20-30`), also when the port comes from an `ARG` or `ENV` with a value. `22/udp` and `22/sctp` are not SSH and are not reported.'
    ].join('\n'),
    bad: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nEXPOSE 22 8080',
    good: 'FROM ubuntu:24.04\nEXPOSE 8080',
    tags: ['security'],
    subjects: ['dockerfile', 'image']
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      for (const p of exposedPorts(instr)) {
        if (p.protocol && p.protocol !== 'tcp') continue;
        if (p.start > 22 || p.end < 22) continue;
        const what = p.start === p.end ? `port ${p.value}` : `range ${p.value}, which includes port 22,`;
        report({
          line: p.line,
          column: instr.column,
          message: `EXPOSE ${what} publishes SSH: remove it and use docker exec / kubectl exec for shell access`
        });
      }
    }
  },
  // On a built image: the config's ExposedPorts (`22/tcp`, also when a base image declared it).
  checkImage({ image, report }) {
    for (const port of image.exposedPorts) {
      const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(port);
      if (!m || (m[3] && m[3].toLowerCase() !== 'tcp')) continue;
      const [start, end] = [Number(m[1]), Number(m[2] ?? m[1])];
      if (start > 22 || end < 22) continue;
      report({
        message: `the image exposes ${port}, the SSH port (config ExposedPorts): remove the SSH server and the port; use docker exec / kubectl exec for shell access`
      });
    }
  }
});
