import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BedrockClient,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
  StopModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { type OpsStack, runInProcess, startOpsStack } from './ops-stack.ts';

let ops: OpsStack;
let bedrock: BedrockClient;

beforeAll(async () => {
  ops = await startOpsStack({ bucket: 'tunekit-train' });
  bedrock = ops.bedrock;
});
afterAll(async () => {
  await ops?.stack.stop();
});

const train = (args: string[], env: Record<string, string> = {}) =>
  runInProcess(['train', ...args], { cwd: ops.dir, env: { ...ops.env, ...env } });
const jobCount = async () =>
  (await bedrock.send(new ListModelCustomizationJobsCommand({}))).modelCustomizationJobSummaries?.length ?? 0;
const uploads = async () =>
  (await ops.s3.send(new ListObjectsV2Command({ Bucket: 'tunekit-train', Prefix: 'manual-uploads/' })))
    .KeyCount ?? 0;

describe('tunekit train shows progress while the job trains', () => {
  it('prints step, epoch, loss and an ETA from the step metrics the local job writes as it trains', async () => {
    const slow = await startOpsStack({ bucket: 'tunekit-progress', stepDelayMs: 100 });
    try {
      const r = await runInProcess(
        ['train', SAMPLES.tutorialConversation, '--hp', 'epochCount=4', '--interval', '100'],
        { cwd: slow.dir, env: slow.env },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /InProgress\s+\S+\s+step \d+\s+epoch [1-4]\/4\s+loss \d+\.\d{4}\s+ETA \d+(ms|s)/,
      );
      expect(r.stderr).toMatch(/Completed in/);
    } finally {
      await slow.stack.stop();
    }
  });
});

describe('tunekit train against the local stack', () => {
  it('uploads, validates, trains with catalog hyperparameters plus --hp, follows the job to Completed', async () => {
    const r = await train([
      SAMPLES.tutorialConversation,
      '--hp',
      'epochCount=1',
      '--interval',
      '50',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.trainingS3Uri).toMatch(/^s3:\/\/tunekit-train\/manual-uploads\/.*train\.jsonl$/);
    expect(out.hyperParameters.epochCount).toBe('1');
    expect(out.hyperParameters.learningRate).toBeDefined(); // catalog default filled in
    expect(out.final.status).toBe('Completed');
    expect(out.final.trainingLoss).toBeGreaterThan(0);
    // The custom model carries the project tag, so `tunekit cleanup --all` and the janitor can find it.
    const { tags } = await bedrock.send(
      new ListTagsForResourceCommand({ resourceARN: out.final.outputModelArn }),
    );
    expect(tags).toContainEqual({ key: 'tunekit:project', value: 'ops' });
    const job = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: out.jobArn }));
    expect(job.tags).toContainEqual({ key: 'tunekit:project', value: 'ops' });
  });

  it('follows the job to the end while half the status polls are throttled (faults admin endpoint)', async () => {
    const admin = `${ops.stack.endpoint}/_tunekit/faults`;
    await fetch(admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ api: 'GetModelCustomizationJob', throttleRate: 0.5 }] }),
    });
    try {
      const r = await train([
        SAMPLES.tutorialConversation,
        '--hp',
        'epochCount=1',
        '--interval',
        '20',
        '--json',
      ]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).final.status).toBe('Completed');
    } finally {
      await fetch(admin, { method: 'DELETE' });
    }
  });

  it('gives each run its own job name: two trainings of the same file make two jobs', async () => {
    const before = await jobCount();
    const a = await train([SAMPLES.tutorialConversation, '--no-wait', '--json']);
    const b = await train([SAMPLES.tutorialConversation, '--no-wait', '--json']);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(JSON.parse(a.stdout).jobName).not.toBe(JSON.parse(b.stdout).jobName);
    expect(await jobCount()).toBe(before + 2);
  });

  it('rejects an out-of-range --hp before uploading or creating anything (exit 2)', async () => {
    const [jobs, files] = [await jobCount(), await uploads()];
    const r = await train([SAMPLES.tutorialConversation, '--hp', 'epochCount=9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("epochCount=9 is outside Amazon Nova Micro's range 1..5");
    const typo = await train([SAMPLES.tutorialConversation, '--hp', 'epochs=2']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/no hyperparameter "epochs"[\s\S]*epochCount/);
    expect([await jobCount(), await uploads()]).toEqual([jobs, files]);
  });

  it('refuses invalid data with the line numbers, and creates no job (exit 1)', async () => {
    const bad = join(ops.dir, 'bad.jsonl');
    writeFileSync(bad, '{"schemaVersion":"bedrock-conversation-2024","messages":[]}\nnot json\n');
    const jobs = await jobCount();
    const r = await train([bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not valid training data/);
    expect(r.stderr).toMatch(/line 2/);
    expect(await jobCount()).toBe(jobs);
  });

  it('names a missing s3 object and the fix', async () => {
    const r = await train(['s3://tunekit-train/training-data/nope.jsonl']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('s3://tunekit-train/training-data/nope.jsonl does not exist');
  });
});

describe('tunekit train when the account is at its job quota', () => {
  let busy: OpsStack;
  beforeAll(async () => {
    // Bedrock's quota: 2 concurrent jobs per account. Slow steps keep the first two running.
    busy = await startOpsStack({ bucket: 'tunekit-quota', stepDelayMs: 1000 });
  });
  afterAll(async () => {
    await busy?.stack.stop();
  });
  const run = (...flags: string[]) =>
    runInProcess(['train', SAMPLES.tutorialConversation, '--no-wait', '--json', ...flags], {
      cwd: busy.dir,
      env: busy.env,
    });
  const inProgress = async () =>
    (await busy.bedrock.send(new ListModelCustomizationJobsCommand({ statusEquals: 'InProgress' })))
      .modelCustomizationJobSummaries ?? [];

  it('a third job waits for a free slot (bounded) and starts once one of the two running jobs ends', async () => {
    expect((await run()).code).toBe(0);
    expect((await run()).code).toBe(0);
    expect(await inProgress()).toHaveLength(2);

    // Bounded: no slot frees within the wait, so it ends with the reason and the fix, having created nothing.
    const refused = await run('--interval', '50', '--slot-wait', '0.02');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/retrying in .* \(waited .* of at most 1 s\)/);
    expect(refused.stderr).toContain('no model customization job slot became free in 1 s');
    expect(refused.stderr).toContain('list-model-customization-jobs --status-equals InProgress');
    expect(await inProgress()).toHaveLength(2);

    // A slot frees while the third waits: it starts then.
    const [first] = await inProgress();
    setTimeout(() => {
      void busy.bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: first!.jobArn }));
    }, 600);
    const third = await run('--interval', '50', '--slot-wait', '1');
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/concurrent customization jobs are at Bedrock's quota; retrying in/);
    const started = JSON.parse(third.stdout);
    expect((await inProgress()).map((j) => j.jobArn)).toContain(started.jobArn);
  });
});

