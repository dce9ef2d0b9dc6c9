import type { ModelSpec } from '../../models/schema.ts';
import type { DatasetFormat, Severity } from '../schema.ts';

/** An issue found inside one record; the engine adds the line number. */
export interface IssueDraft {
  severity: Severity;
  code: string;
  path: string;
  message: string;
  hint: string;
}

/** A turn or system prompt that remembers where it came from, so rules can name the JSON path. */
export interface LocatedText {
  text: string;
  path: string;
}
export interface LocatedTurn extends LocatedText {
  role: 'user' | 'assistant';
}
export interface LocatedConversation {
  system?: LocatedText;
  turns: LocatedTurn[];
}

/** Model facts a format needs while checking one record (from the catalog row). */
export interface FormatContext {
  model: ModelSpec | undefined;
}

/**
 * One dataset format: a small, self-contained plug-in. `check` both validates a parsed record
 * (pushing issues with JSON paths) and converts it, so the hot path walks each record once.
 */
export interface FormatHandler {
  readonly name: DatasetFormat;
  /** For messages: "prompt/completion", "bedrock-conversation-2024", "Claude 3 Haiku messages". */
  readonly label: string;
  readonly example: string;
  /** A cheap guess from the keys alone: does this record look like this format? */
  detect(record: Record<string, unknown>): boolean;
  /**
   * Records detected as another format that this format still checks itself, because they share its
   * shape (a chat record missing its reference_answer looks like Claude messages): its own errors then
   * name what is missing instead of "wrong format".
   */
  accepts?(record: Record<string, unknown>): boolean;
  /** Validates the record's structure; returns the conversation when it is structurally usable. */
  check(
    record: Record<string, unknown>,
    ctx: FormatContext,
    issues: IssueDraft[],
  ): LocatedConversation | undefined;
  /** The record for a conversation, or why this format cannot hold it faithfully. */
  fromConversation(
    conversation: import('../conversation.ts').Conversation,
  ): { record: object } | { refusal: string };
}

export const err = (code: string, path: string, message: string, hint: string): IssueDraft => ({
  severity: 'error',
  code,
  path,
  message,
  hint,
});
export const warn = (code: string, path: string, message: string, hint: string): IssueDraft => ({
  severity: 'warning',
  code,
  path,
  message,
  hint,
});

export const typeName = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

/** Reports keys the format does not define (Bedrock rejects records with extraneous keys). */
export function checkUnknownKeys(
  record: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  formatLabel: string,
  issues: IssueDraft[],
): void {
  for (const key in record) {
    if (!allowed.includes(key)) {
      issues.push(
        err(
          'UNKNOWN_FIELD',
          prefix ? `${prefix}.${key}` : key,
          `unknown field "${key}" (${formatLabel} allows only ${allowed.map((k) => `"${k}"`).join(', ')})`,
          `remove "${key}" or move its content into an allowed field`,
        ),
      );
    }
  }
}

/** A required string field: reports missing/wrong type; returns the string or undefined. */
export function requireString(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueDraft[],
  what: string,
): string | undefined {
  const value = record[key];
  if (typeof value === 'string') return value;
  if (value === undefined) {
    issues.push(err('MISSING_FIELD', path, `missing "${key}" (${what})`, `add "${key}": "<text>"`));
  } else {
    issues.push(
      err(
        'WRONG_TYPE',
        path,
        `"${key}" must be a string, found ${typeName(value)}`,
        `write "${key}" as a JSON string`,
      ),
    );
  }
  return undefined;
}
