import { err, type LocatedTurn } from '../formats/types.ts';
import type { RecordRule } from './types.ts';

type Issues = Parameters<RecordRule['check']>[2];

/** A role error points at the turn's "role" (its located path is the content's). */
export const rolePath = (turn: LocatedTurn) => turn.path.replace(/\.content$/, '.role');

/** The conversation starts with the user. */
export function firstIsUser(turns: LocatedTurn[], issues: Issues): void {
  const first = turns[0];
  if (first && first.role !== 'user')
    issues.push(
      err(
        'ROLE_ORDER',
        rolePath(first),
        'the first message must be from "user"',
        'start the conversation with the user turn',
      ),
    );
}

/** Roles alternate user, assistant, user, ... */
export function rolesAlternate(turns: LocatedTurn[], issues: Issues): void {
  for (let i = 1; i < turns.length; i++)
    if (turns[i]!.role === turns[i - 1]!.role)
      issues.push(
        err(
          'ROLE_ORDER',
          rolePath(turns[i]!),
          `two "${turns[i]!.role}" messages in a row; roles must alternate user, assistant, user, ...`,
          'merge the two messages or insert the missing turn',
        ),
      );
}

/** At least one exchange; first turn user, last assistant, roles alternate (bedrock-facts.md §2.2). */
export const roleOrder: RecordRule = {
  name: 'role-order',
  check({ turns }, _ctx, issues) {
    if (turns.length < 2) {
      issues.push(
        err(
          'TOO_FEW_TURNS',
          'messages',
          `the conversation has ${turns.length} message(s); at least a user turn and an assistant answer are needed`,
          'add the missing user or assistant message (prompts for a teacher model: validate with --method distillation)',
        ),
      );
      return;
    }
    firstIsUser(turns, issues);
    const last = turns[turns.length - 1]!;
    if (last.role !== 'assistant') {
      issues.push(
        err(
          'ROLE_ORDER',
          rolePath(last),
          'the last message must be from "assistant" (the answer the model learns)',
          'end the conversation with the assistant answer',
        ),
      );
    }
    rolesAlternate(turns, issues);
  },
};
