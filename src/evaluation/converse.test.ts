import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../aws/clients.ts';
import { runEvaluation } from './runner.ts';

/**
 * A model that answers with Bedrock's wire shape but no text block (e.g. only a tool-use block, or an
 * empty content list): the local stack never does this, so a tiny HTTP double speaks Converse here.
 */
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const malformed = decodeURIComponent(req.url ?? '').includes('malformed');
      const body = malformed
        ? {
            output: { message: { role: 'assistant', content: [] } },
            stopReason: 'malformed_model_output',
            usage: { inputTokens: 3, outputTokens: 0, totalTokens: 3 },
            metrics: { latencyMs: 1 },
          }
        : {
            output: { message: { role: 'assistant', content: [{ text: 'Paris.' }] } },
            stopReason: 'end_turn',
            usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
            metrics: { latencyMs: 1 },
          };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a malformed answer', () => {
  it('is an errored case with the reason; the other model is scored', async () => {
    const clients = createAwsClients({
      maxAttempts: 1,
      retryMode: 'standard',
      endpoints: { bedrockRuntime: endpoint },
    });
    const run = await runEvaluation({
      suite: {
        name: 's',
        cases: [
          {
            id: 'q',
            category: 'out-of-domain',
            tags: [],
            prompt: 'Capital of France?',
            reference: 'Paris.',
            assertions: [],
          },
        ],
      },
      models: [
        { label: 'good', modelId: 'good-model' },
        { label: 'bad', modelId: 'malformed-model' },
      ],
      clients,
      concurrency: 2,
      maxTokens: 10,
    });
    clients.bedrockRuntime.destroy();
    const bad = run.results.find((r) => r.model === 'bad')!;
    expect(bad).toMatchObject({ status: 'error', attempts: 1, error: { code: 'EVAL.MALFORMED_ANSWER' } });
    expect(bad.error?.message).toContain('malformed_model_output');
    const good = run.results.find((r) => r.model === 'good')!;
    expect(good.status).toBe('ok');
    expect(good.metrics.find((m) => m.metric === 'exact-match')?.score).toBe(1);
  });
});
