import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Config } from '../../config/schema.ts';
import {
  type InvocationLogSelection,
  isInvocationLog,
  isInvocationLogKey,
  type LogFile,
  RequestMetadataFiltersSchema,
} from '../../dataset/index.ts';
import { UsageError } from '../../errors.ts';

/**
 * The CLI's side of invocation logs as distillation data: finding the log files a user names (one file,
 * or a folder as Bedrock fills it: …/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz) and the
 * selection (teacher, usePromptResponse, filters) from flags, else from the config.
 */

export interface InvocationLogFlags {
  teacher?: string;
  usePromptResponse?: boolean;
  metadataFilter?: string;
}

/** The first line of a file, decompressed as it streams when the file is gzip (Bedrock's log files). */
async function firstLine(path: string): Promise<string> {
  const file = await open(path, 'r');
  const { buffer } = await file.read(Buffer.alloc(2), 0, 2, 0);
  await file.close();
  const raw = createReadStream(path);
  const gzip = buffer[0] === 0x1f && buffer[1] === 0x8b;
  const lines = createInterface({ input: gzip ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** Whether a path holds invocation logs: a folder, or a file whose first record is a log record. */
export async function looksLikeInvocationLogs(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return false;
  if (info.isDirectory()) return true;
  try {
    return isInvocationLog(JSON.parse(await firstLine(path)));
  } catch {
    return false; // not JSON, or a corrupt gzip file: the JSONL validator names what it is
  }
}

/** The log files under a path: the file itself, or every log file in the folder tree, in key order. */
export async function readLogFiles(path: string): Promise<LogFile[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UsageError(`${path} does not exist`, 'name a log file or the folder you copied the logs to');
  if (!info.isDirectory()) return [{ name: path, bytes: await readFile(path) }];
  const names = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(path, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter(isInvocationLogKey)
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name: join(path, name), bytes: await readFile(join(path, name)) })),
  );
}

/** Flags first, then `customization.distillation` (teacher) and its `invocationLogs` (the selection). */
export function invocationLogSelection(flags: InvocationLogFlags, config: Config): InvocationLogSelection {
  const configured = config.customization.distillation;
  const logs = configured?.invocationLogs;
  let filters = logs?.requestMetadataFilters;
  if (flags.metadataFilter !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(flags.metadataFilter);
    } catch (error) {
      throw new UsageError(
        `--metadata-filter is not JSON: ${(error as Error).message}`,
        `write it as the API's requestMetadataFilters, e.g. --metadata-filter '{"equals": {"use": "distill"}}'`,
      );
    }
    const parsed = RequestMetadataFiltersSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const at = issue.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new UsageError(
        `--metadata-filter${at}: ${issue.message}`,
        'use exactly one of {"equals": {k: v}}, {"notEquals": {k: v}}, {"andAll": [...]}, {"orAll": [...]} (one key per map)',
      );
    }
    filters = parsed.data;
  }
  const usePromptResponse = flags.usePromptResponse ?? logs?.usePromptResponse ?? false;
  const teacher = flags.teacher ?? configured?.teacherModel;
  if (!teacher && usePromptResponse)
    throw new UsageError(
      "--use-prompt-response trains on the teacher's logged answers, so it needs the teacher",
      'pass --teacher <model id> or set customization.distillation.teacherModel',
    );
  return {
    usePromptResponse,
    ...(teacher ? { teacherModelId: teacher } : {}),
    ...(filters ? { requestMetadataFilters: filters } : {}),
  };
}

/**
 * Invocation logs are distillation data: another --method is a usage error, and so is none where the
 * command asks for it (convert, as for fine-tuning data).
 */
export function requireDistillation(file: string, method: string | undefined, required = false): void {
  if (method === 'distillation' || (method === undefined && !required)) return;
  throw new UsageError(
    method === undefined
      ? `${file} holds model invocation logs: they convert to distillation prompts only`
      : `${file} holds model invocation logs, which are distillation data, not ${method} data`,
    required ? 'pass --method distillation' : 'pass --method distillation (or leave --method out)',
  );
}
