import type { Conversation, Turn } from '../../dataset/conversation.ts';
import { BASE_CORPUS } from './base-corpus.ts';
import { features, featurize, type SparseVector } from './features.ts';

/**
 * The answer memory: every distinct answer the model can give, with the prompts it was trained on.
 * Entries 0..BASE_CORPUS.length-1 are the base model's own; fine-tuning appends the user's answers.
 */
export interface MemoryEntry {
  answer: string;
  prompts: string[];
  source: 'base' | 'train';
}

/** One training example: a user turn (with its context) and the index of the answer that follows it. */
export interface Example {
  query: SparseVector;
  target: number;
}

export function baseMemory(): MemoryEntry[] {
  return BASE_CORPUS.map((e) => ({ answer: e.answer, prompts: [e.question], source: 'base' }));
}

/**
 * Features a memory entry is matched on: its answer text. The prompts that led to it are not part of
 * the key, so matching a prompt to its answer is what training has to learn (the prompts are kept in
 * the memory as a record of what the model was trained on).
 */
export function keyFeatures(entry: MemoryEntry): SparseVector {
  return features(entry.answer);
}

/**
 * What a prompt is matched on: the last user turn, plus earlier user turns at a lower weight so a
 * follow-up ("and for savings?") keeps its context.
 */
export function queryFeatures(turns: Turn[]): SparseVector {
  const users = turns.filter((t) => t.role === 'user');
  const last = users.at(-1);
  if (!last) return featurize([]);
  const earlier = users.slice(0, -1).map((t, i, all) => ({ text: t.text, weight: 0.3 / (all.length - i) }));
  return featurize([{ text: last.text, weight: 1 }, ...earlier]);
}

/** (user turn, assistant reply) pairs of one conversation, each with the turns before it. */
export function pairs(conversation: Conversation): { context: Turn[]; answer: string }[] {
  const out: { context: Turn[]; answer: string }[] = [];
  conversation.turns.forEach((turn, i) => {
    const previous = conversation.turns[i - 1];
    if (turn.role === 'assistant' && previous?.role === 'user') {
      out.push({ context: conversation.turns.slice(0, i), answer: turn.text });
    }
  });
  return out;
}

/** Adds the conversations' answers to the memory (deduplicated by text, marked trained); returns their examples. */
export function addToMemory(memory: MemoryEntry[], conversations: Conversation[]): Example[] {
  const byAnswer = new Map(memory.map((e, i) => [e.answer, i]));
  const examples: Example[] = [];
  for (const conversation of conversations) {
    for (const { context, answer } of pairs(conversation)) {
      let target = byAnswer.get(answer);
      if (target === undefined) {
        target = memory.length;
        memory.push({ answer, prompts: [], source: 'train' });
        byAnswer.set(answer, target);
      }
      const text = context.at(-1)!.text;
      const entry = memory[target]!;
      // An answer the base model already knows becomes a fine-tuned answer once trained on: the gate then
      // lets the trained prompts reach it (distillation from a base teacher, RFT rewarding a base answer).
      if (entry.source === 'base') entry.source = 'train';
      if (!entry.prompts.includes(text)) entry.prompts.push(text);
      examples.push({ query: queryFeatures(context), target });
    }
  }
  return examples;
}
