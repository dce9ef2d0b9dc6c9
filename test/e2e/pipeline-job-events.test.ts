import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/** Bedrock "Model Customization Job State Change" events, routed to the configured notifiers on request. */

const { start, cleanup } = pipelineHarness();
let receiver: Server | undefined;
afterEach(async () => {
  await cleanup();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

async function webhookReceiver(): Promise<{ url: string; bodies: { tunekit: Record<string, unknown> }[] }> {
  const bodies: { tunekit: Record<string, unknown> }[] = [];
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, bodies };
}

const jobEvents = (bodies: { tunekit: Record<string, unknown> }[]) =>
  bodies.map((b) => b.tunekit).filter((t) => t.status === 'job-state-changed');

describe('job state change notifications', () => {
  it('sends the job reaching Completed to the webhook when notifyJobStateChanges is on', async () => {
    const hook = await webhookReceiver();
    const { p, config } = await start({
      config: { notifyJobStateChanges: true, notify: [{ type: 'webhook', url: hook.url }] },
      jobEvents: true,
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('SUCCEEDED');
    await expect.poll(() => jobEvents(hook.bodies).length, { timeout: 5000 }).toBe(1);
    expect(jobEvents(hook.bodies)[0]).toMatchObject({
      jobStatus: 'Completed',
      jobName: expect.stringMatching(/^banking-assistant-job-[0-9a-f]{12}$/),
      executionId: expect.stringMatching(/:model-customization-job\//),
    });
  });

  it('sends none when the switch is off (the default): only the run outcome is notified', async () => {
    const hook = await webhookReceiver();
    const { p, config } = await start({
      config: { notify: [{ type: 'webhook', url: hook.url }] },
      jobEvents: true,
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    await nextRun(p);
    await expect.poll(() => hook.bodies.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    expect(jobEvents(hook.bodies)).toEqual([]);
  });
});
