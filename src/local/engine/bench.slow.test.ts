import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

/** Smoke run of `npm run bench:engine`: it trains on the banking set and prints every figure. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

it('bench:engine trains the banking set and prints its figures', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/engine/train.ts', '--sizes', ''],
    {
      cwd: ROOT,
      timeout: 120_000,
    },
  );
  const figure = (label: string) => {
    const line = stdout.split('\n').find((l) => l.trim().startsWith(label));
    expect(line, label).toBeDefined();
    return Number.parseFloat(line!.trim().slice(label.length).trim());
  };
  expect(figure('records')).toBeGreaterThanOrEqual(120);
  expect(figure('steps')).toBe(Math.ceil(figure('records') / 8) * 2); // Nova defaults: 2 epochs, local batch 8
  expect(figure('final loss')).toBeLessThan(figure('first-step loss'));
  expect(figure('training tokens/s')).toBeGreaterThan(0);
  expect(figure('generation tokens/s')).toBeGreaterThan(0);
  expect(figure('training wall time')).toBeGreaterThan(0);
});
