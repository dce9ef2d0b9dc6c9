import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';

/** `tunekit train` reads customization.method before anything is uploaded or paid for. */
function train(config: object) {
  const dir = tempDir({ 'tunekit.config.json': JSON.stringify(config), 'train.jsonl': '{}\n' });
  return runCli(['train', 'train.jsonl', '--no-wait'], {
    cwd: dir,
    // No stack: a config error must come before any call to one.
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
  });
}

describe('customization.method in tunekit.config.json', () => {
  it('a method the base model does not support is named with the models that support it', async () => {
    const r = await train({
      baseModel: 'amazon.nova-micro-v1:0:128k',
      customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.ts' } },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /customization\.method: Amazon Nova Micro \(amazon\.nova-micro-v1:0:128k\) does not support reinforcement \(REINFORCEMENT_FINE_TUNING\) -> set "baseModel" to one of amazon\.nova-2-lite-v1:0:256k/,
    );
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('an unknown teacher, and one that cannot teach the student, are named with the teachers that can', async () => {
    const unknown = await train({
      customization: { method: 'distillation', distillation: { teacherModel: 'claude-opus' } },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /customization\.distillation\.teacherModel: "claude-opus" is not a distillation teacher tunekit knows -> use one of: amazon\.nova-premier-v1:0/,
    );
    const wrongPair = await train({
      baseModel: 'amazon.nova-2-lite-v1:0:256k',
      customization: { method: 'distillation', distillation: { teacherModel: 'nova-pro' } },
    });
    expect(wrongPair.code).toBe(1);
    expect(wrongPair.stderr).toMatch(/Amazon Nova 2 Lite .* does not support distillation/);
  });

  it('a misspelled RFT hyperparameter is an unknown key, with the known ones', async () => {
    const r = await train({
      baseModel: 'amazon.nova-2-lite-v1:0:256k',
      customization: {
        method: 'reinforcement',
        reinforcement: { grader: 'g.ts', hyperparameters: { samplesPerPrompt: 4 } },
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /customization\.reinforcement\.hyperparameters\.samplesPerPrompt: unknown key.*trainingSamplePerPrompt/,
    );
  });

  it('reinforcement on AWS without the grader Lambda ARN stops before anything is created, saying how', async () => {
    const dir = tempDir({
      'tunekit.config.json': JSON.stringify({
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
        roleArn: 'arn:aws:iam::111122223333:role/r',
        customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.ts' } },
      }),
    });
    const r = await runCli(['train', 's3://b/training-data/rft.jsonl', '--no-wait', '--aws'], {
      cwd: dir,
      env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/method "reinforcement" needs the Lambda function of your grader/);
    expect(r.stderr).toMatch(/--grader-arn/);
  });
});
