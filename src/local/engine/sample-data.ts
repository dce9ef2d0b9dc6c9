import { readFileSync } from 'node:fs';
import type { Conversation } from '../../dataset/conversation.ts';
import { parseConversations } from '../../dataset/index.ts';

/** Reads a JSONL training file into conversations, for the engine's own tests and benchmark. */
export function readConversations(path: string): Conversation[] {
  return parseConversations(readFileSync(path));
}
