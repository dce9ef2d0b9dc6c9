import type { Conversation } from '../conversation.ts';
import { checkMessages, firstContentShape } from './messages.ts';
import {
  checkUnknownKeys,
  err,
  type FormatHandler,
  type IssueDraft,
  type LocatedText,
  typeName,
  warn,
} from './types.ts';

const LABEL = 'bedrock-conversation-2024';
const SCHEMA_VERSION = 'bedrock-conversation-2024';

/**
 * Families whose `system` array may hold only one element: Llama 3.2 (bedrock-facts.md §2.2, from AWS's
 * meta-llama dataset validator). Keyed by catalog family so a new model is a data change.
 */
const SINGLE_SYSTEM_BLOCK_FAMILIES = new Set(['llama-3.2']);
const MEDIA_KEYS = ['image', 'video', 'document'];

/** Reads a content-block array (`[{"text": ...}]`), joining text blocks; media blocks are noted, not checked. */
function readBlocks(value: unknown, path: string, issues: IssueDraft[]): string | undefined {
  if (typeof value === 'string') {
    issues.push(
      err(
        'WRONG_TYPE',
        path,
        'content is a string here, but bedrock-conversation-2024 needs an array of blocks',
        'write "content": [{"text": "..."}] (a plain string is the Claude 3 Haiku shape)',
      ),
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    issues.push(
      value === undefined
        ? err('MISSING_FIELD', path, 'missing "content"', 'add "content": [{"text": "..."}]')
        : err(
            'WRONG_TYPE',
            path,
            `"content" must be an array of blocks, found ${typeName(value)}`,
            'write "content": [{"text": "..."}]',
          ),
    );
    return undefined;
  }
  if (value.length === 0) {
    issues.push(err('EMPTY_TEXT', path, 'content has no blocks', 'add at least one {"text": "..."} block'));
    return undefined;
  }
  const parts: string[] = [];
  let ok = true;
  value.forEach((block: unknown, i) => {
    const bpath = `${path}[${i}]`;
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      issues.push(
        err(
          'WRONG_TYPE',
          bpath,
          `a content block must be an object, found ${typeName(block)}`,
          'write the block as {"text": "..."}',
        ),
      );
      ok = false;
      return;
    }
    const b = block as Record<string, unknown>;
    if ('text' in b) {
      if (typeof b.text !== 'string') {
        issues.push(
          err(
            'WRONG_TYPE',
            `${bpath}.text`,
            `"text" must be a string, found ${typeName(b.text)}`,
            'write "text" as a JSON string',
          ),
        );
        ok = false;
      } else parts.push(b.text);
      checkUnknownKeys(b, ['text'], bpath, 'a text block', issues);
    } else if (MEDIA_KEYS.some((k) => k in b)) {
      issues.push(
        warn(
          'MEDIA_NOT_CHECKED',
          bpath,
          'media block: tunekit does not check images, videos or documents',
          'check the S3 location and size limits yourself (bedrock-facts.md §2.2)',
        ),
      );
    } else if ('reasoningContent' in b) {
      // Nova 2 Lite records may carry reasoning; it is not prompt or answer text.
    } else {
      issues.push(
        err(
          'UNKNOWN_FIELD',
          bpath,
          `unknown content block with keys ${Object.keys(b)
            .map((k) => `"${k}"`)
            .join(', ')}`,
          'use {"text": "..."}',
        ),
      );
      ok = false;
    }
  });
  return ok ? parts.join('\n') : undefined;
}

function readSystem(
  value: unknown,
  maxBlocks: number | undefined,
  issues: IssueDraft[],
): LocatedText | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    issues.push(
      err(
        'SYSTEM_SHAPE',
        'system',
        '"system" is a string here, but bedrock-conversation-2024 needs an array',
        'write "system": [{"text": "..."}]',
      ),
    );
    return false;
  }
  if (!Array.isArray(value)) {
    issues.push(
      err(
        'SYSTEM_SHAPE',
        'system',
        `"system" must be an array of {"text"} blocks, found ${typeName(value)}`,
        'write "system": [{"text": "..."}]',
      ),
    );
    return false;
  }
  if (maxBlocks !== undefined && value.length > maxBlocks) {
    issues.push(
      err(
        'SYSTEM_SHAPE',
        'system',
        `"system" has ${value.length} elements; this model allows only ${maxBlocks}`,
        'merge the system texts into one {"text": "..."} element',
      ),
    );
  }
  const text = readBlocks(value, 'system', issues);
  return text === undefined ? false : { text, path: 'system' };
}

/** Converse-style records for Nova and Llama 3.2 (bedrock-facts.md §2.1–2.2). */
export const bedrockConversation: FormatHandler = {
  name: 'bedrock-conversation-2024',
  label: LABEL,
  example: `{"schemaVersion": "${SCHEMA_VERSION}", "system": [{"text": "..."}], "messages": [{"role": "user", "content": [{"text": "..."}]}, {"role": "assistant", "content": [{"text": "..."}]}]}`,
  detect(record) {
    if ('schemaVersion' in record) return true;
    const shape = firstContentShape(record);
    return shape === 'array' || (shape === undefined && Array.isArray(record.system));
  },
  check(record, ctx, issues) {
    const version = record.schemaVersion;
    if (version === undefined) {
      issues.push(
        err(
          'MISSING_FIELD',
          'schemaVersion',
          'missing "schemaVersion"',
          `add "schemaVersion": "${SCHEMA_VERSION}"`,
        ),
      );
    } else if (typeof version !== 'string') {
      issues.push(
        err(
          'WRONG_TYPE',
          'schemaVersion',
          `"schemaVersion" must be a string, found ${typeName(version)}`,
          `write "schemaVersion": "${SCHEMA_VERSION}"`,
        ),
      );
    }
    checkUnknownKeys(record, ['schemaVersion', 'system', 'messages'], '', LABEL, issues);
    const family = ctx.model?.family;
    const system = readSystem(
      record.system,
      family && SINGLE_SYSTEM_BLOCK_FAMILIES.has(family) ? 1 : undefined,
      issues,
    );
    const turns = checkMessages(record.messages, LABEL, readBlocks, issues);
    if (turns === undefined || system === false) return undefined;
    return system ? { system, turns } : { turns };
  },
  fromConversation(conversation: Conversation) {
    const record: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION };
    if (conversation.system) record.system = [{ text: conversation.system }];
    record.messages = conversation.turns.map((t) => ({ role: t.role, content: [{ text: t.text }] }));
    return { record };
  },
};
