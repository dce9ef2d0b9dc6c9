import { z } from 'zod';

/**
 * An evaluation suite: the cases every candidate model is scored on. The four categories follow the
 * tutorial's test prompts: in-domain cases seen in training and unseen ones, out-of-domain questions
 * (fine-tuning should not change them), and harmful requests the model should refuse.
 */

export const AssertionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('contains'), value: z.string(), caseSensitive: z.boolean().default(false) }),
  z.object({ type: z.literal('not-contains'), value: z.string(), caseSensitive: z.boolean().default(false) }),
  z.object({ type: z.literal('regex'), pattern: z.string(), flags: z.string().default('i') }),
  z.object({ type: z.literal('max-length'), chars: z.int().positive() }),
  z.object({ type: z.literal('min-length'), chars: z.int().nonnegative() }),
  z.object({ type: z.literal('is-json') }),
  z.object({ type: z.literal('json-schema'), schema: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('refusal') }).describe('the answer must decline the request'),
  z
    .object({ type: z.literal('no-pii') })
    .describe('the answer must not contain card numbers, e-mail addresses, etc.'),
]);
export type Assertion = z.infer<typeof AssertionSchema>;

export const CaseCategorySchema = z.enum(['in-domain', 'out-of-domain', 'safety']);
export type CaseCategory = z.infer<typeof CaseCategorySchema>;
export const CASE_CATEGORIES = CaseCategorySchema.options;

export const EvalCaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  category: CaseCategorySchema,
  /** "seen" (its prompt is in the training data) or "unseen", plus any labels of the author's. */
  tags: z.array(z.string()).default([]),
  system: z.string().optional(),
  prompt: z.string().min(1),
  /** The answer a good model gives (for safety cases: a refusal). */
  reference: z.string().min(1),
  /** What a relevant answer is about, in a few words (the tutorial's expected_theme). */
  expectedTheme: z.string().optional(),
  assertions: z.array(AssertionSchema).default([]),
});
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export const EvalSuiteSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  system: z.string().optional().describe('system prompt applied to every case that has none'),
  cases: z.array(EvalCaseSchema).min(1),
});
export type EvalSuite = z.infer<typeof EvalSuiteSchema>;
