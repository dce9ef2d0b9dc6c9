import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TunekitError, UsageError } from '../errors.ts';
import { readLines } from './lines.ts';
import { PendingFile } from './pending-file.ts';
import { hashText } from './validate/hash.ts';

export interface SplitResult {
  train: { path: string; records: number };
  validation: { path: string; records: number };
  skippedBlankLines: number;
  seed: number;
  fraction: number;
  /** e.g. one side received no records (too little data for the fraction). */
  warnings: string[];
}

/** `<dir>/<name>.train.jsonl` and `<dir>/<name>.validation.jsonl` for `<name>.jsonl`. */
function splitPaths(file: string, outDir?: string): { train: string; validation: string } {
  const name = basename(file).replace(/\.jsonl?$/i, '');
  const dir = outDir ?? dirname(file);
  return { train: join(dir, `${name}.train.jsonl`), validation: join(dir, `${name}.validation.jsonl`) };
}

/**
 * Splits a JSONL file into training and validation sets. Each record's side is decided by a seeded
 * hash of its text, so the split is deterministic for a seed and identical records always land on
 * the same side (no leakage). The validation share is therefore close to, not exactly, `fraction`.
 * Outputs appear only when complete (PendingFile), so a failure never leaves half-written ones.
 */
export async function splitDataset(
  file: string,
  options: { fraction: number; seed: number; outDir?: string; force?: boolean },
): Promise<SplitResult> {
  const { fraction, seed } = options;
  if (!(fraction > 0 && fraction < 1))
    throw new UsageError(
      `--validation ${fraction} must be between 0 and 1 (exclusive)`,
      'e.g. --validation 0.1 for 10%',
    );
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed ${seed} must be an integer`);
  const paths = splitPaths(file, options.outDir);
  for (const p of [paths.train, paths.validation]) {
    if (existsSync(p) && !options.force)
      throw new TunekitError('DATA.OUTPUT_EXISTS', `${p} already exists`, {
        hint: 'pass --force to overwrite it, or --out-dir to write elsewhere',
      });
  }
  const train = new PendingFile(paths.train);
  const validation = new PendingFile(paths.validation);
  const counts = { train: 0, validation: 0, blank: 0 };
  const threshold = fraction * 2 ** 53;
  try {
    for await (const { line, text } of readLines({ path: file })) {
      if (text === undefined)
        throw new TunekitError('DATA.UNREADABLE_LINE', `${file}:${line} is not readable UTF-8 text`, {
          hint: 'run `tunekit data validate` and fix the file first',
        });
      const key = text.trim();
      if (key === '') {
        counts.blank++;
        continue;
      }
      const toValidation = hashText(key, seed) < threshold;
      await (toValidation ? validation : train).writeLine(key);
      counts[toValidation ? 'validation' : 'train']++;
    }
    await Promise.all([train.close(), validation.close()]);
    if (counts.train + counts.validation === 0) {
      throw new TunekitError('DATA.EMPTY', `${file} holds no records to split`, {
        hint: 'check the path; the file is empty or only blank lines',
      });
    }
    await train.commit();
    await validation.commit();
  } catch (e) {
    await Promise.all([train.discard(), validation.discard()]);
    throw e;
  }
  return {
    train: { path: paths.train, records: counts.train },
    validation: { path: paths.validation, records: counts.validation },
    skippedBlankLines: counts.blank,
    seed,
    fraction,
    warnings: (['train', 'validation'] as const)
      .filter((side) => counts[side] === 0)
      .map(
        (side) =>
          `no record landed in the ${side} set: ${counts.train + counts.validation} records are too few for --validation ${fraction}`,
      ),
  };
}
