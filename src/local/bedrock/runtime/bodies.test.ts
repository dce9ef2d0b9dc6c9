import { describe, expect, it } from 'vitest';
import { parseConverseBody, parseInvokeBody, renderInvokeResponse } from './bodies.ts';

const out = { text: 'Hello there', inputTokens: 4, outputTokens: 2, stopReason: 'max_tokens' as const };

describe('InvokeModel bodies per family', () => {
  it('reads Titan, including its "User: ... Bot:" convention', () => {
    const r = parseInvokeBody('titan-text', {
      inputText: 'User: What is APR?\nBot:',
      textGenerationConfig: { maxTokenCount: 50, temperature: 0.1 },
    });
    expect(r.messages).toEqual([{ role: 'user', text: 'What is APR?' }]);
    expect(r.maxTokens).toBe(50);
    expect(renderInvokeResponse('titan-text', out, 'm')).toEqual({
      inputTextTokenCount: 4,
      results: [{ tokenCount: 2, outputText: 'Hello there', completionReason: 'LENGTH' }],
    });
  });

  it('reads Nova messages-v1, Claude messages and Llama prompts', () => {
    const nova = parseInvokeBody('nova-messages', {
      schemaVersion: 'messages-v1',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { max_new_tokens: 20 },
    });
    expect(nova).toMatchObject({
      system: 'Be brief.',
      maxTokens: 20,
      messages: [{ role: 'user', text: 'Hi' }],
    });
    const claude = parseInvokeBody('claude-messages', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 30,
      system: 'Be kind.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(claude).toMatchObject({ system: 'Be kind.', maxTokens: 30 });
    const llama = parseInvokeBody('llama-prompt', {
      prompt:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHow do I wire money?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    });
    expect(llama.messages).toEqual([{ role: 'user', text: 'How do I wire money?' }]);
    expect(renderInvokeResponse('llama-prompt', out, 'm')).toMatchObject({
      generation: 'Hello there',
      stop_reason: 'length',
    });
  });

  it('refuses a body of another family as Bedrock does', () => {
    expect(() => parseInvokeBody('titan-text', { messages: [] })).toThrow(
      /^Malformed input request: #: extraneous key \[messages\]/,
    );
    expect(() => parseInvokeBody('nova-messages', { inputText: 'hi' })).toThrow(/Malformed input request/);
    expect(() => parseInvokeBody('claude-messages', { messages: [{ role: 'user', content: 'x' }] })).toThrow(
      /anthropic_version/,
    );
    expect(() =>
      parseInvokeBody('nova-messages', { messages: [{ role: 'user', content: 'plain string' }] }),
    ).toThrow(/expected type: JSONArray/);
  });

  it('Converse validates roles and inference settings', () => {
    expect(() => parseConverseBody({ messages: [{ role: 'assistant', content: [{ text: 'x' }] }] })).toThrow(
      /must start with a user message/,
    );
    expect(() =>
      parseConverseBody({
        messages: [{ role: 'user', content: [{ text: 'x' }] }],
        inferenceConfig: { temperature: 3 },
      }),
    ).toThrow(/temperature/);
  });
});
