import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';

describe('tunekit deploy --dry-run (cdk synth of src/infra/app.ts, no AWS)', () => {
  it("synthesizes the user's project from their directory and lists the outputs a deploy will print", async () => {
    const dir = tempDir({
      'tunekit.config.json': JSON.stringify({ project: 'synthme', bucket: 'tunekit-synth-me' }),
    });
    const r = await runCli(['deploy', '--dry-run', '--json'], { cwd: dir, timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      stack: 'Tunekit-synthme',
      template: join(dir, 'cdk.out/Tunekit-synthme.template.json'),
    });
    expect(out.outputs).toEqual(
      expect.arrayContaining(['BucketName', 'StateMachineArn', 'BedrockJobRoleArn']),
    );
    // The template really is this user's config (the Lambdas get it as TUNEKIT_CONFIG), read from their dir.
    expect(readFileSync(out.template, 'utf8')).toMatch(/\\"project\\":\\"synthme\\"/);
  });

  it('refuses without a config file, naming the fix', async () => {
    const r = await runCli(['deploy', '--dry-run'], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tunekit init');
  });

  it('rejects an invalid config (naming the field) before running cdk', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tunekit.config.json'), JSON.stringify({ project: 'Bad Name' }));
    const r = await runCli(['deploy', '--dry-run'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/project/);
  });
});
