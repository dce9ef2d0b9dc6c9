import type { Conversation } from './conversation.ts';
import {
  INVOCATION_LOG_LIMITS,
  type InvocationLogEntry,
  type InvocationLogSelection,
  invocationLogText,
  parseInvocationLog,
  selectTrainingRecords,
} from './invocation-logs.ts';
import type { ValidationIssue, ValidationReport } from './schema.ts';
import { estimateTokens } from './tokens.ts';

/**
 * `tunekit data validate --invocation-logs`: what a distillation job would make of a set of invocation log
 * files. Bedrock drops records it cannot use ("Invalid prompts that do not conform to the format will be
 * dropped", AWS's dataset validator for distillation: github.com/aws-samples/amazon-bedrock-samples,
 * custom-models/model_distillation/dataset-validation/README.md; for log records the same is UNCONFIRMED),
 * so an unreadable record is a warning with its file, line and fix; too few usable records is the error,
 * since the job would have nothing (or too little) to learn from.
 */

export interface LogFile {
  /** Shown in problems: a path relative to what the user named, or an S3 key. */
  name: string;
  bytes: Uint8Array;
}

export interface InvocationLogValidationOptions extends InvocationLogSelection {
  /** The student (base model) id, for the report. */
  model: string;
  /** Problems kept per severity in the report; counts cover everything. Default 50. */
  maxIssues?: number;
}

const conversationText = (c: Conversation) => (c.system ?? '') + c.turns.map((t) => t.text).join('');

/** What reading log files gives: the usable entries, and line counts for the statistics. */
export interface ReadInvocationLogs {
  entries: InvocationLogEntry[];
  lines: number;
  blankLines: number;
  bytes: number;
}

/**
 * Every usable record of the log files, in file and line order; each unusable line or file goes to
 * `onProblem` (as a warning: Bedrock drops what it cannot read) with its file, line and fix.
 */
export function readInvocationLogEntries(
  files: readonly LogFile[],
  add: (issue: ValidationIssue) => void = () => {},
): ReadInvocationLogs {
  const entries: InvocationLogEntry[] = [];
  let lines = 0;
  let blankLines = 0;
  let bytes = 0;
  for (const file of files) {
    bytes += file.bytes.byteLength;
    let text: string;
    try {
      text = invocationLogText(file.bytes);
    } catch (error) {
      add({
        severity: 'warning',
        code: 'LOG_FILE_UNREADABLE',
        file: file.name,
        path: '',
        message: `this file cannot be decompressed (${(error as Error).message})`,
        hint: 'Bedrock skips it; give the .json.gz files as Bedrock wrote them',
      });
      continue;
    }
    const fileLines = text.split('\n');
    if (fileLines.at(-1) === '') fileLines.pop();
    for (const [i, raw] of fileLines.entries()) {
      lines++;
      if (raw.trim() === '') {
        blankLines++;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        add({
          severity: 'warning',
          code: 'INVALID_JSON',
          file: file.name,
          line: i + 1,
          path: '',
          message: 'this line is not JSON, so Bedrock drops it',
          hint: 'give the log files as Bedrock wrote them (one JSON record per line)',
        });
        continue;
      }
      const parsed = parseInvocationLog(value);
      if (!parsed.ok) {
        add({
          severity: 'warning',
          file: file.name,
          line: i + 1,
          ...parsed.problem,
          message: `${parsed.problem.message}, so Bedrock drops it`,
        });
        continue;
      }
      entries.push(parsed.entry);
    }
  }

  return { entries, lines, blankLines, bytes };
}

export function validateInvocationLogs(
  files: readonly LogFile[],
  options: InvocationLogValidationOptions,
): ValidationReport {
  const maxIssues = options.maxIssues ?? 50;
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const issueCounts: Record<string, number> = {};
  let errorCount = 0;
  let warningCount = 0;
  const add = (issue: ValidationIssue) => {
    issueCounts[issue.code] = (issueCounts[issue.code] ?? 0) + 1;
    if (issue.severity === 'error') errorCount++;
    else warningCount++;
    const list = issue.severity === 'error' ? errors : warnings;
    if (list.length < maxIssues) list.push(issue);
  };

  const { entries, lines, blankLines, bytes } = readInvocationLogEntries(files, add);
  const { records, dropped } = selectTrainingRecords(entries, options);
  const usable = records.length;
  const what = options.usePromptResponse
    ? `prompt-response pairs from the teacher ${options.teacherModelId}`
    : 'prompts';
  if (dropped.otherModel > 0)
    add({
      severity: 'warning',
      code: 'LOG_OTHER_MODEL',
      path: 'modelId',
      message: `${dropped.otherModel} records were answered by another model than the teacher ${options.teacherModelId}; with usePromptResponse only the teacher's answers are used`,
      hint: 'name the model that answered as the teacher, or leave usePromptResponse off so the teacher answers the prompts again',
    });
  if (dropped.noResponse > 0)
    add({
      severity: 'warning',
      code: 'LOG_NO_RESPONSE',
      path: 'output.outputBodyJson',
      message: `${dropped.noResponse} records of the teacher hold no answer text`,
      hint: 'log with textDataDeliveryEnabled: true, or leave usePromptResponse off',
    });
  if (dropped.overLimit > 0)
    add({
      severity: 'warning',
      code: 'LOG_OVER_LIMIT',
      path: '',
      message: `${dropped.overLimit} records beyond Bedrock's maximum of ${INVOCATION_LOG_LIMITS.max.toLocaleString('en-US')} are left out`,
      hint: 'narrow the selection with requestMetadataFilters so the records that matter are the ones used',
    });
  if (usable < INVOCATION_LOG_LIMITS.recommendedMin) {
    const reasons = [
      entries.length + (issueCounts.INVALID_JSON ?? 0) === 0 ? 'no invocation log records were found' : '',
      dropped.filtered ? `${dropped.filtered} did not pass the request metadata filters` : '',
      dropped.otherModel ? `${dropped.otherModel} were answered by another model` : '',
    ].filter(Boolean);
    add({
      severity: 'error',
      code: 'TOO_FEW_RECORDS',
      path: '',
      message: `${usable} usable ${what}${reasons.length ? ` (${reasons.join('; ')})` : ''}; Bedrock asks for at least ${INVOCATION_LOG_LIMITS.recommendedMin}`,
      hint: options.requestMetadataFilters
        ? 'log more invocations with matching requestMetadata, or loosen the filters'
        : 'log more invocations (Converse or InvokeModel with model invocation logging on), or put prompts in a JSONL file',
    });
  }

  const texts = records.map(conversationText);
  const characters = texts.reduce((sum, t) => sum + t.length, 0);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const t of texts) {
    if (seen.has(t)) duplicates++;
    seen.add(t);
  }

  return {
    valid: errorCount === 0,
    format: 'bedrock-conversation-2024',
    model: options.model,
    method: 'distillation',
    role: 'training',
    records: usable,
    errors,
    warnings,
    errorCount,
    warningCount,
    issueCounts,
    stats: {
      lines,
      records: usable,
      blankLines,
      bytes,
      characters,
      estimatedTokens: texts.reduce((sum, t) => sum + estimateTokens(t), 0),
      maxRecordCharacters: texts.reduce((max, t) => Math.max(max, t.length), 0),
      duplicates,
      formats: { 'model-invocation-log': entries.length },
    },
    invocationLogs: {
      files: files.length,
      logRecords: entries.length,
      usePromptResponse: options.usePromptResponse === true,
      ...(options.teacherModelId ? { teacher: options.teacherModelId } : {}),
      dropped,
    },
  };
}
