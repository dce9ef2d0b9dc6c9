import type { Conversation } from '../conversation.ts';
import { checkMessages, firstContentShape } from './messages.ts';
import { checkUnknownKeys, err, type FormatHandler, type IssueDraft, typeName } from './types.ts';

const LABEL = 'Claude 3 Haiku messages';

function readString(value: unknown, path: string, issues: IssueDraft[]): string | undefined {
  if (typeof value === 'string') return value;
  issues.push(
    value === undefined
      ? err('MISSING_FIELD', path, 'missing "content"', 'add "content": "<text>"')
      : Array.isArray(value)
        ? err(
            'WRONG_TYPE',
            path,
            'content is an array of blocks here, but Claude 3 Haiku fine-tuning needs a plain string',
            'write "content": "<text>" (content blocks are the bedrock-conversation-2024 shape)',
          )
        : err(
            'WRONG_TYPE',
            path,
            `"content" must be a string, found ${typeName(value)}`,
            'write "content": "<text>"',
          ),
  );
  return undefined;
}

/** `{"system": "...", "messages": [{"role": "user", "content": "..."}]}` (bedrock-facts.md §2.1–2.2). */
export const claudeMessages: FormatHandler = {
  name: 'claude-messages',
  label: LABEL,
  example:
    '{"system": "...", "messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}',
  detect(record) {
    if ('schemaVersion' in record || !('messages' in record)) return false;
    const shape = firstContentShape(record);
    return shape === 'string' || (shape === undefined && typeof record.system === 'string');
  },
  check(record, _ctx, issues) {
    checkUnknownKeys(record, ['system', 'messages'], '', LABEL, issues);
    let systemOk = true;
    const system = record.system;
    if (system !== undefined && typeof system !== 'string') {
      issues.push(
        err(
          'SYSTEM_SHAPE',
          'system',
          `"system" must be a string for Claude 3 Haiku, found ${typeName(system)}`,
          'write "system": "<text>"',
        ),
      );
      systemOk = false;
    }
    const turns = checkMessages(record.messages, LABEL, readString, issues);
    if (turns === undefined || !systemOk) return undefined;
    return typeof system === 'string' ? { system: { text: system, path: 'system' }, turns } : { turns };
  },
  fromConversation(conversation: Conversation) {
    const record: Record<string, unknown> = {};
    if (conversation.system) record.system = conversation.system;
    record.messages = conversation.turns.map((t) => ({ role: t.role, content: t.text }));
    return { record };
  },
};
