import type { Method } from '../models/methods.ts';
import type { ModelSpec } from '../models/schema.ts';
import { emptyText } from './rules/empty-text.ts';
import { RECORD_RULES } from './rules/index.ts';
import { pii } from './rules/pii.ts';
import { distillationRoleOrder, reinforcementRoleOrder } from './rules/prompt-role-order.ts';
import { recordLength } from './rules/record-length.ts';
import { reservedStrings } from './rules/reserved-strings.ts';
import type { RecordRule } from './rules/types.ts';
import type { DatasetFormat } from './schema.ts';

/**
 * What a customization method asks of the data: the record format and the rules. Fine-tuning: the
 * model's own format (catalog). Distillation: prompts in bedrock-conversation-2024 for every student
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-1.html).
 * Reinforcement: OpenAI chat completions with reference_answer
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/rft-prepare-data.html: "We only support the OpenAI
 * chat completion format").
 */
export function formatFor(model: ModelSpec, method: Method): DatasetFormat {
  if (method === 'distillation') return 'bedrock-conversation-2024';
  if (method === 'reinforcement') return 'openai-chat';
  return model.format;
}

const DISTILLATION_RULES: readonly RecordRule[] = [
  distillationRoleOrder,
  emptyText,
  reservedStrings,
  recordLength,
  pii,
];
const REINFORCEMENT_RULES: readonly RecordRule[] = [
  reinforcementRoleOrder,
  emptyText,
  reservedStrings,
  recordLength,
  pii,
];

export function rulesFor(method: Method): readonly RecordRule[] {
  if (method === 'distillation') return DISTILLATION_RULES;
  if (method === 'reinforcement') return REINFORCEMENT_RULES;
  return RECORD_RULES;
}
