import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';

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

/** A travel assistant's data: nothing like the banking sample. */
function travelData(n: number): string {
  const topics = [
    ['change my flight', 'Open My Trips, choose the flight and select Change; fare differences apply.'],
    ['bring a stroller on board', 'Strollers travel free and can be checked at the gate.'],
    [
      'get a refund for a cancelled train',
      'Cancelled trains are refunded in full to the original payment card within 7 days.',
    ],
    [
      'add checked luggage',
      'Add a bag in My Trips up to 3 hours before departure; it costs less online than at the airport.',
    ],
    [
      'choose a window seat',
      'Pick a seat in My Trips under Seats; window seats cost 8 euros on short flights.',
    ],
    [
      'book a hotel near the airport',
      'Search Hotels with the airport code and filter by distance; free cancellation is shown per room.',
    ],
  ];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const [ask, answer] = topics[i % topics.length]!;
    const user = `How do I ${ask} for trip number ${1000 + i}?`;
    lines.push(
      JSON.stringify({
        schemaVersion: 'bedrock-conversation-2024',
        system: [{ text: 'You are a helpful travel assistant.' }],
        messages: [
          { role: 'user', content: [{ text: user }] },
          { role: 'assistant', content: [{ text: answer }] },
        ],
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
