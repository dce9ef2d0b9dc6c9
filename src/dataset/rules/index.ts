import { emptyText } from './empty-text.ts';
import { pii } from './pii.ts';
import { recordLength } from './record-length.ts';
import { reservedStrings } from './reserved-strings.ts';
import { roleOrder } from './role-order.ts';
import type { RecordRule } from './types.ts';

export { maxRecordCharsFor, recordChars } from './record-length.ts';
export type { RecordRule, RuleContext } from './types.ts';

/** The rules run on every structurally valid record, in this order. */
export const RECORD_RULES: readonly RecordRule[] = [roleOrder, emptyText, reservedStrings, recordLength, pii];
