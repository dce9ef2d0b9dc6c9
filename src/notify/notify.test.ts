import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryS3 } from '../registry/memory-s3.fixture.ts';
import { renderMessage } from './message.ts';
import { notify } from './notify.ts';
import { type OutcomeInput, OutcomeSchema } from './outcome.ts';
import { memorySentLog, s3SentLog } from './sent-log.ts';

const noSns = { sns: undefined as unknown as SNSClient };
const succeeded: OutcomeInput = {
  status: 'succeeded',
  executionId: 'exec-1',
  project: 'banking-assistant',
  version: 'v1.3',
  promoted: true,
  scores: { overall: 0.84, inDomain: 0.9 },
  reportUri: 's3://bucket/reports/exec-1/report.html',
};

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function receiver(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(status).end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hooks/T000/secret`, received };
}

describe('messages', () => {
  it('summarises each terminal state in one paragraph with scores and the report link', () => {
    const ok = renderMessage(OutcomeSchema.parse(succeeded));
    expect(ok.subject).toBe('banking-assistant v1.3 promoted to production');
    expect(ok.text).toMatch(
      /v1.3 passed the evaluation gate and was promoted.*overall 0.840, inDomain 0.900.*report.html/,
    );
    const compared = renderMessage(
      OutcomeSchema.parse({
        ...succeeded,
        baselineScores: { overall: 0.61, inDomain: 0.5 },
        productionScores: { overall: 0.8 },
      }),
    );
    expect(compared.text).toContain(
      'Scores (candidate / baseline / production): overall 0.840 / 0.610 / 0.800, inDomain 0.900 / 0.500 / n/a.',
    );
    const rejected = renderMessage(
      OutcomeSchema.parse({ ...succeeded, status: 'rejected', reasons: ['in-domain +0.01 < +0.05'] }),
    );
    expect(rejected.text).toContain('rejected by the evaluation gate: in-domain +0.01 < +0.05');
    const invalid = renderMessage(
      OutcomeSchema.parse({
        status: 'validation-failed',
        executionId: 'e',
        project: 'p',
        dataUri: 's3://b/training-data/x.jsonl',
        issues: Array.from({ length: 7 }, (_, i) => ({
          file: 'x.jsonl',
          line: i + 3,
          path: 'messages[1].content',
          message: 'empty',
        })),
        issueCount: 40,
      }),
    );
    expect(invalid.text).toContain('x.jsonl:3 messages[1].content: empty');
    expect(invalid.text).toContain('...and 35 more');
    const failed = renderMessage(
      OutcomeSchema.parse({
        status: 'failed',
        executionId: 'e',
        project: 'p',
        failedState: 'StartFineTuningJob',
        cause: 'AccessDenied',
      }),
    );
    expect(failed.subject).toBe('p pipeline failed in StartFineTuningJob');
    const long = renderMessage(OutcomeSchema.parse({ ...succeeded, project: `é${'x'.repeat(200)}` }));
    expect(long.subject.length).toBeLessThanOrEqual(100);
    expect(long.subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('notify', () => {
  it('console prints the summary once per execution, even if Notify is retried', async () => {
    const printed: string[] = [];
    const options = { sentLog: memorySentLog(), write: (t: string) => void printed.push(t) };
    const first = await notify(succeeded, [{ type: 'console' }], noSns, options);
    const second = await notify(succeeded, [{ type: 'console' }], noSns, options);
    expect(first).toEqual([{ notifier: 'console', status: 'sent' }]);
    expect(second).toEqual([{ notifier: 'console', status: 'duplicate-skipped' }]);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('[OK] banking-assistant v1.3 promoted to production');
  });

  it('webhook POSTs a Slack-compatible payload with the outcome and an idempotency key', async () => {
    const { url, received } = await receiver();
    const results = await notify(
      succeeded,
      [{ type: 'webhook', url, headers: { authorization: 'Bearer t' } }],
      noSns,
      {
        sentLog: memorySentLog(),
      },
    );
    expect(results).toEqual([
      { notifier: expect.stringMatching(/^webhook http:\/\/127.0.0.1:\d+$/), status: 'sent' },
    ]);
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    expect(headers.authorization).toBe('Bearer t');
    expect(headers['idempotency-key']).toBe('exec-1/0-webhook/succeeded');
    expect(body.text).toMatch(/^banking-assistant v1.3 promoted to production\n/);
    expect(body.tunekit).toMatchObject({ status: 'succeeded', version: 'v1.3', scores: { overall: 0.84 } });
    expect((body.attachments as { fields: { title: string }[] }[])[0]?.fields.map((f) => f.title)).toContain(
      'Report',
    );
  });

  it('webhook caps the issues it carries but reports the total', async () => {
    const { url, received } = await receiver();
    const issues = Array.from({ length: 500 }, (_, i) => ({ line: i + 1, path: 'prompt', message: 'empty' }));
    await notify(
      { status: 'validation-failed', executionId: 'e2', project: 'p', dataUri: 's3://b/d.jsonl', issues },
      [{ type: 'webhook', url }],
      noSns,
      { sentLog: memorySentLog() },
    );
    const sent = received[0]?.body.tunekit as { issues: unknown[]; issueCount: number };
    expect(sent.issues).toHaveLength(50);
    expect(sent.issueCount).toBe(500);
  });

  it('a failing notifier is reported, does not stop the others, and may be retried', async () => {
    const { url, received } = await receiver(500);
    const printed: string[] = [];
    const options = { sentLog: memorySentLog(), write: (t: string) => void printed.push(t) };
    const results = await notify(succeeded, [{ type: 'webhook', url }, { type: 'console' }], noSns, options);
    expect(results[0]).toMatchObject({
      status: 'failed',
      error: 'HTTP 500 Internal Server Error: invalid_token',
    });
    expect(results[1]).toMatchObject({ status: 'sent' });
    // The failed delivery released its claim: a retry tries the webhook again but not the console.
    const retry = await notify(succeeded, [{ type: 'webhook', url }, { type: 'console' }], noSns, options);
    expect(retry.map((r) => r.status)).toEqual(['failed', 'duplicate-skipped']);
    expect(received).toHaveLength(2);
    expect(printed).toHaveLength(1);
  });

  it('an unreachable webhook fails within the timeout instead of hanging', async () => {
    const results = await notify(succeeded, [{ type: 'webhook', url: 'http://127.0.0.1:9/x' }], noSns, {
      sentLog: memorySentLog(),
      timeoutMs: 2000,
    });
    expect(results[0]?.status).toBe('failed');
    // A refused connection fails at once; the timeout is what saves us from a receiver that never answers.
    const held: ServerResponse[] = [];
    server = createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const silent = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const started = performance.now();
    const hung = await notify(succeeded, [{ type: 'webhook', url: silent }], noSns, {
      sentLog: memorySentLog(),
      timeoutMs: 300,
    });
    expect(hung[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/timeout/i) });
    expect(performance.now() - started).toBeLessThan(5000);
    for (const res of held) res.end();
  });

  it('a malformed outcome is still announced as a failure of the Notify step', async () => {
    const printed: string[] = [];
    await notify(
      { status: 'succeeded', executionId: 'e9', project: 'p' } as OutcomeInput,
      [{ type: 'console' }],
      noSns,
      {
        sentLog: memorySentLog(),
        write: (t) => void printed.push(t),
      },
    );
    expect(printed[0]).toMatch(/\[FAILED\] p pipeline failed in Notify\n.*malformed outcome: version/);
    const nothing = await notify(null as unknown as OutcomeInput, [{ type: 'console' }], noSns, {
      sentLog: memorySentLog(),
      write: (t) => void printed.push(t),
    });
    expect(nothing).toEqual([{ notifier: 'console', status: 'sent' }]);
    expect(printed[1]).toContain('[FAILED] tunekit pipeline failed in Notify');
  });
});

describe('s3SentLog', () => {
  it('lets one claim of a key win across callers, and a released key be claimed again', async () => {
    const store = memoryS3();
    const log = s3SentLog(store.client, 'b');
    const key = 'exec-1/0-webhook/succeeded';
    expect(await Promise.all([log.claim(key), log.claim(key)])).toEqual([true, false]);
    expect([...store.objects.keys()]).toEqual([`notifications/${encodeURIComponent(key)}.json`]);
    await log.release(key);
    expect(await log.claim(key)).toBe(true);
  });
});
