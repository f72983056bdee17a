/**
 * Presets shipped with container-guard, used with `extends:` like ESLint shareable
 * configs. They are plain config data and go through the same schema and checks as
 * a user's file. `recommended` is what a config without `extends` gets.
 */
import type { Rule } from '../rules/types.js';

/** CIS Docker Benchmark v1.6 section 4 ("Container Images and Build File Configuration"). */
export const CIS_CONTROLS: Record<string, string> = {
  '4.1': 'Ensure that a user for the container has been created',
  '4.2': 'Ensure that containers use only trusted base images',
  '4.3': 'Ensure that unnecessary packages are not installed in the container',
  '4.6': 'Ensure that HEALTHCHECK instructions have been added to container images',
  '4.7': 'Ensure update instructions are not used alone in Dockerfiles',
  '4.8': 'Ensure setuid and setgid permissions are removed',
  '4.9': 'Ensure that COPY is used instead of ADD in Dockerfiles',
  '4.10': 'Ensure secrets are not stored in Dockerfiles',
  '4.11': 'Ensure only verified packages are installed',
  '4.12': 'Ensure all signed artifacts are validated'
};

export function cisTags(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith('cis:')).map((t) => t.slice(4));
}

export const PRESET_NAMES = ['recommended', 'strict', 'cis-docker'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** `recommended`, `container-guard:recommended` → the preset name, or undefined. */
export function presetName(spec: string): PresetName | undefined {
  const name = spec.startsWith('container-guard:') ? spec.slice('container-guard:'.length) : spec;
  return (PRESET_NAMES as readonly string[]).includes(name) ? (name as PresetName) : undefined;
}

/** The preset as raw config data (validated by the caller like any config file). */
export function presetData(name: PresetName, builtin: readonly Rule[]): Record<string, unknown> {
  switch (name) {
    case 'recommended':
      // Every rule at its default severity and default on/off state.
      return {};
    case 'strict': {
      // Every rule on, warnings become errors, and every base image needs a digest.
      const rules: Record<string, unknown> = {};
      for (const r of builtin) rules[r.meta.id] = r.meta.severity === 'note' ? 'warning' : 'error';
      rules['unpinned-base-image'] = { severity: 'error', options: { 'require-digest': ['**'] } };
      // Needs a list of registries to mean anything; a team sets it in its own config.
      rules['trusted-registries'] = 'off';
      return { rules };
    }
    case 'cis-docker': {
      // Only the rules mapped to a CIS control (their `cis:` tags), at error severity.
      const rules: Record<string, unknown> = {};
      for (const r of builtin) rules[r.meta.id] = cisTags(r.meta.tags).length > 0 ? 'error' : 'off';
      rules['trusted-registries'] = 'off';
      rules.custom = [
        {
          id: 'cis/setuid-setgid',
          severity: 'error',
          message: 'CIS 4.8: {{program}} sets a setuid/setgid bit; remove it, or strip such bits in the final stage',
          description:
            'CIS Docker Benchmark 4.8: setuid and setgid binaries let a process gain the privileges of the file owner. Do not add such bits in a Dockerfile (`chmod u+s`, `chmod 4755`); strip existing ones in the final stage with `find / -perm /6000 -type f -exec chmod a-s {} +`.',
          tags: ['cis:4.8'],
          when: { instruction: 'RUN' },
          forbid: { run: { program: 'chmod', arg: { regex: '([ugoa]*\\+[rwxXt]*s[rwxXst]*|[2-7][0-7]{3})' } } }
        }
      ];
      return { rules };
    }
  }
}
