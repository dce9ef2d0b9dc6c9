// Run with: node --test graders/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handler } from './grader.mjs';

const sample = (id, answer, reference) => ({
  id,
  messages: [
    { role: 'user', content: 'What is the capital of Japan?' },
    { role: 'assistant', content: answer },
  ],
  metadata: { reference_answer: reference },
});

test('a correct answer scores 1, a wrong one 0, one result per sample with its id', async () => {
  const results = await handler([
    sample('a', 'The capital of Japan is Tokyo.', { answer: 'Tokyo' }),
    sample('b', 'The capital of France is Paris.', { answer: 'Tokyo' }),
  ]);
  assert.deepEqual(
    results.map((r) => [r.id, r.aggregate_reward_score]),
    [
      ['a', 1],
      ['b', 0],
    ],
  );
});

test('every result has the shape Bedrock reads: a numeric score and a metrics list', async () => {
  const [result] = await handler([sample('c', 'Tokyo', 'Tokyo')]);
  assert.equal(typeof result.aggregate_reward_score, 'number');
  assert.ok(result.metrics_list.every((m) => typeof m.name === 'string' && typeof m.value === 'number'));
});
