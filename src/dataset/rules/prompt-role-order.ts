import { err, type LocatedTurn, warn } from '../formats/types.ts';
import type { RecordRule } from './types.ts';

/** A role error points at the turn's "role" (its located path is the content's). */
const rolePath = (turn: LocatedTurn) => turn.path.replace(/\.content$/, '.role');

function alternation(turns: LocatedTurn[], issues: Parameters<RecordRule['check']>[2]) {
  if (turns[0] && turns[0].role !== 'user')
    issues.push(
      err(
        'ROLE_ORDER',
        rolePath(turns[0]),
        'the first message must be from "user"',
        'start the conversation with the user turn',
      ),
    );
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

const noPrompt = (hint: string) => err('TOO_FEW_TURNS', 'messages', 'the record has no user prompt', hint);

/**
 * Distillation prompts: a user turn is required, an assistant answer optional — "[Optional] include
 * assistant role containing the desired response", used as golden examples for the teacher
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-1.html). Nova
 * students take several exchanges per record (same page); the catalog has Nova students only.
 */
export const distillationRoleOrder: RecordRule = {
  name: 'distillation-role-order',
  check({ turns }, _ctx, issues) {
    if (turns.length === 0) {
      issues.push(noPrompt('add {"role": "user", "content": [{"text": "<prompt>"}]}'));
      return;
    }
    alternation(turns, issues);
  },
};

/**
 * Reinforcement prompts: the model samples its own answers to the conversation and the grader scores
 * them, so the record ends with the user's turn. An assistant last turn is reported as a warning: AWS's
 * page allows assistant messages in the prompt without saying where (UNCONFIRMED whether Bedrock rejects it).
 */
export const reinforcementRoleOrder: RecordRule = {
  name: 'reinforcement-role-order',
  check({ turns }, _ctx, issues) {
    if (!turns.some((t) => t.role === 'user')) {
      issues.push(noPrompt('add {"role": "user", "content": "<prompt>"} to "messages"'));
      return;
    }
    alternation(turns, issues);
    const last = turns[turns.length - 1]!;
    if (last.role === 'assistant')
      issues.push(
        warn(
          'ANSWER_IN_PROMPT',
          rolePath(last),
          'the record ends with an assistant message; in reinforcement fine-tuning the model writes the answer and the grader scores it',
          'end "messages" with the user turn and put the expected answer in "reference_answer"',
        ),
      );
  },
};
