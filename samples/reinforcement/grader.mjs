/**
 * A reward function (grader) for reinforcement fine-tuning, in the shape Amazon Bedrock's Lambda grader
 * has (https://docs.aws.amazon.com/bedrock/latest/userguide/reward-functions.html):
 *
 *   event:    [{ id, messages: [...prompt, { role: 'assistant', content }], metadata: { reference_answer, ... } }]
 *   returns:  [{ id, aggregate_reward_score, metrics_list: [{ name, value, type: 'Reward' | 'Metric' }] }]
 *
 * tunekit runs this file in-process on the local stack (the job's lambdaArn `...:function:grader` is
 * graders/grader.mjs) and deploys it as a Lambda function on AWS. Change `score` for your task; keep
 * the return shape. Test it with `node --test graders/`.
 */

/** The text a reference answer names: { answer: "..." }, or a string. */
function expectedText(reference) {
  if (typeof reference === 'string') return reference;
  if (reference && typeof reference.answer === 'string') return reference.answer;
  return JSON.stringify(reference ?? '');
}

const normalise = (text) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** 1 when the answer states the reference answer, else 0. */
export function score(answer, reference) {
  const expected = normalise(expectedText(reference));
  return expected !== '' && normalise(answer).includes(expected) ? 1 : 0;
}

export async function handler(event) {
  return event.map((sample) => {
    const answer = sample.messages.at(-1)?.content ?? '';
    const reference = sample.metadata?.reference_answer ?? sample.reference_answer;
    const correct = score(answer, reference);
    return {
      id: sample.id,
      aggregate_reward_score: correct,
      metrics_list: [
        { name: 'correct', value: correct, type: 'Reward' },
        { name: 'answer_words', value: answer.split(/\s+/).filter(Boolean).length, type: 'Metric' },
      ],
    };
  });
}