describe('a project whose setup is not done yet gets the fix, not an internal error', () => {
  it('train with a missing bucket names it and `tunekit setup`; run without a reachable Step Functions names the host and the fix', async () => {
    const bare = await startOpsStack({ bucket: 'tunekit-not-set-up', createBucket: false });
    try {
      const train = await runInProcess(['train', SAMPLES.tutorialConversation], {
        cwd: bare.dir,
        env: bare.env,
      });
      expect(train.code, train.stderr).toBe(1);
      expect(train.stderr).toMatch(
        /the bucket tunekit-not-set-up \("bucket" in tunekit.config.json\) does not exist/,
      );
      expect(train.stderr).toMatch(/run `tunekit setup` to create it/);
      const logs = await runInProcess(['train', '--invocation-logs', 's3://logs/AWSLogs/'], {
        cwd: bare.dir,
        env: bare.env,
      });
      expect(logs.code, logs.stderr).toBe(1);
      expect(logs.stderr).toMatch(/the bucket tunekit-not-set-up .* does not exist/);
      // Step Functions at a host that never resolves (.invalid, RFC 2606), whatever this machine's network.
      const run = await runInProcess(['run', SAMPLES.tutorialConversation], {
        cwd: bare.dir,
        env: { ...bare.env, AWS_ENDPOINT_URL_SFN: 'http://states.invalid' },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/cannot reach states\.invalid \((ENOTFOUND|EAI_AGAIN)\)/);
      expect(run.stderr).toMatch(/points AWS_ENDPOINT_URL_\* at an endpoint for some services only/);
      expect(`${train.stderr}${logs.stderr}${run.stderr}`).not.toMatch(/internal error/);
    } finally {
      await bare.stack.stop();
    }
  });
});
