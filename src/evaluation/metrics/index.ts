import { exactMatchMetric } from './exact-match.ts';
import { jsonSchemaMetric } from './json-schema.ts';
import { jsonValidMetric } from './json-valid.ts';
import { lengthMetric } from './length.ts';
import { llmJudgeMetric } from './llm-judge.ts';
import type { MetricRegistry } from './metric.ts';
import { noPiiMetric } from './no-pii.ts';
import { refusalMetric } from './refusal.ts';
import { regexMetric } from './regex.ts';
import { requiredPhrasesMetric } from './required-phrases.ts';
import { rougeLMetric } from './rouge-l.ts';
import { themeCoverageMetric } from './theme-coverage.ts';
import { tokenF1Metric } from './token-f1.ts';

/** Every metric tunekit scores answers with, by kebab-case key. Add one: a file here and a line below. */
export const METRICS = {
  'token-f1': tokenF1Metric,
  'rouge-l': rougeLMetric,
  'exact-match': exactMatchMetric,
  'theme-coverage': themeCoverageMetric,
  'llm-judge': llmJudgeMetric,
  'required-phrases': requiredPhrasesMetric,
  regex: regexMetric,
  length: lengthMetric,
  'json-valid': jsonValidMetric,
  'json-schema': jsonSchemaMetric,
  refusal: refusalMetric,
  'no-pii': noPiiMetric,
} satisfies MetricRegistry;

export type MetricKey = keyof typeof METRICS;
export { DIMENSIONS, type Dimension, type Judgement, type Metric, type MetricInput } from './metric.ts';
