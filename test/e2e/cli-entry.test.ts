import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

describe('bin/tunekit.mjs', () => {
  it('runs the same CLI from the cached bundle and, with TUNEKIT_NO_BUNDLE=1, through tsx', async () => {
    const [bundled, sources] = await Promise.all([
      runCli(['models']),
      runCli(['models'], { env: { TUNEKIT_NO_BUNDLE: '1' } }),
    ]);
    expect(bundled.code).toBe(0);
    expect(sources.code).toBe(0);
    expect(bundled.stdout).toMatch(/^MODEL ID\s/);
    expect(sources.stdout).toBe(bundled.stdout);
  });
});
