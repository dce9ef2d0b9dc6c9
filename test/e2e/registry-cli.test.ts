import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';

// Fast CLI checks that need no S3 server; the full flows run against moto in registry.slow.test.ts.
describe('tunekit registry (CLI surface)', () => {
  it('help teaches every subcommand with examples', async () => {
    const r = await runCli(['registry', '--help']);
    expect(r.code).toBe(0);
    for (const sub of ['list', 'show', 'diff', 'compare', 'promote', 'rollback', 'history', 'register']) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${sub} `));
    }
    expect(r.stdout).toContain('$ tunekit registry rollback --reason');
    const promote = await runCli(['registry', 'promote', '--help']);
    expect(promote.stdout).toContain('--reason <text>');
    expect(promote.stdout).toContain('--bucket <name>');
  });

  it('bad flag values are usage errors (exit 2) that name the flag', async () => {
    const dir = tempDir({ 'l.json': '{}' });
    const bump = await runCli(['registry', 'register', '--from', 'l.json', '--bump', 'huge'], { cwd: dir });
    expect(bump.code).toBe(2);
    expect(bump.stderr).toContain('--bump must be major, minor or auto, got "huge"');
    const limit = await runCli(['registry', 'history', '--limit', '0'], { cwd: dir });
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a positive integer');
  });

  it('an unreadable or broken lineage file is reported with its path before touching S3', async () => {
    const dir = tempDir({ 'broken.json': '{"baseModelId": ' });
    const broken = await runCli(['registry', 'register', '--from', 'broken.json'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
    const missing = await runCli(['registry', 'register', '--from', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read nope.json');
  });
});
