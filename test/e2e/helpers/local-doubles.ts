import type { StepMetric, TrainingEngine } from '../../../src/local/engine/engine.port.ts';

/**
 * A test double for the training engine, so the Bedrock emulation's tests are fast and their answers
 * predictable. Tests only: the product always uses the real engine (src/local/engine).
 */
const BASE_ANSWER = 'I am a general assistant; please contact your bank for details.';
const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/**
 * A trivial engine: "training" memorises prompt -> answer pairs with a loss that falls per step;
 * generation answers a remembered prompt with its answer and anything else like the base model.
 */
export function memorisingEngine(options: { stepDelayMs?: number } = {}): TrainingEngine {
  return {
    async train(input, onStep, signal) {
      const pairs: Record<string, string> = { ...((input.base?.pairs as Record<string, string>) ?? {}) };
      const epochs = Number(input.hyperparameters.epochCount ?? 2);
      const steps: StepMetric[] = [];
      let step = 0;
      for (let epoch = 1; epoch <= epochs; epoch++) {
        for (const c of input.training) {
          if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
          const user = c.turns.find((t) => t.role === 'user')?.text ?? '';
          pairs[words(user).join(' ')] = c.turns.find((t) => t.role === 'assistant')?.text ?? '';
          const loss = 2 / (1 + step);
          const metric = { step, epoch, loss, perplexity: Math.exp(loss) };
          steps.push(metric);
          onStep?.(metric);
          step++;
          if (options.stepDelayMs) await new Promise((r) => setTimeout(r, options.stepDelayMs));
        }
      }
      const validationSteps = input.validation.length
        ? [{ step: 0, epoch: epochs, loss: 0.5, perplexity: Math.exp(0.5) }]
        : [];
      return {
        artifact: { format: 'tunekit-local-model', version: 1, family: input.family, pairs },
        trainingSteps: steps,
        validationSteps,
        finalTrainingLoss: steps.at(-1)?.loss ?? 0,
        finalValidationLoss: input.validation.length ? 0.5 : undefined,
        trainedTokens: steps.length * 10,
        tokensPerSecond: 1000,
      };
    },
    generate(input) {
      const last = input.messages.at(-1)?.text ?? '';
      const pairs = (input.artifact?.pairs as Record<string, string> | undefined) ?? {};
      let text = pairs[words(last).join(' ')] ?? BASE_ANSWER;
      const tokens = words(text);
      let stopReason: 'end_turn' | 'max_tokens' = 'end_turn';
      if (tokens.length > input.maxTokens) {
        text = tokens.slice(0, input.maxTokens).join(' ');
        stopReason = 'max_tokens';
      }
      return {
        text,
        inputTokens: words(last).length,
        outputTokens: Math.min(tokens.length, input.maxTokens),
        stopReason,
      };
    },
    countTokens: (text) => words(text).length,
  };
}
