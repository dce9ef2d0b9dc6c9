import { err, type LocatedConversation, warn } from '../formats/types.ts';
import { CHARS_PER_TOKEN } from '../tokens.ts';
import type { RecordRule } from './types.ts';

/** Above this share of the limit a record is "very long": it will be slow and may be truncated. */
const LONG_SHARE = 0.8;

/** Characters a record trains on: the system prompt and every turn (allocation-free: the validator's hot path). */
export function recordChars({ system, turns }: LocatedConversation): number {
  let chars = system?.text.length ?? 0;
  for (const t of turns) chars += t.text.length;
  return chars;
}

/** Per-record length against the catalog's token/character limit (or the model's context window). */
export const recordLength: RecordRule = {
  name: 'record-length',
  check(conversation, { model, maxRecordChars }, issues) {
    const chars = recordChars(conversation);
    const tokens = Math.ceil(chars / CHARS_PER_TOKEN);
    const limitTokens = Math.floor(maxRecordChars / CHARS_PER_TOKEN);
    if (chars > maxRecordChars) {
      issues.push(
        err(
          'RECORD_TOO_LONG',
          '',
          `the record has ${chars.toLocaleString('en-US')} characters (~${tokens.toLocaleString('en-US')} tokens); ${model.name} allows ~${limitTokens.toLocaleString('en-US')} tokens per record`,
          'shorten the record or split it into several records',
        ),
      );
    } else if (chars > maxRecordChars * LONG_SHARE) {
      issues.push(
        warn(
          'LONG_RECORD',
          '',
          `the record has ~${tokens.toLocaleString('en-US')} tokens, over ${LONG_SHARE * 100}% of the ${limitTokens.toLocaleString('en-US')}-token limit`,
          'consider shortening it',
        ),
      );
    }
  },
};

/** Characters allowed per record: catalog chars, else tokens x 6, else the context window in the id (":0:128k"). */
export function maxRecordCharsFor(model: {
  id: string;
  limits: { maxCharsPerRecord: number | null; maxTokensPerRecord: number | null };
}): number {
  if (model.limits.maxCharsPerRecord) return model.limits.maxCharsPerRecord;
  if (model.limits.maxTokensPerRecord) return model.limits.maxTokensPerRecord * CHARS_PER_TOKEN;
  const context = /:(\d+)k$/.exec(model.id);
  return (context ? Number(context[1]) * 1000 : 8000) * CHARS_PER_TOKEN;
}
