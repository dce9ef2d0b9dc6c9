import { resolve } from 'node:path';
import type {
  CreateModelCustomizationJobCommandInput,
  CustomizationConfig,
  RFTHyperParameters,
  RequestMetadataFilters as SdkRequestMetadataFilters,
} from '@aws-sdk/client-bedrock';
import type { Config } from '../config/schema.ts';
import { CUSTOMIZATION_TYPE, type Method } from '../models/methods.ts';
import { findTeacher } from '../models/teachers.ts';
import { bedrockName } from './names.ts';
import type { PreparedJob } from './prepare-job.ts';

/**
 * The method's part of CreateModelCustomizationJob, in one place: `customizationType` and
 * `customizationConfig` (botocore 1.43 bedrock: CustomizationConfig is a union of distillationConfig
 * {teacherModelConfig {teacherModelIdentifier (required), maxResponseLengthForInference}} and rftConfig
 * {graderConfig {lambdaGrader {lambdaArn (required)}}, hyperParameters (RFTHyperParameters: typed
 * numbers and reasoningEffort, not the string map of the top-level hyperParameters)}).
 *
 * The grader's Lambda ARN is not data of the run: on AWS the stack deploys the grader, so the state
 * machine names it with the `${GraderFunctionArn}` placeholder and `tunekit train` takes it as an option.
 */

export interface JobCustomization {
  method: Method;
  customizationType: NonNullable<CreateModelCustomizationJobCommandInput['customizationType']>;
  teacherModelConfig?: { teacherModelIdentifier: string; maxResponseLengthForInference?: number };
  rftHyperParameters?: RFTHyperParameters;
  /** The grader file (config `customization.reinforcement.grader`), recorded in the registry. */
  grader?: string;
}

export function jobCustomization(config: Config): JobCustomization {
  const c = config.customization;
  const base = { method: c.method, customizationType: CUSTOMIZATION_TYPE[c.method] };
  if (c.method === 'distillation' && c.distillation) {
    const { teacherModel, maxResponseLengthForInference } = c.distillation;
    // An alias (nova-premier) or the customization id (…:300k) becomes the teacher's foundation-model id;
    // an inference profile (us.…, eu.…) or an ARN is sent as written (TeacherModelIdentifier takes both).
    const teacher = findTeacher(teacherModel);
    const asWritten = /^(arn:|(us|eu|apac|global)\.)/.test(teacherModel);
    const identifier = teacher && !asWritten ? teacher.id : teacherModel;
    return {
      ...base,
      teacherModelConfig: {
        teacherModelIdentifier: identifier,
        ...(maxResponseLengthForInference === undefined ? {} : { maxResponseLengthForInference }),
      },
    };
  }
  if (c.method === 'reinforcement' && c.reinforcement) {
    const defined = Object.entries(c.reinforcement.hyperparameters).filter(([, v]) => v !== undefined);
    return {
      ...base,
      rftHyperParameters: Object.fromEntries(defined) as RFTHyperParameters,
      grader: c.reinforcement.grader,
    };
  }
  return base;
}

/** The SDK's customizationConfig for the method (undefined for fine-tuning). */
export function customizationConfig(
  c: JobCustomization,
  graderLambdaArn?: string,
): CustomizationConfig | undefined {
  if (c.teacherModelConfig) return { distillationConfig: { teacherModelConfig: c.teacherModelConfig } };
  if (c.method === 'reinforcement') {
    if (!graderLambdaArn) throw new Error('reinforcement fine-tuning needs the grader Lambda ARN');
    return {
      rftConfig: {
        graderConfig: { lambdaGrader: { lambdaArn: graderLambdaArn } },
        hyperParameters: c.rftHyperParameters ?? {},
      },
    };
  }
  return undefined;
}

const pascal = (key: string) => key[0]!.toUpperCase() + key.slice(1);
const pascalKeys = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [pascal(k), v]));

