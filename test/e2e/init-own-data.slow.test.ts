import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';
import { travelData } from './helpers/travel-data.ts';

// A newcomer's own data, end to end through `tunekit demo --data` (each test runs the whole pipeline).
describe('tunekit init + demo on your own data', () => {
  it('without a suite, evaluates a held-out slice of the own data plus built-in cases, and says so', async () => {
    const dir = tempDir();
    await runCli(['init', 'trips'], { cwd: dir });
    const project = join(dir, 'trips');
    writeFileSync(join(project, 'data/train.jsonl'), travelData(60));
    const run = await runCli(['demo', '--data', 'data/train.jsonl'], { cwd: project, timeoutMs: 180_000 });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const html = readFileSync(
      join(project, '.tunekit/reports', readdirSync(join(project, '.tunekit/reports'))[0]!),
      'utf8',
    );
    expect(html).toMatch(/No evaluation suite is configured: in-domain cases are 6 records held out of/);
    expect(html).toMatch(/held-out-line-\d+/);
    expect(html).not.toMatch(/Harborview/); // nothing of the banking sample
    expect(run.stderr + run.stdout).toMatch(/6 records held out for evaluation/);

    // `eval report` finds the pipeline's report with the stack stopped (it lives in the local S3 data),
    // by `latest` and by the run's name.
    const latest = await runCli(['eval', 'report', 'latest', '--json'], { cwd: project });
    expect(latest.code, latest.stderr).toBe(0);
    const report = JSON.parse(latest.stdout);
    expect(report.suite.name).toMatch(
      /^held-out slice of s3:\/\/tunekit-local\/training-data\/train\.jsonl$/,
    );
    const runName = readdirSync(join(project, '.tunekit/reports'))[0]!.replace(/\.html$/, '');
    const byName = await runCli(['eval', 'report', runName], { cwd: project });
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout.trim()).toBe(join(project, '.tunekit/reports', runName, 'report.html'));
    expect(readFileSync(byName.stdout.trim(), 'utf8')).toMatch(/held-out-line-/);
    const missing = await runCli(['eval', 'report', 'nope'], { cwd: project });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`recent: ${runName}`);
  }, 240_000);

  it('warns in the report when the suite shares almost nothing with the training data', async () => {
    const dir = tempDir();
    await runCli(['init', 'trips', '--sample', 'banking'], { cwd: dir });
    const project = join(dir, 'trips');
    writeFileSync(join(project, 'data/train.jsonl'), travelData(40));
    const run = await runCli(['demo', '--data', 'data/train.jsonl'], { cwd: project, timeoutMs: 180_000 });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const html = readFileSync(
      join(project, '.tunekit/reports', readdirSync(join(project, '.tunekit/reports'))[0]!),
      'utf8',
    );
    expect(html).toMatch(/shares little with the training data: only \d+% of its in-domain prompt words/);
  }, 240_000);
});
