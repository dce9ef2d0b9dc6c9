import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { oneFinishedRun } from './pipeline-doubles.ts';

/**
 * `tunekit runs` and `tunekit run` as a user runs them: a child process talking to the local stack's
 * Step Functions API through AWS_ENDPOINT_URL_SFN (what `tunekit local env` prints).
 */
const fixture = oneFinishedRun();
const { cwd } = fixture;

describe('tunekit runs / run', () => {
  it('shows a run with its states, Map progress and outcome', async () => {
    const show = await runCli(['runs', 'show', fixture.runName], { cwd, env: fixture.env });
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
