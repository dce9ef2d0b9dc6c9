import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { baseModelIdOf, findTeacher } from '../models/teachers.ts';
import type { Conversation, Turn } from './conversation.ts';

/**
 * Bedrock model invocation logs as distillation data (trainingDataConfig.invocationLogsConfig).
 *
 * What a log record is: `{schemaType: "ModelInvocationLog", schemaVersion: "1.0", timestamp, accountId,
 * region, requestId, operation, modelId, input {inputContentType, inputBodyJson, inputTokenCount}, output
 * {outputContentType, outputBodyJson, outputTokenCount}, requestMetadata?}`; Bedrock delivers them to S3 as
 * gzip-compressed JSON Lines under `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/
 * YYYY/MM/DD/HH/`, with payloads too large for a record under a `data/` folder
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-2.html; layout as
 * published by AWS samples and bucket policies in the wild, UNCONFIRMED in AWS's own reference).
 *
 * How Bedrock uses them: only the prompts (the teacher answers again, `usePromptResponse` false, the
 * default) or the prompt-response pairs as logged (`usePromptResponse` true, then only pairs "generated
 * from the model ... that exactly match with the teacher model you've chosen"); at most 15K records;
 * request metadata filters pick records: one of equals / notEquals / andAll / orAll, not combined
 * (same page; shapes from botocore's RequestMetadataFilters).
 */

export const INVOCATION_LOG_SCHEMA_TYPE = 'ModelInvocationLog';

/** Bounds from the AWS page above: "a maximum of 15K", and "at least 100" recommended. */
export const INVOCATION_LOG_LIMITS = { recommendedMin: 100, max: 15_000 } as const;

/** One log record read as training data: what was asked, and what the model answered (when logged). */
export interface InvocationLogEntry {
  modelId: string;
  operation: string;
  requestMetadata: Record<string, string>;
  prompt: Conversation;
  response?: string;
}

export interface InvocationLogProblem {
  code: string;
  path: string;
  message: string;
  hint: string;
}

export type ParsedInvocationLog =
  | { ok: true; entry: InvocationLogEntry }
  | { ok: false; problem: InvocationLogProblem };

// --- request metadata filters -------------------------------------------------------------------------

/** botocore RequestMetadataMap: exactly one key (1-256 chars) and its value (0-256 chars). */
const KEY = /^[a-zA-Z0-9\s._:/=+$@-]{1,256}$/;
const VALUE = /^[a-zA-Z0-9\s._:/=+$@-]{0,256}$/;
const OnePair = z
  .record(
    z.string().regex(KEY, 'a metadata key is 1-256 letters, digits, spaces or ._:/=+$@-'),
    z.string().regex(VALUE, 'a metadata value is 0-256 letters, digits, spaces or ._:/=+$@-'),
  )
  .refine((m) => Object.keys(m).length === 1, 'must hold exactly one key and its value');

// botocore's RequestMetadataBaseFilters is not a union; "you cannot combine operations" (the AWS page
// above) is read as one operator per base filter too: UNCONFIRMED.
const BaseFilter = z
  .object({ equals: OnePair.optional(), notEquals: OnePair.optional() })
  .strict()
  .refine(
    (f) => (f.equals === undefined) !== (f.notEquals === undefined),
    'must set exactly one of equals, notEquals',
  );

/** RequestMetadataFilters: a union, exactly one of its members (botocore `union: true`). */
export const RequestMetadataFiltersSchema = z
  .object({
    equals: OnePair.optional(),
    notEquals: OnePair.optional(),
    andAll: z.array(BaseFilter).min(1).max(16).optional(),
    orAll: z.array(BaseFilter).min(1).max(16).optional(),
  })
  .strict()
  .refine(
    (f) => Object.values(f).filter((v) => v !== undefined).length === 1,
    'must set exactly one of equals, notEquals, andAll, orAll (Bedrock does not combine them)',
  );
export type RequestMetadataFilters = z.infer<typeof RequestMetadataFiltersSchema>;

function pairMatches(pair: Record<string, string>, metadata: Record<string, string>): boolean {
  const [key, value] = Object.entries(pair)[0]!;
  return metadata[key] === value;
}

function baseMatches(
  filter: { equals?: Record<string, string>; notEquals?: Record<string, string> },
  metadata: Record<string, string>,
) {
  if (filter.equals) return pairMatches(filter.equals, metadata);
  return !pairMatches(filter.notEquals!, metadata);
}

