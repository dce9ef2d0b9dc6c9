import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

/** Smoke run of `npm run bench:local -- --smoke`: the benchmark runs end to end and prints its figures. */
describe('bench:local (smoke)', () => {
  it('trains the tutorial set and prints latency and throughput figures', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(REPO_ROOT, 'bench/local/local-stack.ts'),
        '--smoke',
      ],
      { cwd: REPO_ROOT, timeout: 180_000 },
    );
    expect(stdout).toMatch(/train to Completed\s+[\d.]+ s wall/);
    expect(stdout).toMatch(/control plane in train\s+\d+ Get\/List calls: p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(stdout).toMatch(/generation \(Converse\)\s+\d+ calls, \d+ output tokens/);
    expect(stdout).toMatch(/training\s+\d+ steps, \d+ tokens, \d+ tokens\/s/);
  });
});
