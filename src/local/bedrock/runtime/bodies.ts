import type { Turn } from '../../../dataset/conversation.ts';
import type { RuntimeBody } from '../../../models/schema.ts';
import type { GenerateInput, GenerateOutput } from '../../engine/engine.port.ts';
import { validation } from '../errors.ts';

/**
 * InvokeModel request/response bodies per model family (the catalog's `runtimeBody`). A body of the wrong
 * family is refused with Bedrock's "Malformed input request" ValidationException.
 */

/** What a request body asks the engine for; the resolved model supplies the rest of GenerateInput. */
export type GenerationRequest = Omit<GenerateInput, 'artifact' | 'family' | 'seed'>;

const malformed = (detail: string) =>
  validation(`Malformed input request: ${detail}, please reformat your input and try again.`);

type Json = Record<string, unknown>;

const num = (v: unknown, fallback: number, name: string): number => {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(`#/${name}: expected type: Number`);
  return v;
};

const strings = (v: unknown, name: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw malformed(`#/${name}: expected type: JSONArray of strings`);
  return v as string[];
};

function textBlocks(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw malformed(`#/${path}: expected type: JSONArray`);
  return content
    .map((block, i) => {
      const b = block as Json;
      if (typeof b?.text !== 'string') throw malformed(`#/${path}/${i}: required key [text] not found`);
      return b.text;
    })
    .join('');
}

function turns(messages: unknown, contentStrings: boolean): Turn[] {
  if (!Array.isArray(messages)) throw malformed('#: required key [messages] not found');
  if (messages.length === 0) throw malformed('#/messages: expected minimum item count: 1');
  return messages.map((m, i) => {
    const message = m as Json;
    if (message?.role !== 'user' && message?.role !== 'assistant')
      throw malformed(`#/messages/${i}/role: ${String(message?.role)} is not a valid enum value`);
    if (!contentStrings && typeof message.content === 'string')
      throw malformed(`#/messages/${i}/content: expected type: JSONArray, found: String`);
    return { role: message.role, text: textBlocks(message.content, `messages/${i}/content`) };
  });
}

function rejectUnknown(body: Json, allowed: string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw malformed(`#: extraneous key [${extra[0]}] is not permitted`);
}

/** Titan's chat convention "User: ...\nBot:" is unwrapped so the engine sees the question itself. */
function titanTurns(inputText: string): Turn[] {
  const match = /^\s*User:\s*([\s\S]*?)\s*\n?\s*Bot:\s*$/.exec(inputText);
  return [{ role: 'user', text: match ? match[1]! : inputText }];
}

function llamaTurns(prompt: string): { system?: string; messages: Turn[] } {
  // Llama 3 chat template: <|start_header_id|>role<|end_header_id|>\n\ntext<|eot_id|>
  const parts = [
    ...prompt.matchAll(
      /<\|start_header_id\|>(system|user|assistant)<\|end_header_id\|>\s*([\s\S]*?)(?:<\|eot_id\|>|$)/g,
    ),
  ];
  if (parts.length === 0)
    return { messages: [{ role: 'user', text: prompt.replace(/<\|[^|]+\|>/g, '').trim() }] };
  const system = parts.find((p) => p[1] === 'system')?.[2]?.trim();
  const messages = parts
    .filter((p) => p[1] !== 'system' && p[2]!.trim().length > 0)
    .map((p) => ({ role: p[1] as Turn['role'], text: p[2]!.trim() }));
  return { system, messages: messages.length ? messages : [{ role: 'user', text: '' }] };
}

