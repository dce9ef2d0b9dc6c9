import { err, type IssueDraft, type LocatedTurn, typeName } from './types.ts';

/**
 * The `messages` array shared by the two conversation formats; only the shape of `content` differs,
 * so the caller passes a reader for it. Role order is a rule (rules/role-order.ts), not checked here.
 */
export function checkMessages(
  value: unknown,
  formatLabel: string,
  readContent: (content: unknown, path: string, issues: IssueDraft[]) => string | undefined,
  issues: IssueDraft[],
): LocatedTurn[] | undefined {
  if (value === undefined) {
    issues.push(
      err(
        'MISSING_FIELD',
        'messages',
        'missing "messages" (the conversation turns)',
        'add "messages": [{"role": "user", ...}, {"role": "assistant", ...}]',
      ),
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    issues.push(
      err(
        'WRONG_TYPE',
        'messages',
        `"messages" must be an array, found ${typeName(value)}`,
        'write "messages" as a JSON array of {"role", "content"} objects',
      ),
    );
    return undefined;
  }
  const turns: LocatedTurn[] = [];
  let ok = true;
  value.forEach((message: unknown, i) => {
    const path = `messages[${i}]`;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      issues.push(
        err(
          'WRONG_TYPE',
          path,
          `each message must be an object, found ${typeName(message)}`,
          'write the message as {"role": "user", "content": ...}',
        ),
      );
      ok = false;
      return;
    }
    const m = message as Record<string, unknown>;
    for (const key in m) {
      if (key !== 'role' && key !== 'content') {
        issues.push(
          err(
            'UNKNOWN_FIELD',
            `${path}.${key}`,
            `unknown field "${key}" in a message (${formatLabel} messages have only "role" and "content")`,
            `remove "${key}"`,
          ),
        );
      }
    }
    const role = m.role;
    if (role !== 'user' && role !== 'assistant') {
      issues.push(
        role === undefined
          ? err(
              'MISSING_FIELD',
              `${path}.role`,
              'missing "role"',
              'add "role": "user" or "role": "assistant"',
            )
          : err(
              'INVALID_ROLE',
              `${path}.role`,
              `role ${JSON.stringify(role)} is not allowed; only "user" and "assistant" are`,
              role === 'system'
                ? 'move the system prompt to the top-level "system" field'
                : 'use "user" or "assistant"',
            ),
      );
      ok = false;
    }
    const text = readContent(m.content, `${path}.content`, issues);
    if (text === undefined) ok = false;
    else if (role === 'user' || role === 'assistant') turns.push({ role, text, path: `${path}.content` });
  });
  return ok ? turns : undefined;
}

/** Whether the first message's content is a plain string (Claude) or an array of blocks (Converse). */
export function firstContentShape(record: Record<string, unknown>): 'string' | 'array' | undefined {
  const first = Array.isArray(record.messages)
    ? (record.messages[0] as { content?: unknown } | null | undefined)
    : undefined;
  const content = first && typeof first === 'object' ? first.content : undefined;
  return typeof content === 'string' ? 'string' : Array.isArray(content) ? 'array' : undefined;
}
