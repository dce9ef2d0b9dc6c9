import { GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import { findModel } from '../models/catalog.ts';
import { CUSTOMIZATION_TYPE } from '../models/methods.ts';
import {
  type CheckResult,
  errorName,
  errorText,
  hasEndpoint,
  httpStatus,
  isAccessDenied,
  isLocalEndpoint,
  isMissingBucket,
  isNetworkError,
  NETWORK_FIX,
} from './checks.ts';

/**
 * `tunekit doctor`: the tutorial's verify_setup, made useful — each check says what is wrong and how to
 * fix it. Checks are independent: one failing (no credentials) does not hide the others' findings.
 */
export async function runDoctor(
  config: Config,
  clients: AwsClients,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckResult[]> {
  const local = isLocalEndpoint(env);
  const results: CheckResult[] = [];
  results.push(await checkCredentials(clients, local && !hasEndpoint('STS', env)));
  results.push(checkRegion(config));
  results.push(await checkBaseModel(config, clients));
  results.push(await checkBucket(config, clients));
  results.push(await checkRole(config, clients, local && !hasEndpoint('IAM', env)));
  return results;
}

async function checkCredentials(clients: AwsClients, skip: boolean): Promise<CheckResult> {
  const name = 'credentials';
  if (skip)
    return {
      name,
      status: 'skipped',
      detail: 'skipped (local stack: no STS endpoint set; `tunekit local env` sets one)',
    };
  try {
    const id = await clients.sts.send(new GetCallerIdentityCommand({}));
    return { name, status: 'ok', detail: `account ${id.Account} as ${id.Arn}` };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: errorText(error),
      fix: 'configure credentials: `aws configure` (or `aws sso login --profile X` and export AWS_PROFILE=X)',
    };
  }
}

function checkRegion(config: Config): CheckResult {
  const name = 'region';
  const model = findModel(config.baseModel);
  if (!model) {
    return {
      name,
      status: 'fail',
      detail: `base model ${config.baseModel} is not in tunekit's catalog`,
      fix: 'pick one from `tunekit models` and set "baseModel" in tunekit.config.json',
    };
  }
  if (!model.regions.includes(config.region)) {
    return {
      name,
      status: 'fail',
      detail: `${model.name} cannot be customized in ${config.region} (catalog regions: ${model.regions.join(', ')})`,
      fix: `set "region" to one of ${model.regions.join(', ')} in tunekit.config.json`,
    };
  }
  return { name, status: 'ok', detail: `${config.region} (supports customizing ${model.name})` };
}

async function checkBaseModel(config: Config, clients: AwsClients): Promise<CheckResult> {
  const name = 'bedrock base model';
  const id = findModel(config.baseModel)?.id ?? config.baseModel;
  try {
    const { modelDetails } = await clients.bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: id }),
    );
    const lifecycle = modelDetails?.modelLifecycle?.status ?? 'unknown';
    const types: string[] = modelDetails?.customizationsSupported ?? [];
    const method = config.customization.method;
    const type = CUSTOMIZATION_TYPE[method];
    // GetFoundationModel's customizationsSupported enum (botocore 1.43 ModelCustomization) has no
    // REINFORCEMENT_FINE_TUNING, so that method is checked against the catalog only (preflight).
    if (type !== 'REINFORCEMENT_FINE_TUNING' && !types.includes(type)) {
      return {
        name,
        status: 'fail',
        detail: `${id} is reachable but does not support ${method} (${type}) here (supports: ${types.join(', ') || 'none'})`,
        fix: 'choose a base model that supports customization.method: `tunekit models` (METHODS column)',
      };
    }
    if (lifecycle !== 'ACTIVE') {
      return {
        name,
        status: 'fail',
        detail: `${id} is ${lifecycle}: new customization jobs may be refused and deployments retired`,
        fix: 'move to an ACTIVE base model (`tunekit models` lists them)',
      };
    }
    return { name, status: 'ok', detail: `${id} is ACTIVE and supports ${type}` };
  } catch (error) {
    const fix = isNetworkError(error)
      ? NETWORK_FIX
      : isAccessDenied(error)
        ? 'grant bedrock:GetFoundationModel (and the bedrock:*ModelCustomization* actions) to your identity, and request model access in the Bedrock console'
        : errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'ValidationException'
          ? `the model is not offered in ${config.region}: change "region" or "baseModel"`
          : /Throttling|TooManyRequests/.test(errorName(error))
            ? 'Bedrock is throttling this account right now: run `tunekit doctor` again in a minute'
            : 'check network access to Bedrock in this region and that your credentials are valid';
    return { name, status: 'fail', detail: errorText(error), fix };
  }
}

async function checkBucket(config: Config, clients: AwsClients): Promise<CheckResult> {
  const name = 'bucket';
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: config.bucket }));
    return { name, status: 'ok', detail: `s3://${config.bucket} exists and is reachable` };
  } catch (error) {
    const status = httpStatus(error);
    const missing = isMissingBucket(error);
    return {
      name,
      status: 'fail',
      detail: missing
        ? `s3://${config.bucket} does not exist`
        : status === 403
          ? // HEAD responses have no error body, so AWS's text is only the status.
            `AccessDenied (403) on HeadBucket s3://${config.bucket}: your identity lacks s3:ListBucket on it, or the bucket belongs to another account`
          : errorText(error),
      fix: isNetworkError(error)
        ? NETWORK_FIX
        : missing
          ? 'run `tunekit setup` (creates the bucket and role) or change "bucket" in tunekit.config.json'
          : 'grant s3:ListBucket/GetObject/PutObject on the bucket, or choose a bucket you own',
    };
  }
}

async function checkRole(config: Config, clients: AwsClients, skip: boolean): Promise<CheckResult> {
  const name = 'bedrock service role';
  if (!config.roleArn) {
    return {
      name,
      status: 'fail',
      detail: 'no "roleArn" in tunekit.config.json',
      fix: 'run `tunekit setup` and copy the role ARN it prints into "roleArn"',
    };
  }
  if (skip)
    return {
      name,
      status: 'skipped',
      detail: 'skipped (local stack: no IAM endpoint set; `tunekit local env` sets one)',
    };
  const roleName = config.roleArn.split('/').pop()!;
  try {
    const { Role } = await clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '');
    if (!trust.includes('bedrock.amazonaws.com')) {
      return {
        name,
        status: 'fail',
        detail: `${roleName} exists but Bedrock may not assume it (no bedrock.amazonaws.com in its trust policy)`,
        fix: 'run `tunekit setup` to (re)write the trust policy, or add bedrock.amazonaws.com as principal',
      };
    }
    return { name, status: 'ok', detail: `${roleName} exists and trusts bedrock.amazonaws.com` };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail:
        errorName(error) === 'NoSuchEntityException' ? `role ${roleName} does not exist` : errorText(error),
      fix:
        errorName(error) === 'NoSuchEntityException'
          ? 'run `tunekit setup` to create it'
          : isNetworkError(error)
            ? NETWORK_FIX
            : `grant iam:GetRole on ${config.roleArn} to your identity (doctor only reads the role)`,
    };
  }
}
