import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { StepMetric, TrainingEngine } from '../../../src/local/engine/engine.port.ts';
import type { ObjectStore } from '../../../src/local/s3/object-store.port.ts';
import type { S3ServiceLike } from '../../../src/local/stack.ts';

/**
 * Test doubles for the local stack's parts that other engineers own (S3, engine), so the Bedrock emulation
 * can be tested on its own. Tests only: the product always uses the real S3 service and engine.
 */
export function memoryS3(): S3ServiceLike & { objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  const buckets = new Set<string>();
  const store: ObjectStore = {
    bucketExists: async (b) => buckets.has(b),
    getObject: async (b, k) => objects.get(`${b}/${k}`),
    createReadStream: async (b, k) => {
      const body = objects.get(`${b}/${k}`);
      return body ? Readable.from(body) : undefined;
    },
    putObject: async (b, k, body) => {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      objects.set(`${b}/${k}`, buf);
      return { etag: createHash('md5').update(buf).digest('hex') };
    },
    listKeys: async (b, prefix) =>
      [...objects.keys()].filter((k) => k.startsWith(`${b}/${prefix}`)).map((k) => k.slice(b.length + 1)),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const [bucket, ...rest] = decodeURIComponent((req.url ?? '/').split('?')[0]!)
      .slice(1)
      .split('/');
    const key = rest.join('/');
    if (req.method === 'PUT' && !key) {
      buckets.add(bucket!);
      res.writeHead(200).end();
    } else if (req.method === 'PUT') {
      const { etag } = await store.putObject(bucket!, key, Buffer.concat(chunks));
      res.writeHead(200, { etag: `"${etag}"` }).end();
    } else if (req.method === 'GET' && objects.has(`${bucket}/${key}`)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(objects.get(`${bucket}/${key}`));
    } else
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
  };
  return {
    handle,
    store,
    objects,
    onObjectCreated: () => () => {},
    close: async () => {},
    createBucket: (b: string) => buckets.add(b),
  } as S3ServiceLike & { objects: Map<string, Buffer> };
}

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
