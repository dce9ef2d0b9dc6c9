/**
 * Token estimates. Bedrock's data-preparation guidance says to assume about 6 characters per token
 * (bedrock-facts.md §2); tunekit uses that everywhere (stats, estimate, limits) so figures agree.
 * The real count depends on the model's tokenizer, which Bedrock does not publish.
 */
export const CHARS_PER_TOKEN = 6;
export const TOKEN_ESTIMATE_METHOD =
  'ceil(characters / 6) per record (Bedrock guidance: ~6 characters per token)';

export function estimateTokens(text: string | number): number {
  const chars = typeof text === 'number' ? text : text.length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
