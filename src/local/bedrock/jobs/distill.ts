import type { Conversation } from '../../../dataset/conversation.ts';
import type { ModelArtifact, TrainingEngine } from '../../engine/engine.port.ts';
import { fnv1a, mixSeed } from '../../engine/prng.ts';

/**
 * Synthetic data generation of a DISTILLATION job: the teacher answers every prompt, and the answers are
 * the student's training data (https://docs.aws.amazon.com/bedrock/latest/userguide/model-distillation.html).
 *
 * The local teacher is the local engine's base model (no custom weights) under the teacher's id: what
 * InvokeModel on the local stack answers for that model id. A record's own assistant turn (a "golden
 * example" on Bedrock) is replaced by the teacher's answer; the prompt is everything up to the last user
 * turn.
 */

/** Teacher answer length when maxResponseLengthForInference is not set (Bedrock's default is UNCONFIRMED). */
const DEFAULT_TEACHER_MAX_TOKENS = 1000;

export interface TeacherConfig {
  family: ModelArtifact['family'];
  maxResponseTokens?: number;
}

export class DistillationDataError extends Error {}

/** The prompt of a record: its system prompt and turns up to (and including) the last user turn. */
function promptOf(conversation: Conversation, index: number): Conversation {
  let last = conversation.turns.length - 1;
  while (last >= 0 && conversation.turns[last]!.role !== 'user') last--;
  if (last < 0)
    throw new DistillationDataError(
      `record ${index + 1} has no user message: a distillation record is a prompt (a user message) for the teacher to answer`,
    );
  return { ...conversation, turns: conversation.turns.slice(0, last + 1) };
}

/** The teacher's answers to every prompt, as training conversations for the student. */
export function teacherAnswers(
  engine: TrainingEngine,
  teacher: TeacherConfig,
  records: Conversation[],
  seed: number,
): Conversation[] {
  return records.map((record, i) => {
    const prompt = promptOf(record, i);
    const out = engine.generate({
      family: teacher.family,
      system: prompt.system,
      messages: prompt.turns,
      maxTokens: teacher.maxResponseTokens ?? DEFAULT_TEACHER_MAX_TOKENS,
      // The teacher's best answer: synthetic data is meant to be the teacher at its most accurate.
      temperature: 0,
      topP: 1,
      stopSequences: [],
      seed: mixSeed(seed, fnv1a(prompt.turns.map((t) => t.text).join('\n'))),
    });
    return { ...prompt, turns: [...prompt.turns, { role: 'assistant', text: out.text }] };
  });
}
