/**
 * The checks of the linters container-guard stands in for, as their users know them. Every name
 * here is an alias of exactly one container-guard rule (__tests__/upstream-parity.test.ts).
 */

/** `docker build --check` (BuildKit's Dockerfile frontend), from its build-checks reference. */
export const BUILDKIT_CHECKS = [
  'ConsistentInstructionCasing',
  'CopyIgnoredFile',
  'DuplicateStageName',
  'ExposeInvalidFormat',
  'ExposeProtoCasing',
  'FromAsCasing',
  'FromPlatformFlagConstDisallowed',
  'InvalidBaseImagePlatform',
  'InvalidDefaultArgInFrom',
  'InvalidDefinitionDescription',
  'JSONArgsRecommended',
  'LegacyKeyValueFormat',
  'MaintainerDeprecated',
  'MultipleInstructionsDisallowed',
  'NoEmptyContinuation',
  'RedundantTargetPlatform',
  'ReservedStageName',
  'SecretsUsedInArgOrEnv',
  'StageNameCasing',
  'UndefinedArgInFrom',
  'UndefinedVar',
  'WorkdirRelativePath'
] as const;

/** hadolint's rules (its README's table, plus DL3064), shell checks (SCxxxx) aside. */
export const HADOLINT_RULES = [
  'DL1001',
  ...['3000', '3001', '3002', '3003', '3004', '3005', '3006', '3007', '3008', '3009', '3010', '3011', '3012', '3013', '3014', '3015', '3016'],
  ...['3018', '3019', '3020', '3021', '3022', '3023', '3024', '3025', '3026', '3027', '3028', '3029', '3030'],
  ...['3032', '3033', '3034', '3035', '3036', '3037', '3038'],
  ...[
    '3040',
    '3041',
    '3042',
    '3043',
    '3044',
    '3045',
    '3046',
    '3047',
    '3048',
    '3049',
    '3050',
    '3051',
    '3052',
    '3053',
    '3054',
    '3055',
    '3056',
    '3057',
    '3058',
    '3059',
    '3060',
    '3061',
    '3062',
    '3063',
    '3064'
  ],
  ...['4000', '4001', '4003', '4004', '4005', '4006']
].map((n) => (n.startsWith('DL') ? n : `DL${n}`));

const BUILDKIT = new Set<string>(BUILDKIT_CHECKS.map((c) => c.toLowerCase()));

/** True when a finding with these ids (lower-case or not) is one of BuildKit's checks. */
export function isBuildkitCheck(ids: readonly string[]): boolean {
  return ids.some((id) => BUILDKIT.has(id.toLowerCase()));
}
