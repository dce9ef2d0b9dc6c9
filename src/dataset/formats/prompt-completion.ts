import type { Conversation } from '../conversation.ts';
import { checkUnknownKeys, type FormatHandler, requireString } from './types.ts';

const LABEL = 'prompt/completion';

/** `{"prompt": "...", "completion": "..."}` — Titan Text, Llama 3.1 (bedrock-facts.md §2.1). */
export const promptCompletion: FormatHandler = {
  name: 'prompt-completion',
  label: LABEL,
  example: '{"prompt": "What is the capital of France?", "completion": "Paris."}',
  detect: (record) => 'prompt' in record || 'completion' in record,
  check(record, _ctx, issues) {
    const prompt = requireString(record, 'prompt', 'prompt', issues, 'the input text');
    const completion = requireString(record, 'completion', 'completion', issues, 'the expected answer');
    checkUnknownKeys(record, ['prompt', 'completion'], '', LABEL, issues);
    if (prompt === undefined || completion === undefined) return undefined;
    return {
      turns: [
        { role: 'user', text: prompt, path: 'prompt' },
        { role: 'assistant', text: completion, path: 'completion' },
      ],
    };
  },
  fromConversation(conversation: Conversation) {
    if (conversation.system !== undefined && conversation.system !== '') {
      return { refusal: 'has a system prompt, which prompt/completion cannot hold' };
    }
    if (conversation.turns.length !== 2) {
      return {
        refusal: `has ${conversation.turns.length} turns; prompt/completion holds exactly one user turn and one answer`,
      };
    }
    const [user, assistant] = conversation.turns;
    if (user?.role !== 'user' || assistant?.role !== 'assistant') {
      return { refusal: 'is not a user turn followed by an assistant turn' };
    }
    return { record: { prompt: user.text, completion: assistant.text } };
  },
};
