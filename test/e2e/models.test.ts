import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

describe('tunekit models', () => {
  it('lists the default model first and marks Titan Text end-of-life', async () => {
    const result = await runCli(['models']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(/^amazon\.nova-micro-v1:0:128k\s/);
    expect(result.stdout).toMatch(/amazon\.titan-text-express-v1:0:8k .*end-of-life/);
  });

  it('prints the catalog as JSON with sourced prices and unknowns left null', async () => {
    const result = await runCli(['models', '--json']);
    expect(result.code).toBe(0);
    const models = JSON.parse(result.stdout) as {
      id: string;
      prices: Record<string, { usd: number | null; source: string }>;
    }[];
    const titan = models.find((m) => m.id === 'amazon.titan-text-express-v1:0:8k')!;
    expect(titan.prices.trainingPer1kTokens!.usd).toBe(0.008);
    const micro = models.find((m) => m.id === 'amazon.nova-micro-v1:0:128k')!;
    expect(micro.prices.trainingPer1kTokens!.usd).toBeNull();
    expect(micro.prices.trainingPer1kTokens!.source).toBe('https://aws.amazon.com/bedrock/pricing/');
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['models', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });
});
