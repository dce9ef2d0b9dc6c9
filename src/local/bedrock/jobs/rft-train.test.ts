import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../samples.ts';
import { createLocalEngine } from '../../engine/index.ts';
import { grade, resolveGrader } from './grader-runtime.ts';
import { parseRftRecords, RftDataError } from './rft-records.ts';
import { rftMetricsCsv, trainRft } from './rft-train.ts';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const records = () => parseRftRecords(readFileSync(SAMPLES.reinforcementTrain));
const signal = new AbortController().signal;

function gradersDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-graders-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

describe('reinforcement fine-tuning on the local engine', () => {
  it('samples answers, has the grader score them, and the reward rises as the model trains', async () => {
    const grader = resolveGrader(ARN('grader'), join(SAMPLES.reinforcementTrain, '..'));
    const seen: number[] = [];
    const out = await trainRft(
      createLocalEngine(),
      {
        family: 'nova-2',
        records: records(),
        validation: records().filter((_, i) => i % 10 === 0),
        grader,
        hyperParameters: { epochCount: 3, trainingSamplePerPrompt: 4 },
        seed: 7,
      },
      (metric) => seen.push(metric.step),
      signal,
    );
    const epochMean = (e: number) => {
      const rows = out.steps.filter((s) => s.epoch === e);
      return rows.reduce((a, s) => a + s.rewardMean, 0) / rows.length;
    };
    expect(out.steps).toHaveLength(21); // 100 prompts in batches of 16: 7 steps per epoch
    expect(seen).toEqual(out.steps.map((s) => s.step));
    expect(epochMean(3)).toBeGreaterThan(epochMean(1) + 0.1);
    const csv = rftMetricsCsv(out.steps);
    expect(csv.split('\n')[0]).toBe(
      'step_number,epoch_number,training_loss,perplexity,reward_mean,reward_min,reward_max',
    );
    expect(csv.trim().split('\n')).toHaveLength(22);
    // Validation: greedy answers scored before training, every evalInterval (local default 5) steps and at the end.
    expect(out.validation.map((v) => v.step)).toEqual([0, 5, 10, 15, 20, 21]);
    expect(out.validation.at(-1)!.rewardMean).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('fails with a message naming the grader and the fix when it throws, returns a bad shape, or is missing', async () => {
    const dir = gradersDir({
      'throws.mjs': 'export async function handler() { throw new Error("reference_answer is undefined"); }',
      'bad-shape.mjs':
        'export async function handler(event) { return event.map((s) => ({ id: s.id, score: 1 })); }',
      'not-array.mjs': 'export const handler = async () => ({ aggregate_reward_score: 1 });',
    });
    const run = (name: string) =>
      trainRft(
        createLocalEngine(),
        {
          family: 'nova-2',
          records: records().slice(0, 4),
          grader: resolveGrader(ARN(name), dir),
          hyperParameters: {},
          seed: 1,
        },
        () => {},
        signal,
      );
    await expect(run('throws')).rejects.toThrow(
      /The grader "throws" \(.*throws\.mjs\) threw: reference_answer is undefined\. Run its test/,
    );
    await expect(run('bad-shape')).rejects.toThrow(
      /\[0\]\.aggregate_reward_score is undefined, not a finite number\. A grader returns one \{ id, aggregate_reward_score/,
    );
    await expect(run('not-array')).rejects.toThrow(/returned a bad response: expected an array, got object/);
    await expect(run('missing')).rejects.toThrow(
      /The grader function "missing" .* was not found: the local stack runs graders from .*missing\.mjs.*tunekit init --method reinforcement/,
    );
  });

  it('gives up on a grader that does not answer in time, naming it', async () => {
    const ref = resolveGrader(ARN('slow'), gradersDir({}));
    const never = () => new Promise(() => {});
    await expect(grade(ref, never, [{ id: 'a', messages: [], metadata: {} }], 50)).rejects.toThrow(
      /The grader "slow" \(slow\) did not return within 0 s \(a Lambda grader's limit is 15 minutes\)/,
    );
  });

  it('reads RFT records and refuses a record without reference_answer with its line', () => {
    const [first] = records();
    expect(first!.messages.at(-1)!.role).toBe('user');
    expect(first!.metadata).toEqual({ reference_answer: { answer: 'dispute a charge' } });
    const bad = Buffer.from(
      '{"messages":[{"role":"user","content":"hi"}],"reference_answer":{}}\n{"messages":[{"role":"user","content":"hi"}]}\n',
    );
    expect(() => parseRftRecords(bad)).toThrow(RftDataError);
    expect(() => parseRftRecords(bad)).toThrow(/^line 2 reference_answer: required/);
  });
});
