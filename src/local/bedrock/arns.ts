import { randomBytes } from 'node:crypto';

/** ARNs and ids in Bedrock's shapes (see botocore's ModelCustomizationJobArn, CustomModelArn, ...). */

export interface Account {
  region: string;
  accountId: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Bedrock's 12-character lowercase resource suffix. */
export function newResourceId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export const foundationModelArn = (region: string, modelId: string) =>
  `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
export const jobArn = (a: Account, baseModelId: string, id: string) =>
  `arn:aws:bedrock:${a.region}:${a.accountId}:model-customization-job/${baseModelId}/${id}`;
export const customModelArn = (a: Account, baseModelId: string, id: string) =>
  `arn:aws:bedrock:${a.region}:${a.accountId}:custom-model/${baseModelId}/${id}`;
export const provisionedModelArn = (a: Account, id: string) =>
  `arn:aws:bedrock:${a.region}:${a.accountId}:provisioned-model/${id}`;
export const deploymentArn = (a: Account, id: string) =>
  `arn:aws:bedrock:${a.region}:${a.accountId}:custom-model-deployment/${id}`;

/** The trailing 12-char id of an ARN of the given resource type, or undefined if `value` is not one. */
export function arnResourceId(value: string, resourceType: string): string | undefined {
  const match = new RegExp(
    `^arn:aws[^:]*:bedrock:[^:]*:[0-9]{0,12}:${resourceType}/(?:.+/)?([a-z0-9]{12})$`,
  ).exec(value);
  return match?.[1];
}