export function parseInvokeBody(kind: RuntimeBody, body: Json): GenerationRequest {
  switch (kind) {
    case 'titan-text': {
      rejectUnknown(body, ['inputText', 'textGenerationConfig']);
      if (typeof body.inputText !== 'string') throw malformed('#: required key [inputText] not found');
      const config = (body.textGenerationConfig ?? {}) as Json;
      return {
        messages: titanTurns(body.inputText),
        maxTokens: num(config.maxTokenCount, 512, 'textGenerationConfig/maxTokenCount'),
        temperature: num(config.temperature, 0.7, 'textGenerationConfig/temperature'),
        topP: num(config.topP, 0.9, 'textGenerationConfig/topP'),
        stopSequences: strings(config.stopSequences, 'textGenerationConfig/stopSequences'),
      };
    }
    case 'nova-messages': {
      rejectUnknown(body, ['schemaVersion', 'system', 'messages', 'inferenceConfig', 'toolConfig']);
      const config = (body.inferenceConfig ?? {}) as Json;
      const system = body.system === undefined ? undefined : textBlocks(body.system, 'system');
      return {
        system,
        messages: turns(body.messages, false),
        maxTokens: num(config.max_new_tokens ?? config.maxTokens, 512, 'inferenceConfig/max_new_tokens'),
        temperature: num(config.temperature, 0.7, 'inferenceConfig/temperature'),
        topP: num(config.top_p ?? config.topP, 0.9, 'inferenceConfig/top_p'),
        stopSequences: strings(config.stopSequences, 'inferenceConfig/stopSequences'),
      };
    }
    case 'claude-messages': {
      rejectUnknown(body, [
        'anthropic_version',
        'max_tokens',
        'system',
        'messages',
        'temperature',
        'top_p',
        'top_k',
        'stop_sequences',
        'tools',
        'tool_choice',
      ]);
      if (typeof body.anthropic_version !== 'string')
        throw malformed('#: required key [anthropic_version] not found');
      if (body.max_tokens === undefined) throw malformed('#: required key [max_tokens] not found');
      return {
        system: body.system === undefined ? undefined : textBlocks(body.system, 'system'),
        messages: turns(body.messages, true),
        maxTokens: num(body.max_tokens, 512, 'max_tokens'),
        temperature: num(body.temperature, 1, 'temperature'),
        topP: num(body.top_p, 0.999, 'top_p'),
        stopSequences: strings(body.stop_sequences, 'stop_sequences'),
      };
    }
    case 'llama-prompt': {
      rejectUnknown(body, ['prompt', 'max_gen_len', 'temperature', 'top_p', 'images']);
      if (typeof body.prompt !== 'string') throw malformed('#: required key [prompt] not found');
      return {
        ...llamaTurns(body.prompt),
        maxTokens: num(body.max_gen_len, 512, 'max_gen_len'),
        temperature: num(body.temperature, 0.5, 'temperature'),
        topP: num(body.top_p, 0.9, 'top_p'),
        stopSequences: [],
      };
    }
  }
}

export function renderInvokeResponse(kind: RuntimeBody, out: GenerateOutput, modelId: string): unknown {
  const usage = {
    inputTokens: out.inputTokens,
    outputTokens: out.outputTokens,
    totalTokens: out.inputTokens + out.outputTokens,
  };
  switch (kind) {
    case 'titan-text':
      return {
        inputTextTokenCount: out.inputTokens,
        results: [
          {
            tokenCount: out.outputTokens,
            outputText: out.text,
            completionReason:
              out.stopReason === 'max_tokens'
                ? 'LENGTH'
                : out.stopReason === 'stop_sequence'
                  ? 'STOP_CRITERIA_MET'
                  : 'FINISHED',
          },
        ],
      };
    case 'nova-messages':
      return {
        output: { message: { role: 'assistant', content: [{ text: out.text }] } },
        stopReason: out.stopReason,
        usage,
      };
    case 'claude-messages':
      return {
        id: `msg_bdrk_${Math.random().toString(36).slice(2, 14)}`,
        type: 'message',
        role: 'assistant',
        model: modelId,
        content: [{ type: 'text', text: out.text }],
        stop_reason: out.stopReason,
        stop_sequence: null,
        usage: { input_tokens: out.inputTokens, output_tokens: out.outputTokens },
      };
    case 'llama-prompt':
      return {
        generation: out.text,
        prompt_token_count: out.inputTokens,
        generation_token_count: out.outputTokens,
        stop_reason: out.stopReason === 'max_tokens' ? 'length' : 'stop',
      };
  }
}

/** Converse's request is the same for every family. */
export function parseConverseBody(body: Json): GenerationRequest {
  const config = (body.inferenceConfig ?? {}) as Json;
  const system = Array.isArray(body.system) ? textBlocks(body.system, 'system') : undefined;
  if (!Array.isArray(body.messages))
    throw validation(
      "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
    );
  const messages = body.messages.map((m, i) => {
    const message = m as Json;
    if (message?.role !== 'user' && message?.role !== 'assistant')
      throw validation(
        `1 validation error detected: Value '${String(message?.role)}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    if (!Array.isArray(message.content))
      throw validation(`messages.${i + 1}.content must be a list of content blocks`);
    return {
      role: message.role,
      text: message.content
        .map((c) => (typeof (c as Json)?.text === 'string' ? (c as Json).text : ''))
        .join(''),
    } as Turn;
  });
  if (messages.length === 0)
    throw validation(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  if (messages[0]!.role !== 'user')
    throw validation(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  const maxTokens = config.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || maxTokens < 1))
    throw validation(
      `1 validation error detected: Value '${String(maxTokens)}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  const temperature = config.temperature;
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 1))
    throw validation(
      `1 validation error detected: Value '${String(temperature)}' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1`,
    );
  return {
    system,
    messages,
    maxTokens: (maxTokens as number | undefined) ?? 512,
    temperature: (temperature as number | undefined) ?? 0.7,
    topP: (config.topP as number | undefined) ?? 0.9,
    stopSequences: Array.isArray(config.stopSequences) ? (config.stopSequences as string[]) : [],
  };
}
