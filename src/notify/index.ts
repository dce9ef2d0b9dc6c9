/** Public API of notifications: the pipeline calls `notify(outcome, config.notify, clients, { sentLog })`. */
export { type NotificationMessage, renderMessage } from './message.ts';
export type { Delivery, Notifier } from './notifier.ts';
export { NOTIFIERS, notifierFor } from './notifiers/index.ts';
export { type NotifyOptions, type NotifyResult, notify } from './notify.ts';
export { type Outcome, type OutcomeInput, OutcomeSchema, type ValidationIssue } from './outcome.ts';
export { memorySentLog, type SentLog, s3SentLog } from './sent-log.ts';
