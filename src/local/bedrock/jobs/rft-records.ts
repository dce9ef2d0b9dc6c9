import type { Conversation, Turn } from '../../../dataset/conversation.ts';
import type { GraderMessage } from './grader-runtime.ts';

/**
 * Reads an RFT training file: JSON Lines in the OpenAI reinforcement fine-tuning format that Nova 2 RFT
 * uses — `messages` (system, user, optionally assistant; `content` a string), `reference_answer` (what
 * the grader checks against; required), optional `id`, and any other fields, which the grader receives in
 * `metadata` (https://docs.aws.amazon.com/nova/latest/nova2-userguide/nova-data-prep-rft-2.html;
 * https://docs.aws.amazon.com/bedrock/latest/userguide/reward-functions.html). The first problem ends
 * the read with its line and path, as a job's data validation does.
 */

export interface RftRecord {
  id: string;
  line: number;
  /** the prompt as the grader sees it (without the generated answer) */
  messages: GraderMessage[];
  /** the prompt as the engine takes it */
  prompt: Conversation;
  metadata: Record<string, unknown>;
}

export class RftDataError extends Error {}

function text(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  // Bedrock-conversation style content blocks are accepted too: [{ text }].
  if (Array.isArray(content) && content.every((b) => typeof (b as { text?: unknown })?.text === 'string'))
    return content.map((b) => (b as { text: string }).text).join('');
  return undefined;
}

function record(value: unknown, line: number): RftRecord {
  const fail = (path: string, message: string) => new RftDataError(`line ${line} ${path}: ${message}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw fail('(record)', 'expected a JSON object with messages and reference_answer');
  const r = value as Record<string, unknown>;
  if (!Array.isArray(r.messages) || r.messages.length === 0)
    throw fail('messages', 'required: a non-empty array of { role, content }');
  const messages: GraderMessage[] = r.messages.map((m, i) => {
    const role = (m as { role?: unknown })?.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant')
      throw fail(`messages[${i}].role`, `must be system, user or assistant (got ${JSON.stringify(role)})`);
    const content = text((m as { content?: unknown }).content);
    if (content === undefined) throw fail(`messages[${i}].content`, 'must be a string');
    return { role, content };
  });
  if (messages.at(-1)!.role !== 'user')
    throw fail(
      `messages[${messages.length - 1}].role`,
      'the last message must be the user prompt the model answers',
    );
  if (r.reference_answer === undefined)
    throw fail('reference_answer', 'required: the expected output or criteria your grader scores against');
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns: Turn[] = messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role as Turn['role'], text: m.content }));
  const { messages: _m, id, tools: _t, ...metadata } = r;
  return {
    id:
      typeof id === 'string' || typeof id === 'number'
        ? String(id)
        : `sample-${String(line).padStart(3, '0')}`,
    line,
    messages,
    prompt: { ...(system.length ? { system: system.join('\n') } : {}), turns },
    metadata,
  };
}

export function parseRftRecords(buffer: Uint8Array): RftRecord[] {
  let content = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('utf8');
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const out: RftRecord[] = [];
  content.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new RftDataError(`line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    out.push(record(value, i + 1));
  });
  if (out.length === 0) throw new RftDataError('the file has no records');
  return out;
}
