import { err, type LocatedTurn, warn } from '../formats/types.ts';
import { firstIsUser, rolePath, rolesAlternate } from './role-order.ts';
import type { RecordRule } from './types.ts';

/** The prompt's turns: first the user's, alternating (as for fine-tuning records, without the answer). */
function alternation(turns: LocatedTurn[], issues: Parameters<RecordRule['check']>[2]) {
  firstIsUser(turns, issues);
  rolesAlternate(turns, issues);
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
