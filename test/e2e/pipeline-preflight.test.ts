import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetModelCustomizationJobCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { afterEach, describe, expect, it } from 'vitest';
import { renderRun } from '../../src/cli/commands/runs.ts';
import { runWarnings } from '../../src/pipeline/run-validation.ts';
import { buildRunView, causeMessage } from '../../src/pipeline/run-view.ts';
import { SAMPLES } from '../../src/samples.ts';
import { travelData } from './helpers/travel-data.ts';
import { nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/**
 * Pre-flight (src/pipeline/preflight.ts, run by ValidateTrainingData): what would fail after training is
 * checked before the first paid step, so a broken setup never starts a customization job. And what the
 * pipeline does start carries the project's tags.
 */

const { start, cleanup } = pipelineHarness();
afterEach(cleanup);

const jobs = async (p: Awaited<ReturnType<typeof start>>['p']) =>
  (await p.clients.bedrock.send(new ListModelCustomizationJobsCommand({}))).modelCustomizationJobSummaries ??
  [];

describe('pipeline pre-flight and tags', () => {
  it('tags the job and the custom model it makes with tunekit:project', async () => {
    const { p, config } = await start({});
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const [summary] = await jobs(p);
    const job = await p.clients.bedrock.send(
      new GetModelCustomizationJobCommand({ jobIdentifier: summary!.jobArn }),
    );
    const tagsOf = async (arn: string) =>
      (await p.clients.bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }))).tags;
    const project = { key: 'tunekit:project', value: config.project };
    expect(await tagsOf(job.jobArn!)).toContainEqual(project);
    expect(await tagsOf(job.outputModelArn!)).toContainEqual(project);
  });

  it('warns at pre-flight when the suite shares almost nothing with the data, and runs show keeps the warning', async () => {
    const { p, config, lines } = await start({}); // the banking suite, with a travel assistant's data
    await upload(p, config.bucket, 'training-data/train.jsonl', travelData(40));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED'); // a warning, not a stop
    expect(lines.join('\n')).toMatch(
      /pre-flight warning: suite "[^"]+" shares little with the training data/,
    );
    const shown = renderRun(
      { name: run.name, status: run.status, startDate: new Date(run.startDate), $metadata: {} } as never,
      buildRunView(run.events as never),
      new Date(),
      undefined,
      runWarnings(run.events as never),
    );
    expect(shown).toMatch(
      /pre-flight warning: suite "[^"]+" shares little with the training data: only \d+%/,
    );
    // The banking data itself matches the banking suite: no warning.
    const again = await start({});
    await upload(
      again.p,
      again.config.bucket,
      'training-data/train.jsonl',
      readFileSync(SAMPLES.bankingTrain),
    );
    expect(runWarnings((await nextRun(again.p)).events as never)).toEqual([]);
  });

  it('without the evaluation suite the run fails at pre-flight, says how to fix it, and trains nothing', async () => {
    const { p, config, lines } = await start({ config: { evaluation: { suite: 'eval/suite.json' } } });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('PIPELINE.PREFLIGHT_FAILED');
    const cause = causeMessage(run.cause ?? '');
    expect(cause).toMatch(
      /pre-flight failed, nothing was trained: suite: evaluation suite not found: .*suite\.json/,
    );
    expect(cause).toContain('tunekit init');
    // The notification says it too (`tunekit runs show` prints the same cause).
    expect(lines.join('\n')).toMatch(
      /failed in state ValidateTrainingData: .*evaluation suite not found.*tunekit init/,
    );
    expect(await jobs(p)).toEqual([]);
  });

  it('a hyperparameter outside the catalog range fails pre-flight with the range, before any job', async () => {
    const { p, config } = await start({ config: { hyperparameters: { epochCount: 9 } } });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('PIPELINE.PREFLIGHT_FAILED');
    expect(causeMessage(run.cause ?? '')).toMatch(
      /hyperparameters: .*epochCount=9 is outside .* range 1\.\.5/,
    );
    expect(await jobs(p)).toEqual([]);
  });

  it('a suite without safety cases fails pre-flight: the gate could never pass', async () => {
    const suite = JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8'));
    suite.cases = suite.cases.filter((c: { category: string }) => c.category !== 'safety');
    const { p, config, dataDir } = await start({ config: { evaluation: { suite: 'no-safety.json' } } });
    writeFileSync(join(dataDir, 'no-safety.json'), JSON.stringify(suite));
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(causeMessage(run.cause ?? '')).toMatch(/no-safety\.json: no safety case\(s\)/);
    expect(await jobs(p)).toEqual([]);
  });
});
