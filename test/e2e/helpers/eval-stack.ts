import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients } from '../../../src/aws/clients.ts';
import type { GenerateInput, GenerateOutput, TrainingEngine } from '../../../src/local/engine/engine.port.ts';
import type { FaultConfigInput } from '../../../src/local/faults/fault-config.ts';
import { type LocalStack, startLocalStack } from '../../../src/local/stack.ts';

/**
 * For tests and the bench (test support, not product code): the real local stack (HTTP server, Bedrock Runtime routes, wire format, fault
 * injection) with a scripted engine, so answers are known in advance and cost no CPU. `answer` decides
 * what each model family says; the stack still resolves model ids, validates bodies and throttles.
 */
export type ScriptedAnswer = (input: GenerateInput) => string;

export function scriptedEngine(answer: ScriptedAnswer): TrainingEngine {
  const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;
  return {
    train: () => Promise.reject(new Error('the scripted engine does not train')),
    generate(input): GenerateOutput {
      const text = answer(input);
      const prompt = input.messages.map((m) => m.text).join(' ');
      return {
        text,
        inputTokens: countTokens(prompt),
        outputTokens: countTokens(text),
        stopReason: 'end_turn',
      };
    },
    countTokens,
  };
}

export interface EvalStack {
  stack: LocalStack;
  clients: ReturnType<typeof createAwsClients>;
  stop(): Promise<void>;
}

export async function startEvalStack(options: {
  answer: ScriptedAnswer;
  faults?: FaultConfigInput;
}): Promise<EvalStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tunekit-eval-stack-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    faults: options.faults,
    stateFile: false,
    log: () => {},
    overrides: { engine: scriptedEngine(options.answer) },
  });
  const clients = createAwsClients({
    credentials: stack.credentials,
    region: 'us-east-1',
    maxAttempts: 1,
    retryMode: 'standard',
    endpoints: { bedrockRuntime: stack.endpoint },
  });
  return {
    stack,
    clients,
    async stop() {
      clients.bedrockRuntime.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
