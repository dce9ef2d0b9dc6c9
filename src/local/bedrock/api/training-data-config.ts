import {
  type RequestMetadataFilters,
  RequestMetadataFiltersSchema,
} from '../../../dataset/invocation-logs.ts';
import { constraintError, validation } from '../errors.ts';
import { noUnknown, object, requiredObject, s3UriField, unionMember } from '../validate.ts';
import type { CustomizationType } from './customization-config.ts';

/**
 * trainingDataConfig of CreateModelCustomizationJob, with botocore's shapes (bedrock 2023-04-20):
 * TrainingDataConfig {s3Uri?, invocationLogsConfig?}; InvocationLogsConfig {invocationLogSource (required,
 * a union of s3Uri), usePromptResponse?, requestMetadataFilters? (a union, RequestMetadataFiltersSchema)}.
 * Invocation logs feed distillation (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-2.html).
 */

export interface InvocationLogsConfig {
  invocationLogSource: { s3Uri: string };
  usePromptResponse?: boolean;
  requestMetadataFilters?: RequestMetadataFilters;
}

export interface TrainingDataConfig {
  s3Uri?: string;
  invocationLogsConfig?: InvocationLogsConfig;
}

const AT = 'trainingDataConfig.invocationLogsConfig';

function invocationLogsConfig(value: Record<string, unknown>): InvocationLogsConfig {
  noUnknown(value, AT, ['invocationLogSource', 'usePromptResponse', 'requestMetadataFilters']);
  const source = object(value.invocationLogSource, `${AT}.invocationLogSource`, true)!;
  unionMember(source, `${AT}.invocationLogSource`, ['s3Uri']);
  const s3Uri = s3UriField(source, `${AT}.invocationLogSource`);
  const use = value.usePromptResponse;
  if (use !== undefined && use !== null && typeof use !== 'boolean')
    throw validation(`${AT}.usePromptResponse must be true or false (got ${JSON.stringify(use)}).`);
  let filters: RequestMetadataFilters | undefined;
  if (value.requestMetadataFilters !== undefined && value.requestMetadataFilters !== null) {
    const parsed = RequestMetadataFiltersSchema.safeParse(value.requestMetadataFilters);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = [`${AT}.requestMetadataFilters`, ...issue.path.map(String)].join('.');
      throw validation(
        `${path} ${issue.message}. A filter is {"equals": {"key": "value"}}, {"notEquals": {...}}, or {"andAll"|"orAll": [up to 16 of those]}.`,
      );
    }
    filters = parsed.data;
  }
  return {
    invocationLogSource: { s3Uri },
    ...(typeof use === 'boolean' ? { usePromptResponse: use } : {}),
    ...(filters ? { requestMetadataFilters: filters } : {}),
  };
}

/** The job's training data: an S3 file, or (distillation) the model invocation logs under an S3 prefix. */
export function parseTrainingDataConfig(
  body: Record<string, unknown>,
  customizationType: CustomizationType,
): TrainingDataConfig {
  const config = requiredObject(body, 'trainingDataConfig');
  noUnknown(config, 'trainingDataConfig', ['s3Uri', 'invocationLogsConfig']);
  const logs = object(config.invocationLogsConfig, AT, false);
  if (!logs) {
    if (config.s3Uri === undefined || config.s3Uri === null)
      throw constraintError('trainingDataConfig.s3Uri', 'null', 'Member must not be null');
    return { s3Uri: s3UriField(config, 'trainingDataConfig') };
  }
  // AWS documents invocation logs as data for distillation and for reinforcement fine-tuning only. Whether it
  // refuses them for FINE_TUNING with a ValidationException (and its wording) is UNCONFIRMED.
  if (customizationType === 'REINFORCEMENT_FINE_TUNING')
    throw validation(
      `${AT}: the local stack reads invocation logs for distillation only; pass trainingDataConfig.s3Uri with your RFT records. (AWS also accepts invocation logs for reinforcement fine-tuning: https://docs.aws.amazon.com/bedrock/latest/userguide/rft-option-2.html)`,
    );
  if (customizationType !== 'DISTILLATION')
    throw validation(
      `${AT}: invocation logs are distillation data; with customizationType ${customizationType} pass trainingDataConfig.s3Uri, or set customizationType DISTILLATION with a distillationConfig.`,
    );
  // Prompts come from one place. Whether AWS refuses both together is UNCONFIRMED; refusing keeps the job's
  // data unambiguous.
  if (config.s3Uri !== undefined && config.s3Uri !== null)
    throw validation(
      'trainingDataConfig: set either s3Uri (a prompts file) or invocationLogsConfig (the invocation logs), not both.',
    );
  return { invocationLogsConfig: invocationLogsConfig(logs) };
}
