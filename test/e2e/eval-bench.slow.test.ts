import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

/** Smoke run of `npm run bench:eval` at a small size: it finishes, prints its figures, loses no case. */
describe('bench:eval', () => {
  it('runs 20 cases x 2 models through throttling without losing a case', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(REPO_ROOT, 'bench/eval/run.ts'),
          '--cases',
          '20',
          '--latency',
          '20',
          '--concurrency',
          '4',
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`bench exited ${code}`))));
    });
    const figures = JSON.parse(out.slice(out.indexOf('{')));
    expect(figures).toMatchObject({ calls: 40, lost: 0, errored: 0, answered: 40, peakInFlight: 4 });
    expect(figures.attempts).toBeGreaterThan(40);
    expect(figures.ratioToIdeal).toBeGreaterThan(1);
  }, 120_000);
});
