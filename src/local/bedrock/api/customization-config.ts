import type { ModelSpec } from '../../../models/schema.ts';
import { baseModelIdOf, findTeacher, TEACHERS } from '../../../models/teachers.ts';
import { constraintError, validation } from '../errors.ts';
import { noUnknown, object, unionMember } from '../validate.ts';

/**
 * customizationType and customizationConfig of CreateModelCustomizationJob, with botocore's shapes
 * (bedrock 2023-04-20: CustomizationConfig is a union of distillationConfig | rftConfig; bedrock-facts
 * §11.5). Constraint violations use AWS's "1 validation error detected" wording; the wording of the
 * semantic refusals (wrong teacher, missing config, type/config mismatch) is UNCONFIRMED, each names the
 * field and the fix.
 */

const CUSTOMIZATION_TYPES = [
  'FINE_TUNING',
  'CONTINUED_PRE_TRAINING',
  'DISTILLATION',
  'REINFORCEMENT_FINE_TUNING',
  'IMPORTED',
] as const;
export type CustomizationType = (typeof CUSTOMIZATION_TYPES)[number];

export interface RftHyperParameters {
  epochCount?: number;
  batchSize?: number;
  learningRate?: number;
  maxPromptLength?: number;
  trainingSamplePerPrompt?: number;
  inferenceMaxTokens?: number;
  reasoningEffort?: 'low' | 'medium' | 'high';
  evalInterval?: number;
}

export interface DistillationConfig {
  teacherModelConfig: { teacherModelIdentifier: string; maxResponseLengthForInference?: number };
}

export interface RftConfig {
  graderConfig: { lambdaGrader: { lambdaArn: string } };
  hyperParameters?: RftHyperParameters;
}

export type CustomizationConfig = { distillationConfig: DistillationConfig } | { rftConfig: RftConfig };

// botocore: TeacherModelIdentifier, LambdaArn.
const TEACHER_PATTERN =
  '(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:((:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)$)|([0-9]{12}:inference-profile/[a-zA-Z0-9-:.]+$)))|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})';
const LAMBDA_ARN_PATTERN =
  'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_\\.]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/** botocore RFTHyperParameters: type and range of each member (min/max absent = unbounded). */
const RFT_HYPERPARAMETERS: Record<
  keyof RftHyperParameters,
  { type: 'int' | 'float' | 'enum'; min?: number; max?: number; values?: string[] }
> = {
  epochCount: { type: 'int', min: 1, max: 50 },
  batchSize: { type: 'int', min: 16, max: 512 },
  learningRate: { type: 'float', min: 1e-7, max: 1e-3 },
  maxPromptLength: { type: 'int' },
  trainingSamplePerPrompt: { type: 'int', min: 2, max: 16 },
  inferenceMaxTokens: { type: 'int' },
  reasoningEffort: { type: 'enum', values: ['low', 'medium', 'high'] },
  evalInterval: { type: 'int', min: 1, max: 100 },
};

const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);

function distillation(config: Record<string, unknown>, model: ModelSpec): DistillationConfig {
  const at = 'customizationConfig.distillationConfig';
  const body = object(config.distillationConfig, at, true)!;
  noUnknown(body, at, ['teacherModelConfig']);
  const teacher = object(body.teacherModelConfig, `${at}.teacherModelConfig`, true)!;
  noUnknown(teacher, `${at}.teacherModelConfig`, ['teacherModelIdentifier', 'maxResponseLengthForInference']);
  const idField = `${at}.teacherModelConfig.teacherModelIdentifier`;
  const id = teacher.teacherModelIdentifier;
  if (id === undefined || id === null) throw constraintError(idField, 'null', 'Member must not be null');
  if (typeof id !== 'string') throw validation(`${idField} must be a string`);
  if (!matches(TEACHER_PATTERN, id))
    throw constraintError(idField, id, `Member must satisfy regular expression pattern: ${TEACHER_PATTERN}`);
  // One home for teacher/student pairs: the catalog's TEACHERS (src/models/teachers.ts).
  const teacherSpec = findTeacher(baseModelIdOf(id));
  if (!teacherSpec?.students.includes(model.id)) {
    const supported = TEACHERS.filter((t) => t.students.includes(model.id)).map((t) => t.id);
    throw validation(
      `${idField}: ${id} is not a supported teacher for the student model ${model.id}. ` +
        (supported.length
          ? `Supported teachers: ${supported.join(', ')} (or their inference profiles).`
          : `${model.id} has no supported teacher models.`),
    );
  }
  const lengthField = `${at}.teacherModelConfig.maxResponseLengthForInference`;
  const length = teacher.maxResponseLengthForInference;
  if (length !== undefined && length !== null && (typeof length !== 'number' || !Number.isInteger(length)))
    throw validation(`${lengthField} must be an integer`);
  if (typeof length === 'number' && length < 1)
    throw constraintError(lengthField, length, 'Member must have value greater than or equal to 1');
  return {
    teacherModelConfig: {
      teacherModelIdentifier: id,
      ...(typeof length === 'number' ? { maxResponseLengthForInference: length } : {}),
    },
  };
}

