import type { Conversation } from '../conversation.ts';
import { err, type FormatHandler, type IssueDraft, type LocatedTurn, typeName } from './types.ts';

const LABEL = 'OpenAI chat completions (reinforcement fine-tuning)';

/**
 * Reinforcement fine-tuning records: "the OpenAI chat completion format" — `messages` ({role: system |
 * user | assistant, content: string}) plus `reference_answer`, "the expected output or evaluation criteria
 * that your reward function uses" (any JSON); other top-level fields are allowed, "used by grader Lambda
 * for grading" (https://docs.aws.amazon.com/bedrock/latest/userguide/rft-prepare-data.html; `id` and
 * `tools` in https://docs.aws.amazon.com/sagemaker/latest/dg/nova-hp-rft-nova2.html). System messages
 * lead; the record is a prompt: the model's own sampled answers are what the grader scores.
 */
export const openaiChat: FormatHandler = {
  name: 'openai-chat',
  label: LABEL,
  example:
    '{"messages": [{"role": "system", "content": "You are a math tutor"}, {"role": "user", "content": "Solve: 2x + 5 = 13"}], "reference_answer": {"solution": "x = 4"}}',
  detect: (record) => 'reference_answer' in record,
  accepts: (record) => 'messages' in record && !('schemaVersion' in record),
  check(record, _ctx, issues) {
    const turns = checkChatMessages(record.messages, issues);
    const ref = record.reference_answer;
    if (ref === undefined || ref === null || ref === '') {
      issues.push(
        err(
          'MISSING_REFERENCE',
          'reference_answer',
          ref === undefined
            ? 'missing "reference_answer": your grader has nothing to score the answers against'
            : `"reference_answer" is ${ref === null ? 'null' : 'empty'}`,
          'add "reference_answer": the expected output or the criteria your grader reads (a string or an object)',
        ),
      );
    }
    if (!turns) return undefined;
    const system = turns.filter((t) => t.system);
    const rest = turns.filter((t): t is LocatedTurn & { system: false } => !t.system);
    return {
      ...(system.length
        ? { system: { text: system.map((t) => t.text).join('\n'), path: system[0]!.path } }
        : {}),
      turns: rest.map(({ role, text, path }) => ({ role, text, path })),
    };
  },
  fromConversation(_conversation: Conversation) {
    return {
      refusal:
        'has no "reference_answer" for a grader: reinforcement records need the expected output or criteria your grader reads, which only you can write',
    };
  },
};

type ChatTurn = (LocatedTurn & { system: false }) | { system: true; text: string; path: string };

function checkChatMessages(value: unknown, issues: IssueDraft[]): ChatTurn[] | undefined {
  if (!Array.isArray(value)) {
    issues.push(
      value === undefined
        ? err(
            'MISSING_FIELD',
            'messages',
            'missing "messages" (the prompt)',
            'add "messages": [{"role": "user", "content": "..."}]',
          )
        : err(
            'WRONG_TYPE',
            'messages',
            `"messages" must be an array, found ${typeName(value)}`,
            'write "messages" as a JSON array of {"role", "content"} objects',
          ),
    );
    return undefined;
  }
  const turns: ChatTurn[] = [];
  let ok = true;
  let seenNonSystem = false;
  value.forEach((message: unknown, i) => {
    const path = `messages[${i}]`;
    const m = message as Record<string, unknown>;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      issues.push(
        err(
          'WRONG_TYPE',
          path,
          `each message must be an object, found ${typeName(message)}`,
          'write {"role": "user", "content": "..."}',
        ),
      );
      ok = false;
      return;
    }
    const { role, content } = m;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      issues.push(
        err(
          role === undefined ? 'MISSING_FIELD' : 'INVALID_ROLE',
          `${path}.role`,
          role === undefined
            ? 'missing "role"'
            : `role ${JSON.stringify(role)} is not allowed; only "system", "user" and "assistant" are`,
          'use "system", "user" or "assistant"',
        ),
      );
      ok = false;
    }
    if (typeof content !== 'string') {
      issues.push(
        err(
          content === undefined ? 'MISSING_FIELD' : 'WRONG_TYPE',
          `${path}.content`,
          content === undefined
            ? 'missing "content"'
            : `"content" must be a string in the chat completions format, found ${typeName(content)}`,
          'write "content": "<text>"',
        ),
      );
      ok = false;
      return;
    }
    if (role === 'system') {
      if (seenNonSystem) {
        issues.push(
          err(
            'ROLE_ORDER',
            `${path}.role`,
            'a system message after the conversation started',
            'put system messages first',
          ),
        );
        ok = false;
      }
      turns.push({ system: true, text: content, path: `${path}.content` });
    } else if (role === 'user' || role === 'assistant') {
      seenNonSystem = true;
      turns.push({ system: false, role, text: content, path: `${path}.content` });
    }
  });
  return ok ? turns : undefined;
}
