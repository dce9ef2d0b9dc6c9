import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/**
 * `tunekit runs` and `tunekit run` as a user runs them: a child process talking to the local stack's
 * Step Functions API through AWS_ENDPOINT_URL_SFN (what `tunekit local env` prints).
 */
const { start, cleanup } = pipelineHarness();
let env: NodeJS.ProcessEnv;
let runName: string;
const cwd = tempDir();

beforeAll(async () => {
  const { p, config } = await start({});
  env = { ...p.stack.env, AWS_ENDPOINT_URL_SFN: p.stack.endpoint };
  await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
  runName = (await nextRun(p)).name;
}, 120_000);
afterAll(cleanup);

describe('tunekit runs / run', () => {
  it('shows a run with its states, Map progress and outcome', async () => {
    const show = await runCli(['runs', 'show', runName], { cwd, env });
    expect(show.code, show.stderr).toBe(0);
    for (const state of [
      'ValidateTrainingData',
      'StartFineTuningJob',
      'Evaluate',
      'RegisterModel',
      'Teardown',
      'NotifyResult',
    ]) {
      expect(show.stdout).toContain(`✓ ${state}`);
    }
    expect(show.stdout).toMatch(/32\/32 cases/);
    expect(show.stdout).toMatch(/Outcome: (promoted|registered|rejected)\s+version v1\.0/);
  });
});
