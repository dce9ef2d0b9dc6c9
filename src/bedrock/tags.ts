/**
 * How tunekit marks the billable resources it creates (custom model deployments, Provisioned Throughput),
 * so the janitor and `tunekit cleanup` can find them without touching anything else in the account.
 * Whoever creates such a resource must put this tag on it (value: the config's `project`).
 */
export const TUNEKIT_PROJECT_TAG = 'tunekit:project';

export interface ResourceTag {
  key?: string | undefined;
  value?: string | undefined;
}

/** The project a resource belongs to, or undefined when it is not tunekit's. */
export function tunekitProject(tags: readonly ResourceTag[] | undefined): string | undefined {
  return tags?.find((tag) => tag.key === TUNEKIT_PROJECT_TAG)?.value;
}

/**
 * `tunekit:role=production` marks the long-lived deployment serving the registry's `production` version
 * (config `deployment.production`). The janitor never deletes it; `tunekit cleanup` only with `--all`.
 */
export const TUNEKIT_ROLE_TAG = 'tunekit:role';
export const PRODUCTION_ROLE = 'production';

export const isProductionDeployment = (tags: readonly ResourceTag[] | undefined): boolean =>
  Boolean(tags?.some((tag) => tag.key === TUNEKIT_ROLE_TAG && tag.value === PRODUCTION_ROLE));

/** The tags on everything tunekit creates on Bedrock for `project` (jobs, custom models, deployments). */
export const projectTags = (project: string, role?: string): { key: string; value: string }[] => [
  { key: TUNEKIT_PROJECT_TAG, value: project },
  ...(role ? [{ key: TUNEKIT_ROLE_TAG, value: role }] : []),
];
