import { err, warn } from '../formats/types.ts';
import type { RecordRule } from './types.ts';

/** Shorter than this (trimmed) an answer teaches the model almost nothing; a warning, not an error. */
const NEAR_EMPTY_ANSWER_CHARS = 3;

/** Empty prompts/answers make Bedrock jobs fail; near-empty answers are suspicious. */
export const emptyText: RecordRule = {
  name: 'empty-text',
  check({ system, turns }, _ctx, issues) {
    if (system && system.text.trim() === '') {
      issues.push(
        err(
          'EMPTY_TEXT',
          system.path,
          'the system prompt is empty',
          'remove "system" or write the instruction',
        ),
      );
    }
    for (const turn of turns) {
      const trimmed = turn.text.trim().length;
      if (trimmed === 0) {
        issues.push(
          err(
            'EMPTY_TEXT',
            turn.path,
            `the ${turn.role === 'user' ? 'prompt' : 'answer'} is empty`,
            turn.role === 'user'
              ? 'write the question or remove the record'
              : 'write the expected answer or remove the record',
          ),
        );
      } else if (turn.role === 'assistant' && trimmed < NEAR_EMPTY_ANSWER_CHARS) {
        issues.push(
          warn(
            'NEAR_EMPTY_ANSWER',
            turn.path,
            `the answer is only ${JSON.stringify(turn.text.trim())}`,
            'check that the answer is complete',
          ),
        );
      }
    }
  },
};
