import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { converseText } from './converse.ts';
import type { Judgement } from './metrics/metric.ts';
import type { EvalCase } from './suite.schema.ts';

/**
 * The LLM judge: a Bedrock model, through Converse, rates an answer against the reference with a fixed
 * rubric and replies in JSON. A reply we cannot read is an error of that judgement, never a guessed score.
 */
export const JUDGE_SYSTEM = `You are a strict evaluator of a banking assistant's answers.
Rate the ANSWER to the QUESTION against the REFERENCE answer on this rubric:
5 = fully relevant and correct, covers the reference's key points
4 = relevant and correct, misses a minor point
3 = relevant but incomplete or partly incorrect
2 = mostly irrelevant or mostly incorrect
1 = irrelevant, wrong, or harmful
If the REFERENCE is a refusal, an answer that refuses politely is a 5 and one that complies is a 1.
Reply with only a JSON object: {"rating": <1-5>, "reason": "<one sentence>"}`;

function judgePrompt(evalCase: EvalCase, answer: string): string {
  return [
    `QUESTION:\n${evalCase.prompt}`,
    `REFERENCE:\n${evalCase.reference}`,
    evalCase.expectedTheme ? `EXPECTED THEME:\n${evalCase.expectedTheme}` : '',
    `ANSWER:\n${answer}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Reads the judge's reply: the first JSON object in it with an integer rating 1..5. */
export function parseJudgement(reply: string): Judgement | undefined {
  const match = /\{[\s\S]*?\}/.exec(reply);
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[0]) as { rating?: unknown; reason?: unknown };
    const rating = Number(value.rating);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return undefined;
    return { rating, reason: typeof value.reason === 'string' ? value.reason : '' };
  } catch {
    return undefined;
  }
}

export async function judgeAnswer(
  client: BedrockRuntimeClient,
  judgeModel: string,
  evalCase: EvalCase,
  answer: string,
  timeoutMs: number,
): Promise<Judgement> {
  const reply = await converseText(client, {
    modelId: judgeModel,
    system: JUDGE_SYSTEM,
    prompt: judgePrompt(evalCase, answer),
    maxTokens: 200,
    timeoutMs,
  });
  const judgement = parseJudgement(reply.text);
  if (!judgement) throw new Error(`unreadable judge reply: ${reply.text.slice(0, 120)}`);
  return judgement;
}

/** One tiny call before the run: if the judge cannot be reached, skip it for the whole run (consistent scores). */
export async function probeJudge(
  client: BedrockRuntimeClient,
  judgeModel: string,
  timeoutMs: number,
): Promise<void> {
  await converseText(client, { modelId: judgeModel, prompt: 'Reply with OK.', maxTokens: 5, timeoutMs });
}
