import { TunekitError } from '../../errors.ts';
import type { Conversation } from '../conversation.ts';
import type { DatasetFormat } from '../schema.ts';
import { bedrockConversation } from './bedrock-conversation.ts';
import { claudeMessages } from './claude-messages.ts';
import { openaiChat } from './openai-chat.ts';
import { promptCompletion } from './prompt-completion.ts';
import type { FormatHandler, IssueDraft } from './types.ts';

/** Every dataset format tunekit knows, by name. Adding a format is adding a file and a row here. */
export const FORMATS: Readonly<Record<DatasetFormat, FormatHandler>> = {
  'prompt-completion': promptCompletion,
  'bedrock-conversation-2024': bedrockConversation,
  'claude-messages': claudeMessages,
  'openai-chat': openaiChat,
};

// Order matters: the most specific shapes first.
const DETECT_ORDER: FormatHandler[] = [openaiChat, bedrockConversation, claudeMessages, promptCompletion];

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Which format a parsed record looks like, from its keys; undefined when none fits. */
export function detectFormat(record: unknown): DatasetFormat | undefined {
  if (!isObject(record)) return undefined;
  return DETECT_ORDER.find((f) => f.detect(record))?.name;
}

/** Converts one record to the neutral Conversation; throws TunekitError when it is not valid in its format. */
export function toConversation(record: unknown, format?: DatasetFormat): Conversation {
  const name = format ?? detectFormat(record);
  if (!name || !isObject(record)) {
    throw new TunekitError('DATA.UNKNOWN_FORMAT', 'record is not in a known dataset format', {
      hint: 'use prompt/completion, bedrock-conversation-2024 or the Claude 3 Haiku messages shape',
    });
  }
  const issues: IssueDraft[] = [];
  const located = FORMATS[name].check(record, { model: undefined }, issues);
  const firstError = issues.find((i) => i.severity === 'error');
  if (!located || firstError) {
    throw new TunekitError(
      'DATA.INVALID_RECORD',
      `${firstError?.path ?? ''}: ${firstError?.message ?? 'invalid record'}`,
      {
        hint: firstError?.hint ?? 'run `tunekit data validate` for the full list',
      },
    );
  }
  const turns = located.turns.map((t) => ({ role: t.role, text: t.text }));
  return located.system ? { system: located.system.text, turns } : { turns };
}

/** The record for a conversation in `format`, or the reason it cannot be written faithfully. */
export function fromConversation(
  conversation: Conversation,
  format: DatasetFormat,
): { record: object } | { refusal: string } {
  return FORMATS[format].fromConversation(conversation);
}
