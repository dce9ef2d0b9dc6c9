/**
 * The format-neutral shape of one training record: an optional system prompt and alternating turns.
 * Every dataset format (prompt/completion, bedrock-conversation-2024, Claude 3 Haiku messages) converts
 * to and from it; the local engine trains on it.
 */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

export interface Conversation {
  system?: string;
  turns: Turn[];
}