function rftHyperParameters(value: unknown): RftHyperParameters | undefined {
  const at = 'customizationConfig.rftConfig.hyperParameters';
  const body = object(value, at, false);
  if (!body) return undefined;
  noUnknown(body, at, Object.keys(RFT_HYPERPARAMETERS));
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(RFT_HYPERPARAMETERS)) {
    const raw = body[name];
    if (raw === undefined || raw === null) continue;
    const field = `${at}.${name}`;
    if (spec.type === 'enum') {
      if (typeof raw !== 'string' || !spec.values!.includes(raw))
        throw constraintError(field, raw, `Member must satisfy enum value set: [${spec.values!.join(', ')}]`);
    } else {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || (spec.type === 'int' && !Number.isInteger(raw)))
        throw validation(`${field} must be ${spec.type === 'int' ? 'an integer' : 'a number'}`);
      if (spec.min !== undefined && raw < spec.min)
        throw constraintError(field, raw, `Member must have value greater than or equal to ${spec.min}`);
      if (spec.max !== undefined && raw > spec.max)
        throw constraintError(field, raw, `Member must have value less than or equal to ${spec.max}`);
      if (spec.min === undefined && raw < 1)
        throw validation(`${field} must be a positive integer (got ${raw}).`);
    }
    out[name] = raw;
  }
  return out as RftHyperParameters;
}

function rft(config: Record<string, unknown>): RftConfig {
  const at = 'customizationConfig.rftConfig';
  const body = object(config.rftConfig, at, true)!;
  noUnknown(body, at, ['graderConfig', 'hyperParameters']);
  // RFTConfig marks nothing required, but a job without a grader has no reward to learn from; whether AWS
  // refuses the request or fails the job is UNCONFIRMED (the local stack refuses it).
  const grader = object(body.graderConfig, `${at}.graderConfig`, false);
  if (!grader)
    throw validation(
      `${at}.graderConfig is required for REINFORCEMENT_FINE_TUNING: set graderConfig.lambdaGrader.lambdaArn to the ARN of your grader function.`,
    );
  unionMember(grader, `${at}.graderConfig`, ['lambdaGrader']);
  const lambda = object(grader.lambdaGrader, `${at}.graderConfig.lambdaGrader`, true)!;
  noUnknown(lambda, `${at}.graderConfig.lambdaGrader`, ['lambdaArn']);
  const arnField = `${at}.graderConfig.lambdaGrader.lambdaArn`;
  const arn = lambda.lambdaArn;
  if (arn === undefined || arn === null) throw constraintError(arnField, 'null', 'Member must not be null');
  if (typeof arn !== 'string') throw validation(`${arnField} must be a string`);
  if (arn.length > 512)
    throw constraintError(arnField, arn, 'Member must have length less than or equal to 512');
  if (!matches(LAMBDA_ARN_PATTERN, arn))
    throw constraintError(
      arnField,
      arn,
      `Member must satisfy regular expression pattern: ${LAMBDA_ARN_PATTERN}`,
    );
  const hyperParameters = rftHyperParameters(body.hyperParameters);
  return {
    graderConfig: { lambdaGrader: { lambdaArn: arn } },
    ...(hyperParameters ? { hyperParameters } : {}),
  };
}

const CONFIG_OF: Partial<Record<CustomizationType, 'distillationConfig' | 'rftConfig'>> = {
  DISTILLATION: 'distillationConfig',
  REINFORCEMENT_FINE_TUNING: 'rftConfig',
};

/**
 * Checks the job's method against the request and the base (student) model. `hyperParameters` is the
 * top-level map: RFT takes its hyperparameters in rftConfig.hyperParameters instead.
 */
export function parseCustomization(
  body: Record<string, unknown>,
  model: ModelSpec,
): { customizationType: CustomizationType; customizationConfig?: CustomizationConfig } {
  const raw = body.customizationType ?? 'FINE_TUNING';
  if (typeof raw !== 'string' || !CUSTOMIZATION_TYPES.includes(raw as CustomizationType))
    throw constraintError(
      'customizationType',
      raw,
      `Member must satisfy enum value set: [${CUSTOMIZATION_TYPES.join(', ')}]`,
    );
  const type = raw as CustomizationType;
  if (!model.customizationTypes.includes(type as ModelSpec['customizationTypes'][number])) {
    const supported = model.customizationTypes.join(', ');
    throw validation(
      `The model ${model.id} does not support customization type ${type}. Supported customization types: ${supported}.`,
    );
  }
  if (type !== 'FINE_TUNING' && !CONFIG_OF[type])
    throw validation(
      `The local stack does not emulate ${type} jobs; it trains FINE_TUNING, DISTILLATION and REINFORCEMENT_FINE_TUNING.`,
    );
  const expected = CONFIG_OF[type];
  const config = object(body.customizationConfig, 'customizationConfig', false);
  if (!config) {
    if (expected)
      throw validation(`customizationConfig.${expected} is required when customizationType is ${type}.`);
    return { customizationType: type };
  }
  const member = unionMember(config, 'customizationConfig', ['distillationConfig', 'rftConfig']);
  if (member !== expected)
    throw validation(
      `customizationConfig.${member} does not go with customizationType ${type}` +
        (expected ? `: set customizationConfig.${expected} instead.` : ': remove customizationConfig.'),
    );
  if (type === 'DISTILLATION')
    return {
      customizationType: type,
      customizationConfig: { distillationConfig: distillation(config, model) },
    };
  if (body.hyperParameters !== undefined && body.hyperParameters !== null)
    throw validation(
      'hyperParameters does not apply to REINFORCEMENT_FINE_TUNING: put them in customizationConfig.rftConfig.hyperParameters.',
    );
  return { customizationType: type, customizationConfig: { rftConfig: rft(config) } };
}
