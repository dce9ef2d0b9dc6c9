import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from '../../samples.ts';

/**
 * What the demo uploads. The first run trains on the bundled banking set. Later runs retrain on all
 * the data so far, the base set plus the second batch (train-more.jsonl), as a real retraining on newly
 * arrived data would: trained on the 26 new records alone, the candidate forgot the 144 it was first
 * trained on and the gate rejected it every time after. The combined file is written to the data dir,
 * so what was trained on can be read afterwards.
 */
export interface DemoData {
  /** The file to upload. */
  file: string;
  /** What it is made of, for the progress line. */
  parts: string[];
  records: number;
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

export function demoTrainingData(versionsSoFar: number, dataDir: string): DemoData {
  if (versionsSoFar === 0)
    return {
      file: SAMPLES.bankingTrain,
      parts: ['train.jsonl'],
      records: lines(SAMPLES.bankingTrain).length,
    };
  const all = [...lines(SAMPLES.bankingTrain), ...lines(SAMPLES.bankingTrainMore)];
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'train-all.jsonl');
  writeFileSync(file, `${all.join('\n')}\n`);
  return { file, parts: ['train.jsonl', 'train-more.jsonl'], records: all.length };
}
