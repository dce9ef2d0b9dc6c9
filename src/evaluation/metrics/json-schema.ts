import { Ajv, type ValidateFunction } from 'ajv';
import { parseJsonAnswer, scoreAssertions } from './assertion-score.ts';
import type { Metric } from './metric.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Compiles (and caches) a JSON Schema; throws ajv's error for an invalid schema (loadSuite reports it). */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

export const jsonSchemaMetric = {
  dimension: 'format',
  description: 'The answer is JSON that validates against the JSON Schema of the assertion',
  evaluate: ({ evalCase, answer }) =>
    scoreAssertions(evalCase.assertions, ['json-schema'], (a) => {
      const parsed = parseJsonAnswer(answer);
      if (!parsed) return 'not valid JSON';
      const validate = compileSchema(a.schema);
      if (validate(parsed.value)) return undefined;
      return `schema: ${ajv.errorsText(validate.errors, { dataVar: 'answer' })}`;
    }),
} satisfies Metric;