/**
 * The method's fields as Step Functions' optimized Bedrock integration takes them: PascalCase at every
 * level, as it takes TrainingDataConfig {S3Uri} and CustomModelTags [{Key, Value}] (bedrock-facts §6,
 * CDK's BedrockCreateModelCustomizationJob). The nested customizationConfig members follow the same
 * first-letter rule (DistillationConfig, TeacherModelConfig, RftConfig — not RFTConfig, the shape's name —
 * as AWS's .NET SDK names them: aws/aws-tools-for-powershell New-BDRModelCustomizationJob-Cmdlet.cs,
 * `CustomizationConfig_RftConfig_HyperParameters_BatchSize`); no Step Functions page lists them:
 * UNCONFIRMED for the integration. Data the ASL cannot re-case, handed over next to the SDK-shaped job.
 */
export function statesCustomization(c: JobCustomization) {
  return {
    ...(c.teacherModelConfig ? { teacherModelConfig: pascalKeys(c.teacherModelConfig) } : {}),
    ...(c.rftHyperParameters ? { rftHyperParameters: pascalKeys(c.rftHyperParameters) } : {}),
  };
}

/**
 * The grader's function name on the local stack, where the pipeline and `tunekit train` name it in the job.
 * On AWS the stack's grader has a CloudFormation-generated name, handed to the job as `${GraderFunctionArn}`.
 */
export const graderFunctionName = (project: string) => bedrockName(project, 'grader');

/**
 * The local stack's grader registrations for a project: with method "reinforcement", the configured grader
 * file under the function name the pipeline and `tunekit train` put in the job (see localGraderArn).
 */
export function projectGraders(config: Config, configDir: string): Record<string, string> {
  const grader =
    config.customization.method === 'reinforcement' ? config.customization.reinforcement?.grader : undefined;
  return grader ? { [graderFunctionName(config.project)]: resolve(configDir, grader) } : {};
}

/** The grader's ARN in the local stack's account (000000000000, as the local task functions). */
export const localGraderArn = (project: string, region: string) =>
  `arn:aws:lambda:${region}:000000000000:function:${graderFunctionName(project)}`;

/** The SDK request for a prepared job (what `tunekit train` sends; the pipeline's ASL names the same fields). */
export function createJobInput(
  job: PreparedJob,
  roleArn: string,
  graderLambdaArn?: string,
): CreateModelCustomizationJobCommandInput {
  const config = customizationConfig(job, graderLambdaArn);
  return {
    jobName: job.jobName,
    customModelName: job.customModelName,
    roleArn,
    baseModelIdentifier: job.baseModelIdentifier,
    customizationType: job.customizationType,
    ...(config ? { customizationConfig: config } : {}),
    clientRequestToken: job.clientRequestToken,
    ...(Object.keys(job.hyperParameters).length ? { hyperParameters: job.hyperParameters } : {}),
    trainingDataConfig: job.invocationLogs
      ? {
          invocationLogsConfig: {
            invocationLogSource: { s3Uri: job.invocationLogs.s3Uri },
            usePromptResponse: job.invocationLogs.usePromptResponse,
            ...(job.invocationLogs.requestMetadataFilters
              ? {
                  // One member exactly (RequestMetadataFiltersSchema checks it): the SDK's union type.
                  requestMetadataFilters: job.invocationLogs
                    .requestMetadataFilters as SdkRequestMetadataFilters,
                }
              : {}),
          },
        }
      : { s3Uri: job.trainingS3Uri },
    outputDataConfig: { s3Uri: job.outputS3Uri },
    ...(job.validationS3Uri
      ? { validationDataConfig: { validators: [{ s3Uri: job.validationS3Uri }] } }
      : {}),
    ...(job.customModelKmsKeyId ? { customModelKmsKeyId: job.customModelKmsKeyId } : {}),
    ...(job.vpcConfig ? { vpcConfig: job.vpcConfig } : {}),
    jobTags: job.jobTags,
    customModelTags: job.customModelTags,
  };
}
