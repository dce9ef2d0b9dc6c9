import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/evaluation/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

describe('tunekit init', () => {
  it('scaffolds an empty project named after its directory, with a $schema that resolves', async () => {
    const dir = tempDir();
    const created = await runCli(['init', 'My Travel Bot'], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created .*tunekit\.config\.json/);
    const project = join(dir, 'My Travel Bot');
    const config = JSON.parse(readFileSync(join(project, 'tunekit.config.json'), 'utf8'));
    expect(config.project).toBe('my-travel-bot');
    expect(config.baseModel).toBe('amazon.nova-micro-v1:0:128k');
    // No sample data and no banking suite: the project is for the user's own data.
    expect(config.evaluation?.suite).toBeUndefined();
    expect(existsSync(join(project, 'data/train.jsonl'))).toBe(false);
    expect(existsSync(join(project, 'eval/suite.json'))).toBe(false);
    expect(readFileSync(join(project, 'data/README.md'), 'utf8')).toMatch(/tunekit demo --data/);
    const schema = JSON.parse(readFileSync(resolve(project, config.$schema), 'utf8'));
    expect(schema.title).toBe('tunekit configuration');
    // The config it writes is valid for the strict loader.
    expect((await runCli(['data', 'validate', '--help'], { cwd: project })).code).toBe(0);
  });

  it('writes the banking sample only on request, and its data validates and its suite loads', async () => {
    const dir = tempDir();
    const created = await runCli(['init', 'bank', '--sample', 'banking'], { cwd: dir });
    expect(created.code).toBe(0);
    const project = join(dir, 'bank');
    const config = JSON.parse(readFileSync(join(project, 'tunekit.config.json'), 'utf8'));
    expect(config.project).toBe('bank');
    expect(config.evaluation.suite).toBe('eval/suite.json');
    expect(loadSuite(join(project, 'eval/suite.json')).cases.length).toBeGreaterThanOrEqual(30);
    const validated = await runCli(['data', 'validate', 'data/train.jsonl'], { cwd: project });
    expect(validated.code).toBe(0);
    const unknown = await runCli(['init', 'x', '--sample', 'travel'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--sample travel: unknown sample[\s\S]*banking/);
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
    expect(JSON.parse(readFileSync(join(dir, 'tunekit.config.json'), 'utf8')).project).toMatch(
      /^tunekit-test-/,
    );
  });

  it('--method reinforcement scaffolds a grader with a passing node --test, and data the grader can score', async () => {
    const dir = tempDir();
    const created = await runCli(['init', 'rft', '--method', 'reinforcement'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/node --test graders\//);
    const project = join(dir, 'rft');
    const config = JSON.parse(readFileSync(join(project, 'tunekit.config.json'), 'utf8'));
    expect(config.baseModel).toBe('amazon.nova-2-lite-v1:0:256k');
    expect(config.customization).toEqual({
      method: 'reinforcement',
      reinforcement: { grader: 'graders/grader.mjs' },
    });
    // The scaffold is valid as written: the data validates for the configured method.
    const validated = await runCli(['data', 'validate', 'data/train.jsonl'], { cwd: project });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    for (const file of [
      'graders/grader.mjs',
      'graders/grader.test.mjs',
      'graders/README.md',
      'data/train.jsonl',
    ])
      expect(existsSync(join(project, file)), file).toBe(true);
    // The user's first step: the grader's own test passes with plain node.
    const tested = await promisify(execFile)(process.execPath, ['--test', 'graders/'], { cwd: project });
    expect(tested.stdout).toMatch(/# pass 2/);
    // Every sample record can be scored: its reference answer scores 1, another record's answer 0.
    const { handler } = await import(pathToFileURL(join(project, 'graders/grader.mjs')).href);
    const records = readFileSync(join(project, 'data/train.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThanOrEqual(100);
    const sample = (
      r: { id: string; messages: unknown[]; reference_answer: { answer: string } },
      answer: string,
    ) => ({
      id: r.id,
      messages: [...r.messages, { role: 'assistant', content: answer }],
      metadata: { reference_answer: r.reference_answer },
    });
    const right = await handler(records.map((r) => sample(r, `Yes: ${r.reference_answer.answer}.`)));
    expect(right.every((s: { aggregate_reward_score: number }) => s.aggregate_reward_score === 1)).toBe(true);
    const wrong = await handler([sample(records[0], 'Please contact us.')]);
    expect(wrong[0].aggregate_reward_score).toBe(0);

    const unknown = await runCli(['init', 'x', '--method', 'rlhf'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--method rlhf: unknown method[\s\S]*reinforcement/);
  });
});
