import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { oneFinishedRun } from './pipeline-doubles.ts';

/**
 * `tunekit runs` and `tunekit run` as a user runs them: a child process talking to the local stack's
 * Step Functions API through AWS_ENDPOINT_URL_SFN (what `tunekit local env` prints).
 */
const fixture = oneFinishedRun();
const { cwd } = fixture;

describe('tunekit runs / run (slow: several CLI processes)', () => {
  it('lists runs and shows one as JSON', async () => {
    const list = await runCli(['runs', 'list'], { cwd, env: fixture.env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(fixture.runName);
    expect(list.stdout).toMatch(/SUCCEEDED/);
    // The text of `runs show` is checked in pipeline-cli.test.ts; here its JSON.
    const json = JSON.parse(
      (await runCli(['runs', 'show', fixture.runName, '--json'], { cwd, env: fixture.env })).stdout,
    );
    expect(json.execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(json.execution.output).version).toBe('v1.0');
  });

  it('names a missing run and rejects a bad flag', async () => {
    const missing = await runCli(['runs', 'show', 'no-such-run'], { cwd, env: fixture.env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no run no-such-run/);
    expect(missing.stderr).toMatch(/tunekit runs list/);
    const bad = await runCli(['runs', 'list', '--limit', '0'], { cwd, env: fixture.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit must be a positive integer/);
  });

  it('starts nothing by hand on data already trained unless --force, and on a missing object says so', async () => {
    // The fixture's upload trained train.jsonl: the same bytes with the same settings are that run.
    const same = await runCli(['run', 's3://tunekit-local/training-data/train.jsonl', '--json'], {
      cwd,
      env: fixture.env,
    });
    expect(same.code, same.stderr).toBe(0);
    const skipped = JSON.parse(same.stdout);
    expect(skipped).toMatchObject({ started: false, executionArn: null, name: fixture.runName });
    expect(skipped.reason).toMatch(/identical data already trained in run data-[0-9a-f]{16}/);
    const started = await runCli(
      ['run', 's3://tunekit-local/training-data/train.jsonl', '--force', '--json'],
      {
        cwd,
        env: fixture.env,
      },
    );
    expect(started.code, started.stderr).toBe(0);
    const out = JSON.parse(started.stdout);
    expect(out).toMatchObject({ started: true, name: `${fixture.runName}-force-${out.name.slice(-15)}` });
    expect(out.name).toMatch(/^data-[0-9a-f]{16}-force-\d{8}T\d{6}$/);
    const missing = await runCli(['run', 's3://tunekit-local/training-data/nope.jsonl'], {
      cwd,
      env: fixture.env,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/s3:\/\/tunekit-local\/training-data\/nope\.jsonl does not exist/);
  });
});
