import { readFileSync } from 'node:fs';
import type { Conversation } from '../../dataset/conversation.ts';

/**
 * Reads a bedrock-conversation-2024 JSONL file into conversations, for the engine's own tests and
 * benchmark (the product path gets conversations from the dataset module via the control plane).
 */
interface Line {
  system?: { text: string }[];
  messages: { role: 'user' | 'assistant'; content: { text: string }[] }[];
}

export function readConversations(path: string): Conversation[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = JSON.parse(line) as Line;
      return {
        system: record.system?.map((s) => s.text).join('\n'),
        turns: record.messages.map((m) => ({ role: m.role, text: m.content.map((c) => c.text).join('') })),
      };
    });
}
