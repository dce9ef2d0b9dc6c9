import { describe, expect, it } from 'vitest';
import { TunekitError } from '../../errors.ts';
import { detectFormat, fromConversation, toConversation } from './registry.ts';

const conversation = {
  system: 'You are a bank assistant.',
  turns: [
    { role: 'user' as const, text: 'What is APR?' },
    { role: 'assistant' as const, text: 'The yearly cost of credit.' },
  ],
};

describe('dataset formats', () => {
  it('detects each format from its shape', () => {
    expect(detectFormat({ prompt: 'a', completion: 'b' })).toBe('prompt-completion');
    expect(detectFormat({ schemaVersion: 'bedrock-conversation-2024', messages: [] })).toBe(
      'bedrock-conversation-2024',
    );
    expect(detectFormat({ messages: [{ role: 'user', content: [{ text: 'q' }] }] })).toBe(
      'bedrock-conversation-2024',
    );
    expect(detectFormat({ system: 'x', messages: [{ role: 'user', content: 'q' }] })).toBe('claude-messages');
    expect(detectFormat({ input: 'pre-training text' })).toBeUndefined();
    expect(detectFormat([1, 2])).toBeUndefined();
  });

  it('round-trips a conversation through both conversation formats', () => {
    for (const format of ['bedrock-conversation-2024', 'claude-messages'] as const) {
      const out = fromConversation(conversation, format);
      if (!('record' in out)) throw new Error(out.refusal);
      expect(detectFormat(out.record)).toBe(format);
      expect(toConversation(out.record)).toEqual(conversation);
    }
  });

  it('writes the documented record shapes', () => {
    expect(fromConversation(conversation, 'claude-messages')).toEqual({
      record: {
        system: 'You are a bank assistant.',
        messages: [
          { role: 'user', content: 'What is APR?' },
          { role: 'assistant', content: 'The yearly cost of credit.' },
        ],
      },
    });
    const nova = fromConversation({ turns: conversation.turns }, 'bedrock-conversation-2024');
    expect(nova).toEqual({
      record: {
        schemaVersion: 'bedrock-conversation-2024',
        messages: [
          { role: 'user', content: [{ text: 'What is APR?' }] },
          { role: 'assistant', content: [{ text: 'The yearly cost of credit.' }] },
        ],
      },
    });
  });

  it('refuses what prompt/completion cannot hold faithfully', () => {
    expect(fromConversation(conversation, 'prompt-completion')).toEqual({
      refusal: expect.stringContaining('system prompt'),
    });
    const multi = { turns: [...conversation.turns, ...conversation.turns] };
    expect(fromConversation(multi, 'prompt-completion')).toEqual({
      refusal: expect.stringContaining('4 turns'),
    });
    expect(fromConversation({ turns: conversation.turns }, 'prompt-completion')).toEqual({
      record: { prompt: 'What is APR?', completion: 'The yearly cost of credit.' },
    });
  });

  it('throws a TunekitError naming the JSON path for an invalid record', () => {
    const bad = {
      schemaVersion: 'bedrock-conversation-2024',
      messages: [{ role: 'user', content: [{ text: 7 }] }],
    };
    expect(() => toConversation(bad)).toThrow(TunekitError);
    expect(() => toConversation(bad)).toThrow(/messages\[0\]\.content\[0\]\.text/);
  });
});
