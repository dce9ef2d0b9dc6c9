import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../samples.ts';
import { demoTrainingData } from './demo-data.ts';

const records = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('the demo training data', () => {
  it('is the banking set on the first run', () => {
    const data = demoTrainingData(0, mkdtempSync(join(tmpdir(), 'tk-demo-')));
    expect(records(data.file)).toEqual(records(SAMPLES.bankingTrain));
  });

  it('retrains on all data so far on the second run: the base records plus the new ones', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tk-demo-'));
    const data = demoTrainingData(1, dataDir);
    const trained = records(data.file);
    const base = records(SAMPLES.bankingTrain);
    const more = records(SAMPLES.bankingTrainMore);
    for (const line of [...base, ...more]) expect(trained).toContain(line);
    expect(trained).toHaveLength(base.length + more.length);
    expect(data.records).toBe(base.length + more.length);
    expect(data.file.startsWith(dataDir)).toBe(true);
  });
});
