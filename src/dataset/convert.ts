import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TunekitError } from '../errors.ts';
import type { Conversation } from './conversation.ts';
import { FORMATS } from './formats/registry.ts';
import {
  type InvocationLogSelection,
  type SelectedRecords,
  selectTrainingRecords,
} from './invocation-logs.ts';
import { readLines } from './lines.ts';
import { PendingFile } from './pending-file.ts';
import { parseLine } from './records.ts';
import type { DatasetFormat } from './schema.ts';
import { type LogFile, readInvocationLogEntries } from './validate-invocation-logs.ts';

export interface ConvertResult {
  /** `distillation`: fine-tuning records became prompts (the final answers dropped). */
  method?: 'distillation';
  /** Where the converted file was written; undefined when anything was refused (nothing written). */
  out: string | undefined;
  records: number;
  from: Partial<Record<DatasetFormat, number>>;
  to: DatasetFormat;
  refusedCount: number;
  /** The first `maxRefusals` refused lines, with why. */
  refused: { line: number; reason: string }[];
}

/** `<name>.<format>.jsonl` (or `<name>.distillation.jsonl`) next to `<name>.jsonl`. */
function convertedPath(file: string, to: string): string {
  return join(dirname(file), `${basename(file).replace(/\.jsonl?$/i, '')}.${to}.jsonl`);
}

/**
 * A fine-tuning record as a distillation prompt (bedrock-conversation-2024): the final assistant answer is
 * dropped, since the teacher writes it; earlier turns stay as the conversation so far (Nova students take
 * multi-turn prompts: https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-1.html).
 * Refused where that is not faithful: a reinforcement record's reference_answer has no place in a prompt.
 */
function asDistillationPrompt(parsed: {
  format: DatasetFormat;
  conversation: Conversation;
}): { conversation: Conversation } | { refusal: string } {
  if (parsed.format === 'openai-chat')
    return {
      refusal:
        'is a reinforcement record: its reference_answer (what your grader reads) has no place in a distillation prompt',
    };
  const turns = [...parsed.conversation.turns];
  if (turns[turns.length - 1]?.role === 'assistant') turns.pop();
  if (!turns.some((t) => t.role === 'user')) return { refusal: 'has no user prompt left to ask the teacher' };
  return { conversation: { ...parsed.conversation, turns } };
}

/**
 * Converts every record to `to`. All or nothing: if any line cannot be converted faithfully (a system
 * prompt or several turns into prompt/completion, an invalid record) nothing is written and every
 * refused line is reported with its reason.
 */
export async function convertDataset(
  file: string,
  options: {
    to: DatasetFormat;
    from?: DatasetFormat;
    out?: string;
    force?: boolean;
    maxRefusals?: number;
    /** distillation: write prompts for a teacher (`to` must be bedrock-conversation-2024). */
    method?: 'distillation';
  },
): Promise<ConvertResult> {
  if (options.method === 'distillation' && options.to !== 'bedrock-conversation-2024')
    throw new TunekitError(
      'DATA.CONVERT_METHOD',
      `distillation prompts are bedrock-conversation-2024 records, not ${options.to}`,
      { hint: 'pass --to bedrock-conversation-2024 (or leave --to out with --method distillation)' },
    );
  const out =
    options.out ?? (options.method ? convertedPath(file, options.method) : convertedPath(file, options.to));
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
    ...(options.method ? { method: options.method } : {}),
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
      const prompt = options.method === 'distillation' ? asDistillationPrompt(parsed) : parsed;
      if ('refusal' in prompt) {
        refuse(line, `the record ${prompt.refusal}`);
        continue;
      }
      const converted = target.fromConversation(prompt.conversation);
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

/**
 * Invocation logs as a distillation prompt file (`data convert <logs> --method distillation`), so the
 * pipeline, which trains on uploaded files, can distill from them too: the records a job would use
 * (selectTrainingRecords), as bedrock-conversation-2024 lines — prompts only, or with the teacher's logged
 * answer when usePromptResponse (an assistant turn is allowed in a distillation record).
 */
export async function convertInvocationLogs(
  source: string,
  files: readonly LogFile[],
  selection: InvocationLogSelection,
  options: { out?: string; force?: boolean },
): Promise<ConvertResult & { invocationLogs: { logRecords: number; dropped: SelectedRecords['dropped'] } }> {
  const out = options.out ?? convertedPath(source.replace(/\/+$/, ''), 'distillation');
  if (existsSync(out) && !options.force)
    throw new TunekitError('DATA.OUTPUT_EXISTS', `${out} already exists`, {
      hint: 'pass --force to overwrite it, or --out to write elsewhere',
    });
  const { entries } = readInvocationLogEntries(files);
  const { records, dropped } = selectTrainingRecords(entries, selection);
  if (records.length === 0)
    throw new TunekitError('DATA.NO_LOG_RECORDS', `no usable invocation log records in ${source}`, {
      hint: '`tunekit data validate` on the same path lists what was left out and why',
    });
  const output = new PendingFile(out);
  try {
    for (const line of distillationLines(records)) await output.writeLine(line);
    await output.close();
    await output.commit();
  } catch (e) {
    await output.discard();
    throw e;
  }
  return {
    method: 'distillation',
    out,
    records: records.length,
    from: {},
    to: 'bedrock-conversation-2024',
    refusedCount: 0,
    refused: [],
    invocationLogs: { logRecords: entries.length, dropped },
  };
}

/** Conversations as a bedrock-conversation-2024 JSONL text (distillation records: prompts, maybe answered). */
export function distillationJsonl(records: readonly Conversation[]): string {
  return distillationLines(records)
    .map((line) => `${line}\n`)
    .join('');
}

function distillationLines(records: readonly Conversation[]): string[] {
  const target = FORMATS['bedrock-conversation-2024'];
  return records.map((record) => {
    const converted = target.fromConversation(record);
    if ('refusal' in converted) throw new Error(`a record cannot be written: ${converted.refusal}`);
    return JSON.stringify(converted.record);
  });
}
