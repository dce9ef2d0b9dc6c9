import { findModel } from './catalog.ts';
import type { CustomizationType, ModelSpec } from './schema.ts';
import { findTeacher, TEACHERS } from './teachers.ts';

/**
 * The three ways tunekit customizes a model, as the config names them, and what each means to Bedrock:
 * one home for "which base model supports which method, with which teacher, and how many records".
 */
export const METHODS = ['fine-tuning', 'distillation', 'reinforcement'] as const;
export type Method = (typeof METHODS)[number];

/** CreateModelCustomizationJob's customizationType for each method (botocore 1.43 shape CustomizationType). */
export const CUSTOMIZATION_TYPE: Readonly<Record<Method, CustomizationType>> = {
  'fine-tuning': 'FINE_TUNING',
  distillation: 'DISTILLATION',
  reinforcement: 'REINFORCEMENT_FINE_TUNING',
};

/** The method a recorded customizationType stands for (registry versions from before methods: fine-tuning). */
export function methodOf(type: string | undefined): Method {
  const found = METHODS.find((m) => CUSTOMIZATION_TYPE[m] === type);
  return found ?? 'fine-tuning';
}

export interface RecordBounds {
  minRecords: number | null;
  maxRecords: number | null;
  source?: string;
}

/**
 * The record bounds of a method on a model: fine-tuning's are the model's `limits`; another method's come
 * from `methodLimits` or are unknown (null) — never fine-tuning's by assumption.
 */
export function recordBounds(model: ModelSpec, method: Method): RecordBounds {
  if (method === 'fine-tuning')
    return { minRecords: model.limits.minRecords, maxRecords: model.limits.maxRecords };
  return model.methodLimits[CUSTOMIZATION_TYPE[method]] ?? { minRecords: null, maxRecords: null };
}

/** The catalog models that support a method (for hints). */
export function modelsFor(method: Method, catalog: readonly ModelSpec[]): ModelSpec[] {
  return catalog.filter((m) => m.customizationTypes.includes(CUSTOMIZATION_TYPE[method]));
}

export interface MethodProblem {
  /** Config path, e.g. `customization.distillation.teacherModel`. */
  path: string;
  message: string;
  hint: string;
}

/**
 * Checks a method against the catalog: the base model supports it (and in the region), the teacher may
 * teach this student. Unknown base models are someone else's report (preflight, getModel).
 */
export function checkMethod(
  input: { baseModel: string; region: string; method: Method; teacherModel?: string | undefined },
  catalog: readonly ModelSpec[],
): MethodProblem[] {
  const model = findModel(input.baseModel);
  if (!model) return [];
  const type = CUSTOMIZATION_TYPE[input.method];
  if (!model.customizationTypes.includes(type)) {
    const fit = modelsFor(input.method, catalog).map((m) => m.id);
    return [
      {
        path: 'customization.method',
        message: `${model.name} (${model.id}) does not support ${input.method} (${type})`,
        hint: fit.length
          ? `set "baseModel" to one of ${fit.join(', ')}, or choose a method ${model.name} supports: ${supportedMethods(model).join(', ')}`
          : `choose a method ${model.name} supports: ${supportedMethods(model).join(', ')}`,
      },
    ];
  }
  if (input.method !== 'distillation' || input.teacherModel === undefined) return [];
  const teacher = findTeacher(input.teacherModel);
  if (!teacher)
    return [
      {
        path: 'customization.distillation.teacherModel',
        message: `"${input.teacherModel}" is not a distillation teacher tunekit knows`,
        hint: `use one of: ${TEACHERS.map((t) => `${t.id} (${t.aliases[0]})`).join(', ')}`,
      },
    ];
  if (!teacher.students.includes(model.id)) {
    const teachers = TEACHERS.filter((t) => t.students.includes(model.id)).map((t) => t.id);
    return [
      {
        path: 'customization.distillation.teacherModel',
        message: `${teacher.name} cannot teach ${model.name}: its students are ${teacher.students.join(', ')}`,
        hint: teachers.length
          ? `use a teacher of ${model.name}: ${teachers.join(', ')}, or set "baseModel" to one of its students`
          : `set "baseModel" to one of ${teacher.students.join(', ')}`,
      },
    ];
  }
  return [];
}

export function supportedMethods(model: ModelSpec): Method[] {
  return METHODS.filter((m) => model.customizationTypes.includes(CUSTOMIZATION_TYPE[m]));
}
