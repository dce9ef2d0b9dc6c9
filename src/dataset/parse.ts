import { TunekitError } from '../errors.ts';
import type { Conversation } from './conversation.ts';
import { detectFormat, toConversation } from './formats/registry.ts';
import type { DatasetFormat } from './schema.ts';

/**
 * Parses a whole (already validated) JSONL buffer into conversations, for trainers and evaluators.
 * Blank lines are skipped; anything else that is not a valid record throws TunekitError naming the
 * line — call validateDataset first to get every problem at once.
 */
export function parseConversations(buffer: Buffer, format?: DatasetFormat): Conversation[] {
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: Conversation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new TunekitError(
        'DATA.INVALID_RECORD',
        `line ${i + 1}: not valid JSON: ${(cause as Error).message}`,
        {
          hint: 'run `tunekit data validate <file>` for every problem and its fix',
          cause,
        },
      );
    }
    const recordFormat = format ?? detectFormat(value);
    try {
      out.push(toConversation(value, recordFormat));
    } catch (cause) {
      throw new TunekitError('DATA.INVALID_RECORD', `line ${i + 1}: ${(cause as Error).message}`, {
        hint: 'run `tunekit data validate <file>` for every problem and its fix',
        cause,
      });
    }
  }
  return out;
}
