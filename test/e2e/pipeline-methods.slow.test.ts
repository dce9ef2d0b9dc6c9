import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { startDetachedStack, stopStack } from './helpers/local-process.ts';

/**
 * Distillation and reinforcement fine-tuning through the whole pipeline on the local stack, as a user runs
 * them: a project, its config, `tunekit demo --data` (upload -> pre-flight -> the job of the configured
 * method on the real local engine -> deployment -> evaluation -> gate -> registry), then the registry.
 */

async function demo(project: string) {
  const run = await runCli(['demo', '--data', 'data/train.jsonl'], { cwd: project, timeoutMs: 280_000 });
  expect(run.code, run.stdout.slice(-3000) + run.stderr.slice(-3000)).toBe(0);
  // The registry lives in the stack's S3 data: start the stack again to read it, as a user would.
  await startDetachedStack(join(project, '.tunekit'));
  try {
    const shown = await runCli(['registry', 'show', 'v1.0', '--json'], { cwd: project });
    expect(shown.code, shown.stderr).toBe(0);
    return { run, version: JSON.parse(shown.stdout) };
  } finally {
    await stopStack(join(project, '.tunekit'));
  }
}

/** The version was evaluated (scores against the baseline) and the gate decided on it. */
function expectEvaluated(version: {
  evaluation?: { scores: Record<string, number>; baselineScores?: Record<string, number> };
  gate?: { passed: boolean };
}) {
  expect(version.evaluation?.scores.overall).toBeTypeOf('number');
  expect(version.evaluation?.baselineScores?.overall).toBeTypeOf('number');
  expect(version.gate?.passed).toBeTypeOf('boolean');
}

describe('every customization method through the pipeline (slow: real local training)', () => {
  it('reinforcement: init --method reinforcement, then a run registers an evaluated v1.0 trained with the grader', async () => {
    const dir = tempDir();
    expect((await runCli(['init', 'rft', '--method', 'reinforcement'], { cwd: dir })).code).toBe(0);
    const { run, version } = await demo(join(dir, 'rft'));
    expect(run.stdout).toMatch(/version v1\.0/);
    expect(version.customization).toMatchObject({
      method: 'reinforcement',
      customizationType: 'REINFORCEMENT_FINE_TUNING',
      grader: 'graders/grader.mjs',
    });
    expectEvaluated(version);
  }, 300_000);

  it('distillation: Nova Micro learns from the Nova Pro teacher, and v1.0 records the teacher', async () => {
    const dir = tempDir();
    expect((await runCli(['init', 'distil'], { cwd: dir })).code).toBe(0);
    const project = join(dir, 'distil');
    const config = JSON.parse(readFileSync(join(project, 'tunekit.config.json'), 'utf8'));
    config.customization = {
      method: 'distillation',
      distillation: { teacherModel: 'amazon.nova-pro-v1:0', maxResponseLengthForInference: 200 },
    };
    writeFileSync(join(project, 'tunekit.config.json'), JSON.stringify(config, null, 2));
    writeFileSync(join(project, 'data/train.jsonl'), readFileSync(SAMPLES.bankingTrain));
    const { run, version } = await demo(project);
    expect(run.stdout).toMatch(/version v1\.0/);
    expect(version.customization).toMatchObject({
      method: 'distillation',
      customizationType: 'DISTILLATION',
      teacherModel: 'amazon.nova-pro-v1:0',
      maxResponseLengthForInference: 200,
    });
    expectEvaluated(version);
  }, 300_000);
});
