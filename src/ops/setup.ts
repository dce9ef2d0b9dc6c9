import {
  CreateRoleCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.ts';
import { TUNEKIT_PROJECT_TAG } from '../bedrock/tags.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import {
  errorName,
  errorText,
  hasEndpoint,
  httpStatus,
  isAccessDenied,
  isLocalEndpoint,
  isMissingBucket,
} from './checks.ts';
import { dataAccessPolicy, JOB_OUTPUT_PREFIX, MANUAL_UPLOAD_PREFIX, trustPolicy } from './role-policies.ts';

/**
 * `tunekit setup`: the tutorial's manual path without CDK — the bucket and the Bedrock service role.
 * Idempotent: a second run finds both and re-applies the policies (so it also repairs drift).
 */

export interface SetupStep {
  resource: string;
  action: 'created' | 'exists' | 'updated' | 'skipped';
  detail?: string;
}

export interface SetupResult {
  bucket: string;
  roleArn?: string;
  steps: SetupStep[];
}

/** Every call setup makes, for the hint when one is denied (the user fixes them all at once). */
const SETUP_PERMISSIONS =
  's3:ListBucket, s3:CreateBucket, s3:PutBucketPublicAccessBlock, s3:PutBucketTagging, sts:GetCallerIdentity, ' +
  'iam:GetRole, iam:CreateRole, iam:UpdateAssumeRolePolicy, iam:TagRole, iam:PutRolePolicy';

/**
 * Runs one AWS call; AccessDenied becomes a TunekitError naming the call, the resource and AWS's text
 * (the raw SDK error would reach the CLI as an "internal error" with a stack trace). Others pass through.
 */
async function denied<T>(action: string, resource: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    throw new TunekitError(
      'SETUP.ACCESS_DENIED',
      `${action} on ${resource} was denied: ${errorText(error)}`,
      {
        hint: `grant your identity ${action} (setup needs ${SETUP_PERMISSIONS}), then run \`tunekit setup\` again (it keeps what it already made), or ask an admin to run it`,
        cause: error,
      },
    );
  }
}

export const INLINE_POLICY_NAME = 'tunekit-training-data';
export const defaultRoleName = (project: string) => `tunekit-${project}-bedrock`;

export async function runSetup(
  config: Config,
  clients: AwsClients,
  options: { roleName?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SetupResult> {
  const env = options.env ?? process.env;
  const steps: SetupStep[] = [await ensureBucket(config, clients)];
  if (isLocalEndpoint(env) && !hasEndpoint('IAM', env)) {
    steps.push({
      resource: 'iam-role',
      action: 'skipped',
      detail: 'skipped (local stack: no IAM endpoint set; `tunekit local env` sets one)',
    });
    return { bucket: config.bucket, steps };
  }
  const { Account } = await denied('sts:GetCallerIdentity', 'your identity', () =>
    clients.sts.send(new GetCallerIdentityCommand({})),
  );
  const roleName = options.roleName ?? config.roleArn?.split('/').pop() ?? defaultRoleName(config.project);
  const { arn, step } = await ensureRole(config, clients, roleName, Account!);
  steps.push(step);
  return { bucket: config.bucket, roleArn: arn, steps };
}

async function ensureBucket(config: Config, clients: AwsClients): Promise<SetupStep> {
  const Bucket = config.bucket;
  const resource = `s3://${Bucket}`;
  let action: SetupStep['action'] = 'exists';
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket }));
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403) {
      // HEAD has no error body: 403 is either another account's bucket or a missing s3:ListBucket.
      throw new TunekitError(
        'SETUP.BUCKET_TAKEN',
        `s3:ListBucket (HeadBucket) on ${resource} was denied (403): it belongs to another account, or your identity lacks s3:ListBucket on it`,
        {
          hint: 'grant s3:ListBucket on the bucket; if it is not yours, choose another "bucket" in tunekit.config.json (names are global)',
        },
      );
    }
    if (!isMissingBucket(error)) throw error;
    await denied('s3:CreateBucket', resource, () =>
      clients.s3.send(
        new CreateBucketCommand({
          Bucket,
          // us-east-1 is the one region that rejects an explicit LocationConstraint.
          ...(config.region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: config.region as never } }),
        }),
      ),
    );
    action = 'created';
  }
  // Training data is private; tagged so `tunekit cleanup --all` knows it is this project's.
  const tolerate = async (action: string, call: () => Promise<unknown>) => {
    try {
      await denied(action, resource, call);
    } catch (error) {
      // The local stack does not implement every bucket sub-resource; AWS and moto do.
      if (!/NotImplemented|MethodNotAllowed/.test(errorName(error))) throw error;
    }
  };
  await tolerate('s3:PutBucketPublicAccessBlock', () =>
    clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    ),
  );
  if (action === 'created') {
    await tolerate('s3:PutBucketTagging', () =>
      clients.s3.send(
        new PutBucketTaggingCommand({
          Bucket,
          Tagging: { TagSet: [{ Key: TUNEKIT_PROJECT_TAG, Value: config.project }] },
        }),
      ),
    );
  }
  return { resource, action };
}

async function ensureRole(config: Config, clients: AwsClients, RoleName: string, account: string) {
  const trust = JSON.stringify(trustPolicy(account, config.region));
  const prefixes = [...new Set([config.data.prefix, MANUAL_UPLOAD_PREFIX])];
  const logs = config.customization.distillation?.invocationLogs?.s3Uri;
  const access = JSON.stringify(dataAccessPolicy(config.bucket, prefixes, { invocationLogsUri: logs }));
  const tags = [{ Key: TUNEKIT_PROJECT_TAG, Value: config.project }];
  const role = `role ${RoleName}`;
  let arn: string;
  let action: SetupStep['action'];
  try {
    const { Role } = await denied('iam:GetRole', role, () =>
      clients.iam.send(new GetRoleCommand({ RoleName })),
    );
    arn = Role!.Arn!;
    action = 'updated';
    await denied('iam:UpdateAssumeRolePolicy', role, () =>
      clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: trust })),
    );
    await denied('iam:TagRole', role, () => clients.iam.send(new TagRoleCommand({ RoleName, Tags: tags })));
  } catch (error) {
    if (errorName(error) !== 'NoSuchEntityException') throw error;
    const r = await denied('iam:CreateRole', role, () =>
      clients.iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: trust,
          Description: `Assumed by Amazon Bedrock customization jobs of tunekit project ${config.project}`,
          Tags: tags,
        }),
      ),
    );
    arn = r.Role!.Arn!;
    action = 'created';
  }
  await denied('iam:PutRolePolicy', role, () =>
    clients.iam.send(
      new PutRolePolicyCommand({ RoleName, PolicyName: INLINE_POLICY_NAME, PolicyDocument: access }),
    ),
  );
  return {
    arn,
    step: {
      resource: arn,
      action,
      detail: `reads ${prefixes.join(', ')}${logs ? ` and the invocation logs at ${logs}` : ''}; writes ${JOB_OUTPUT_PREFIX}`,
    } as SetupStep,
  };
}
