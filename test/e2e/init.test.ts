import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/evaluation/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

describe('tunekit init', () => {
  it('scaffolds a project whose data validates and whose suite loads', async () => {
    const dir = tempDir();
    const created = await runCli(['init', 'proj'], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created .*tunekit\.config\.json/);
    const project = join(dir, 'proj');
    const config = JSON.parse(readFileSync(join(project, 'tunekit.config.json'), 'utf8'));
    expect(config.baseModel).toBe('amazon.nova-micro-v1:0:128k');
    expect(loadSuite(join(project, 'eval/suite.json')).cases.length).toBeGreaterThanOrEqual(30);
    const validated = await runCli(['data', 'validate', 'data/train.jsonl'], { cwd: project });
    expect(validated.code).toBe(0);
  });

  it('refuses to overwrite an existing file without --force, and leaves it untouched', async () => {
    const dir = tempDir({ 'tunekit.config.json': '{"project":"mine"}' });
    const refused = await runCli(['init', '.'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not overwriting existing files .*tunekit\.config\.json/);
    expect(refused.stderr).toMatch(/--force/);
    expect(readFileSync(join(dir, 'tunekit.config.json'), 'utf8')).toBe('{"project":"mine"}');

    writeFileSync(join(dir, 'tunekit.config.json'), '{"project":"mine"}');
    const forced = await runCli(['init', '.', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'tunekit.config.json'), 'utf8')).toMatch(/banking-assistant/);
  });
});
