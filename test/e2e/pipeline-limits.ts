import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { HistoryEvent } from '../../src/local/stepfunctions/index.ts';
import { PAYLOAD_LIMIT_BYTES } from '../../src/local/stepfunctions/payload-limits.ts';
import { registryContext } from '../../src/pipeline/tasks/registry-context.ts';
import { promote } from '../../src/registry/index.ts';
import { tempDir } from './helpers/cli.ts';
import { leftovers, nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/**
 * The pipeline at a suite size where keeping answers in the execution state would break Step Functions'
 * 256 KiB limit: `cases` training records with long answers (~1.6 KB each), a suite asking each of them,
 * and two runs, so the second is evaluated on baseline, candidate and production. Under the enforced
 * limit both must succeed with every state's input and output under 256 KiB.
 */

const TOPICS = ['savings', 'mortgage', 'card', 'transfer', 'loan', 'account', 'fraud', 'branch'];

/** A long, case-specific answer (the memorising engine repeats it for the case's prompt). */
function answer(i: number): string {
  const topic = TOPICS[i % TOPICS.length]!;
  const sentences = Array.from(
    { length: 14 },
    (_, s) =>
      `Step ${s + 1} for ${topic} request ${i}: review the ${topic} terms, confirm your identity, and keep reference ${i}-${s} for your records.`,
  );
  return sentences.join(' ');
}

const prompt = (i: number) => `How do I handle ${TOPICS[i % TOPICS.length]} request number ${i}?`;

function trainingJsonl(cases: number): string {
  return Array.from({ length: cases }, (_, i) =>
    JSON.stringify({
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 'You are a helpful banking customer service assistant.' }],
      messages: [
        { role: 'user', content: [{ text: prompt(i) }] },
        { role: 'assistant', content: [{ text: answer(i) }] },
      ],
    }),
  ).join('\n');
}

function suiteJson(cases: number): string {
  return JSON.stringify({
    name: 'large-suite',
    system: 'You are a helpful banking customer service assistant.',
    cases: Array.from({ length: cases }, (_, i) => ({
      id: `case-${i}`,
      // Every category the gate compares (pre-flight refuses a suite that lacks one), mostly in-domain.
      category: i % 10 === 8 ? 'out-of-domain' : i % 10 === 9 ? 'safety' : 'in-domain',
      prompt: prompt(i),
      reference: answer(i),
    })),
  });
}

const LENIENT_GATE = {
  minInDomainImprovement: -1,
  maxOutOfDomainRegression: 1,
  maxSafetyRegression: 1,
  mustBeatProduction: false,
  maxErrorRate: 1,
};

/** The largest input/output any state (or the execution) carried, in UTF-8 bytes, and where. */
export function largestPayload(events: HistoryEvent[]): { bytes: number; where: string } {
  let largest = { bytes: 0, where: 'none' };
  for (const event of events) {
    for (const [key, details] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || !details || typeof details !== 'object') continue;
      for (const field of ['input', 'output'] as const) {
        const value = (details as Record<string, unknown>)[field];
        if (typeof value !== 'string') continue;
        const bytes = Buffer.byteLength(value, 'utf8');
        const name = (details as { name?: string }).name ?? event.type;
        if (bytes > largest.bytes) largest = { bytes, where: `${event.type} ${name} ${field}` };
      }
    }
  }
  return largest;
}

export async function runLargeSuite(cases: number) {
  const { start, cleanup } = pipelineHarness();
  try {
    const dir = tempDir();
    const suite = join(dir, 'suite.json');
    writeFileSync(suite, suiteJson(cases));
    const { p, config } = await start({
      config: { evaluation: { suite, concurrency: 16, maxTokens: 400 }, gate: LENIENT_GATE },
    });
    const data = trainingJsonl(cases);
    await upload(p, config.bucket, 'training-data/train.jsonl', data);
    const first = await nextRun(p);
    expect(first.status, `${first.error} ${first.cause}`).toBe('SUCCEEDED');
    const registryCtx = registryContext({ config, clients: p.clients, configDir: '.' });
    if (JSON.parse(first.output!).outcome !== 'promoted') {
      await promote(registryCtx, 'v1.0', { force: true, reason: 'test' });
    }
    // Different bytes (one more record), so a new run: evaluated on baseline, candidate and production.
    await upload(
      p,
      config.bucket,
      'training-data/train-2.jsonl',
      `${data}\n${trainingJsonl(cases + 1)
        .split('\n')
        .at(-1)}`,
    );
    const second = await nextRun(p, 2);
    expect(second.status, `${second.error} ${second.cause}`).toBe('SUCCEEDED');
    const out = JSON.parse(second.output!);
    expect(out.dimensions.map((m: { model: string }) => m.model)).toEqual([
      'baseline',
      'candidate',
      'production',
    ]);
    expect(await leftovers(p)).toEqual([]);
    // Every answer is kept, in S3: the report holds each case for each of the three models.
    const report = await p.clients.s3.send(
      new GetObjectCommand({ Bucket: config.bucket, Key: out.reportUri.split(`${config.bucket}/`)[1] }),
    );
    const text = await report.Body!.transformToString();
    const results = (JSON.parse(text) as { results: { model: string; output?: string }[] }).results;
    expect(results).toHaveLength(cases * 3);
    return { first, second, out, reportBytes: Buffer.byteLength(text) };
  } finally {
    await cleanup();
  }
}

export const LIMIT = PAYLOAD_LIMIT_BYTES;
