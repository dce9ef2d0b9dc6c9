import type { ModelSpec } from '../../models/schema.ts';
import type { IssueDraft, LocatedConversation } from '../formats/types.ts';

export interface RuleContext {
  model: ModelSpec;
  /** Characters allowed per record (text of system prompt and all turns), from the catalog row. */
  maxRecordChars: number;
}

/** One named check on a structurally valid record. Rules push issues; they never throw. */
export interface RecordRule {
  readonly name: string;
  check(conversation: LocatedConversation, ctx: RuleContext, issues: IssueDraft[]): void;
}
