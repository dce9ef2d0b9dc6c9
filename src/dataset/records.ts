import type { Conversation } from './conversation.ts';
import { detectFormat, toConversation } from './formats/registry.ts';
import type { DatasetFormat } from './schema.ts';

export type ParsedLine =
  | { ok: true; format: DatasetFormat; conversation: Conversation; record: object }
  | { ok: false; blank: boolean; reason: string };

/** Parses one line leniently: a usable conversation, or why not (for tools that skip bad lines). */
export function parseLine(text: string | undefined, format?: DatasetFormat): ParsedLine {
  if (text === undefined) return { ok: false, blank: false, reason: 'not readable UTF-8 text, or too long' };
  if (text.trim() === '') return { ok: false, blank: true, reason: 'blank line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, blank: false, reason: 'not valid JSON' };
  }
  const detected = format ?? detectFormat(value);
  if (!detected) return { ok: false, blank: false, reason: 'not a record in a known format' };
  try {
    return {
      ok: true,
      format: detected,
      conversation: toConversation(value, detected),
      record: value as object,
    };
  } catch (e) {
    return { ok: false, blank: false, reason: (e as Error).message };
  }
}

/** Characters of text a conversation trains on (system prompt + every turn). */
export function conversationChars(c: Conversation): number {
  let n = c.system?.length ?? 0;
  for (const t of c.turns) n += t.text.length;
  return n;
}
