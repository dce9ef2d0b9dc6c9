import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateModelCustomizationJobCommand, GetModelCustomizationJobCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startBenchStack } from '../bench-stack.ts';
import { syntheticSet } from './synthetic-data.ts';

/**
 * Trains synthetic sets of several sizes to Completed through the local Bedrock job path (S3 upload,
 * CreateModelCustomizationJob with the Nova Micro defaults, polled like a client: validation, parsing,
 * training in the worker thread, metric files, the model file), one after another on one stack, and
 * answers held-out paraphrases with the trained model.
 */
export interface ScaleRow {
  records: number;
  distinctAnswers: number;
  /** CreateModelCustomizationJob -> Completed, wall clock. */
  wallSeconds: number;
  /** CPU the process (API thread + training worker) used meanwhile: what a quiet machine would need. */
  cpuSeconds: number;
  steps: number;
  finalLoss: number;
  /** Share of held-out paraphrases answered with exactly the right answer. */
  heldOutAccuracy: number;
  generationMsPerReply: number;
}

export async function benchScale(sizes: number[], seed = 1): Promise<ScaleRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tunekit-bench-scale-'));
  const { stack, bedrock, s3 } = await startBenchStack(dataDir);
  const rows: ScaleRow[] = [];
  try {
    for (const records of sizes) {
      const set = syntheticSet(records, seed);
      const key = `train-${records}.jsonl`;
      await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: key, Body: set.jsonl }));
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const { jobArn } = await bedrock.send(
        new CreateModelCustomizationJobCommand({
          jobName: `bench-${records}`,
          customModelName: `bench-${records}`,
          roleArn: 'arn:aws:iam::000000000000:role/bench',
          baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
          trainingDataConfig: { s3Uri: `s3://bench/${key}` },
          outputDataConfig: { s3Uri: 's3://bench/out/' },
        }),
      );
      let job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      while (job.status === 'InProgress') {
        await new Promise((r) => setTimeout(r, 100));
        job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      }
      const wallSeconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      if (job.status !== 'Completed')
        throw new Error(`${records} records: job ${job.status}: ${job.failureMessage}`);
      const ctx = stack.bedrock.context;
      const stats = ctx.state.jobs.find((j) => j.jobArn === jobArn)?.trainingStats;
      const artifact = ctx.state.loadArtifact(
        ctx.state.models.find((m) => m.modelArn === job.outputModelArn)!.id,
      );
      let right = 0;
      const g0 = performance.now();
      for (const h of set.heldOut) {
        const reply = ctx.engine.generate({
          artifact,
          family: 'nova',
          messages: [{ role: 'user', text: h.prompt }],
          maxTokens: 1000,
          temperature: 0,
          topP: 1,
          stopSequences: [],
        });
        if (reply.text === h.answer) right++;
      }
      rows.push({
        records,
        distinctAnswers: set.distinctAnswers,
        wallSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        steps: stats?.steps ?? 0,
        finalLoss: job.trainingMetrics?.trainingLoss ?? Number.NaN,
        heldOutAccuracy: right / set.heldOut.length,
        generationMsPerReply: (performance.now() - g0) / set.heldOut.length,
      });
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
