import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { TunekitError } from '../errors.ts';
import { onDemandModelId } from '../models/inference-profile.ts';

export interface ConverseRequest {
  modelId: string;
  system?: string;
  prompt: string;
  maxTokens: number;
  timeoutMs: number;
}

export interface ConverseAnswer {
  text: string;
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
}

/**
 * One single-turn Converse call at temperature 0 (so runs are comparable). An answer without a text
 * block is a malformed answer: an error of the case, not of the run.
 */
export async function converseText(
  client: BedrockRuntimeClient,
  request: ConverseRequest,
): Promise<ConverseAnswer> {
  // Every on-demand call (baseline, judge, `eval run --model`) goes through here: a base model that Bedrock
  // serves only through an inference profile in this Region is called by its profile id.
  const modelId = onDemandModelId(request.modelId, await client.config.region());
  const response = await client.send(
    new ConverseCommand({
      modelId,
      ...(request.system ? { system: [{ text: request.system }] } : {}),
      messages: [{ role: 'user', content: [{ text: request.prompt }] }],
      inferenceConfig: { maxTokens: request.maxTokens, temperature: 0 },
    }),
    { abortSignal: AbortSignal.timeout(request.timeoutMs) },
  );
  const blocks = response.output?.message?.content ?? [];
  const texts = blocks.map((b) => b.text).filter((t): t is string => typeof t === 'string');
  if (texts.length === 0) {
    throw new TunekitError(
      'EVAL.MALFORMED_ANSWER',
      `the model returned no text (stopReason ${response.stopReason ?? 'none'})`,
    );
  }
  const usage = response.usage;
  return {
    text: texts.join(''),
    stopReason: response.stopReason,
    usage: usage ? { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } : undefined,
  };
}