/** Whether a record's request metadata passes the filters (no filters: every record passes). */
export function matchesRequestMetadata(
  filters: RequestMetadataFilters | undefined,
  metadata: Record<string, string>,
): boolean {
  if (!filters) return true;
  if (filters.andAll) return filters.andAll.every((f) => baseMatches(f, metadata));
  if (filters.orAll) return filters.orAll.some((f) => baseMatches(f, metadata));
  return baseMatches(filters, metadata);
}

// --- reading a record ---------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a content value: a string, or blocks with `text` (Converse, Nova, Anthropic messages). */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((block) =>
    isObject(block) && typeof block.text === 'string' ? [block.text] : [],
  );
  return texts.length ? texts.join('') : undefined;
}

/** The prompt of a request body: Converse and messages-style bodies, or a single text prompt. */
function promptOf(body: Record<string, unknown>): Conversation | InvocationLogProblem {
  if (Array.isArray(body.messages)) {
    const turns: Turn[] = [];
    for (const [i, message] of body.messages.entries()) {
      const role = isObject(message) ? message.role : undefined;
      const text = isObject(message) ? textOf(message.content) : undefined;
      if ((role !== 'user' && role !== 'assistant') || text === undefined)
        return {
          code: 'LOG_UNREADABLE_MESSAGE',
          path: `input.inputBodyJson.messages[${i}]`,
          message: 'the message is not a user or assistant turn with text',
          hint: 'only text conversations can be distilled; leave image, document and tool calls out of the logs (filter them with request metadata)',
        };
      turns.push({ role, text });
    }
    const system = textOf(body.system);
    return { ...(system ? { system } : {}), turns };
  }
  // Single-prompt bodies of other model families: Llama `prompt`, Titan `inputText`.
  const text =
    typeof body.prompt === 'string'
      ? body.prompt
      : typeof body.inputText === 'string'
        ? body.inputText
        : undefined;
  if (text !== undefined) return { turns: [{ role: 'user', text }] };
  return {
    code: 'LOG_NO_PROMPT',
    path: 'input.inputBodyJson',
    message: 'the request body has no messages or prompt text',
    hint: 'log text invocations (Converse or InvokeModel with messages); embeddings and images cannot be distilled',
  };
}

/** The answer of a response body: Converse, Nova, Anthropic messages, Llama, Titan. */
function responseOf(body: unknown): string | undefined {
  if (Array.isArray(body))
    return (
      body
        .map(responseOf)
        .filter((t) => t !== undefined)
        .join('') || undefined
    ); // streamed chunks
  if (!isObject(body)) return undefined;
  const output = body.output;
  if (isObject(output) && isObject(output.message)) return textOf(output.message.content);
  if (Array.isArray(body.content)) return textOf(body.content);
  for (const key of ['generation', 'completion', 'outputText'] as const)
    if (typeof body[key] === 'string') return body[key] as string;
  if (
    Array.isArray(body.results) &&
    isObject(body.results[0]) &&
    typeof body.results[0].outputText === 'string'
  )
    return body.results[0].outputText;
  return undefined;
}

function problem(code: string, path: string, message: string, hint: string): ParsedInvocationLog {
  return { ok: false, problem: { code, path, message, hint } };
}

/** Whether a parsed JSON line looks like a model invocation log record (for auto-detection). */
export function isInvocationLog(value: unknown): boolean {
  return isObject(value) && value.schemaType === INVOCATION_LOG_SCHEMA_TYPE;
}

