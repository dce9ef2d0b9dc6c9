import type { JobCustomization } from '../../bedrock/job-request.ts';
import { getModel } from '../../models/catalog.ts';
import type { CustomizationRecord } from '../../registry/index.ts';
import { registerVersion } from '../../registry/index.ts';
import { field, type TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/**
 * RegisterModel: every trained candidate is registered — with its lineage, evaluation and gate decision —
 * whether it passed or not; only Promote moves `production`. Registering is idempotent on the job ARN,
 * so a retried state resumes the same version instead of allocating a new number.
 */
export interface RegisterInput {
  validation: {
    manifest?: { uri: string; sha256: string; records: number; format: string };
    job?: { hyperParameters: Record<string, string> } & Partial<JobCustomization>;
  };
  training: unknown;
  evaluation: {
    passed: boolean;
    reasons: string[];
    scores: Record<string, number>;
    baselineScores?: Record<string, number>;
    reportUri?: string;
  };
  executionArn: string;
}

export async function registerModel(input: RegisterInput, ctx: TaskContext) {
  const model = getModel(ctx.config.baseModel);
  const manifest = input.validation.manifest;
  const { version, created } = await registerVersion(registryContext(ctx), {
    baseModelId: model.id,
    baseModelFamily: model.family,
    jobArn: field<string>(input.training, 'jobArn'),
    customModelArn: field<string>(input.training, 'outputModelArn'),
    hyperparameters: input.validation.job?.hyperParameters ?? {},
    ...customizationRecord(input.validation.job),
    ...(manifest
      ? {
          dataManifest: {
            uri: manifest.uri,
            sha256: manifest.sha256,
            records: manifest.records,
            format: manifest.format,
          },
        }
      : {}),
    evaluation: {
      scores: input.evaluation.scores,
      ...(input.evaluation.baselineScores ? { baselineScores: input.evaluation.baselineScores } : {}),
      ...(input.evaluation.reportUri ? { reportUri: input.evaluation.reportUri } : {}),
    },
    gate: { passed: input.evaluation.passed, reasons: input.evaluation.reasons },
    notes: `registered by execution ${input.executionArn}`,
  });
  ctx.log?.(`registered ${version.version}${created ? '' : ' (already registered by a previous attempt)'}`);
  return {
    version: version.version,
    created,
    passed: input.evaluation.passed,
    autoPromote: ctx.config.registry.autoPromote,
  };
}

/** The method and its options as the job was requested (ValidateTrainingData's job), for the registry. */
function customizationRecord(job: Partial<JobCustomization> | undefined): {
  customization?: CustomizationRecord;
} {
  if (!job?.method || !job.customizationType) return {};
  const teacher = job.teacherModelConfig;
  return {
    customization: {
      method: job.method,
      customizationType: job.customizationType,
      ...(teacher ? { teacherModel: teacher.teacherModelIdentifier } : {}),
      ...(teacher?.maxResponseLengthForInference === undefined
        ? {}
        : { maxResponseLengthForInference: teacher.maxResponseLengthForInference }),
      ...(job.grader ? { grader: job.grader } : {}),
      ...(job.rftHyperParameters
        ? { rftHyperparameters: job.rftHyperParameters as Record<string, string | number> }
        : {}),
    },
  };
}
