import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

describe('npm run bench:validate (smoke)', () => {
  it('measures tunekit and the Python reference on a 20 MB file and prints the figures', () => {
    const r = spawnSync('npm', ['run', '--silent', 'bench:validate', '--', '--size', '20MB'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/python tutorial \(readlines\+json\)\s+[\d.]+ s\s+\d+ MB\/s/);
    expect(r.stdout).toMatch(/tunekit data validate\s+[\d.]+ s\s+\d+ MB\/s\s+[\d.]+ s\s+\d+ MB/);
    expect(r.stdout).toMatch(/speed-up \(wall\): [\d.]+x/);
    // The generated file is prompt/completion with ~17k records: only file-level limits may fire.
    expect(r.stdout).toMatch(/tunekit findings .*TOO_MANY_RECORDS/);
    expect(r.stdout).not.toMatch(/INVALID_JSON|WRONG_FORMAT/);
  });
});