/** One log record as a prompt (and the logged answer), or the reason it cannot be used. */
export function parseInvocationLog(value: unknown): ParsedInvocationLog {
  if (!isObject(value) || value.schemaType !== INVOCATION_LOG_SCHEMA_TYPE)
    return problem(
      'LOG_NOT_INVOCATION_LOG',
      'schemaType',
      `this is not a model invocation log record (schemaType is not "${INVOCATION_LOG_SCHEMA_TYPE}")`,
      'point at the S3 prefix Bedrock writes invocation logs to (…/AWSLogs/<account>/BedrockModelInvocationLogs/), or validate a prompt file without --invocation-logs',
    );
  if (typeof value.modelId !== 'string' || value.modelId === '')
    return problem(
      'LOG_NO_MODEL_ID',
      'modelId',
      'the record names no modelId',
      'use the records as Bedrock wrote them',
    );
  const operation = typeof value.operation === 'string' ? value.operation : '';
  const input = isObject(value.input) ? value.input : undefined;
  if (!input || !isObject(input.inputBodyJson))
    return problem(
      'LOG_NO_INPUT_TEXT',
      'input.inputBodyJson',
      'the record holds no request body',
      'turn on text data delivery in the logging configuration (textDataDeliveryEnabled: true); a body too large for the record (input.inputBodyS3Path) is not read',
    );
  const prompt = promptOf(input.inputBodyJson);
  if ('code' in prompt) return { ok: false, problem: prompt };
  if (prompt.turns.at(-1)?.role !== 'user')
    return problem(
      'LOG_PROMPT_NOT_USER',
      'input.inputBodyJson.messages',
      'the conversation does not end with a user message, so there is no prompt to answer',
      'log requests whose last message is the user turn',
    );
  if (prompt.turns.some((t) => t.text.trim() === ''))
    return problem(
      'LOG_EMPTY_PROMPT',
      'input.inputBodyJson.messages',
      'a message of the prompt is empty',
      'leave empty requests out of the logs',
    );
  const output = isObject(value.output) ? value.output : undefined;
  const response = output ? responseOf(output.outputBodyJson) : undefined;
  const metadata: Record<string, string> = {};
  if (isObject(value.requestMetadata))
    for (const [k, v] of Object.entries(value.requestMetadata)) if (typeof v === 'string') metadata[k] = v;
  return {
    ok: true,
    entry: {
      modelId: value.modelId,
      operation,
      requestMetadata: metadata,
      prompt,
      ...(response !== undefined && response.trim() !== '' ? { response } : {}),
    },
  };
}

// --- choosing the training records --------------------------------------------------------------------

export interface InvocationLogSelection {
  usePromptResponse?: boolean;
  /**
   * The distillation job's teacher (id, alias, inference profile or ARN): with usePromptResponse only its
   * answers count, so it is required then.
   */
  teacherModelId?: string;
  requestMetadataFilters?: RequestMetadataFilters;
}

export interface SelectedRecords {
  /** Training conversations: the prompt alone, or the prompt and the logged answer. */
  records: Conversation[];
  /** Records left out, by reason (filtered out by metadata, answered by another model, no logged answer, over 15K). */
  dropped: { filtered: number; otherModel: number; noResponse: number; overLimit: number };
}

/**
 * Which model an id names, comparable across ids, aliases (nova-pro), inference profiles and ARNs: the
 * teacher against the model that answered a record.
 */
const modelIdOf = (identifier: string) => baseModelIdOf(findTeacher(identifier)?.id ?? identifier);

/**
 * The records Bedrock would train on, following the job's invocationLogsConfig. Which records are kept
 * beyond the 15K maximum is not documented: the first in log (key) order here, UNCONFIRMED.
 */
export function selectTrainingRecords(
  entries: Iterable<InvocationLogEntry>,
  selection: InvocationLogSelection,
): SelectedRecords {
  if (selection.usePromptResponse && !selection.teacherModelId)
    throw new Error("usePromptResponse keeps only the teacher's answers: name the teacher");
  const dropped = { filtered: 0, otherModel: 0, noResponse: 0, overLimit: 0 };
  const records: Conversation[] = [];
  const teacher = selection.teacherModelId && modelIdOf(selection.teacherModelId);
  for (const entry of entries) {
    if (!matchesRequestMetadata(selection.requestMetadataFilters, entry.requestMetadata)) {
      dropped.filtered++;
      continue;
    }
    let record = entry.prompt;
    if (selection.usePromptResponse) {
      if (modelIdOf(entry.modelId) !== teacher) {
        dropped.otherModel++;
        continue;
      }
      if (entry.response === undefined) {
        dropped.noResponse++;
        continue;
      }
      record = {
        ...entry.prompt,
        turns: [...entry.prompt.turns, { role: 'assistant', text: entry.response }],
      };
    }
    if (records.length >= INVOCATION_LOG_LIMITS.max) {
      dropped.overLimit++;
      continue;
    }
    records.push(record);
  }
  return { records, dropped };
}

// --- log files ----------------------------------------------------------------------------------------

/** Whether an object key under the log prefix is a log file (not a large-payload body under data/). */
export function isInvocationLogKey(key: string): boolean {
  return !/(^|\/)data\//.test(key) && /\.(json|jsonl)(\.gz)?$/.test(key);
}

/** A log file's text: Bedrock gzips its log files; a plain JSON Lines file is read as it is. */
export function invocationLogText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer) : buffer).toString('utf8');
}
