import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TunekitError } from '../errors.ts';
import { FORMATS } from './formats/registry.ts';
import { readLines } from './lines.ts';
import { PendingFile } from './pending-file.ts';
import { parseLine } from './records.ts';
import type { DatasetFormat } from './schema.ts';

export interface ConvertResult {
  /** Where the converted file was written; undefined when anything was refused (nothing written). */
  out: string | undefined;
  records: number;
  from: Partial<Record<DatasetFormat, number>>;
  to: DatasetFormat;
  refusedCount: number;
  /** The first `maxRefusals` refused lines, with why. */
  refused: { line: number; reason: string }[];
}

/** `<name>.<format>.jsonl` next to `<name>.jsonl`. */
function convertedPath(file: string, to: DatasetFormat): string {
  return join(dirname(file), `${basename(file).replace(/\.jsonl?$/i, '')}.${to}.jsonl`);
}

/**
 * Converts every record to `to`. All or nothing: if any line cannot be converted faithfully (a system
 * prompt or several turns into prompt/completion, an invalid record) nothing is written and every
 * refused line is reported with its reason.
 */
export async function convertDataset(
  file: string,
  options: { to: DatasetFormat; from?: DatasetFormat; out?: string; force?: boolean; maxRefusals?: number },
): Promise<ConvertResult> {
  const out = options.out ?? convertedPath(file, options.to);
  if (existsSync(out) && !options.force) {
    throw new TunekitError('DATA.OUTPUT_EXISTS', `${out} already exists`, {
      hint: 'pass --force to overwrite it, or --out to write elsewhere',
    });
  }
  const maxRefusals = options.maxRefusals ?? 50;
  const target = FORMATS[options.to];
  const output = new PendingFile(out);
  const result: ConvertResult = {
    out: undefined,
    records: 0,
    from: {},
    to: options.to,
    refusedCount: 0,
    refused: [],
  };
  const refuse = (line: number, reason: string) => {
    result.refusedCount++;
    if (result.refused.length < maxRefusals) result.refused.push({ line, reason });
  };
  try {
    for await (const { line, text } of readLines({ path: file })) {
      const parsed = parseLine(text, options.from);
      if (!parsed.ok) {
        if (!parsed.blank) refuse(line, `cannot be read as a record: ${parsed.reason}`);
        continue;
      }
      result.from[parsed.format] = (result.from[parsed.format] ?? 0) + 1;
      const converted = target.fromConversation(parsed.conversation);
      if ('refusal' in converted) {
        refuse(line, `the record ${converted.refusal}`);
        continue;
      }
      result.records++;
      if (result.refusedCount === 0) await output.writeLine(JSON.stringify(converted.record));
    }
    await output.close();
    if (result.refusedCount > 0) await output.discard();
    else {
      await output.commit();
      result.out = out;
    }
  } catch (e) {
    await output.discard();
    throw e;
  }
  return result;
}
