import type { NotifierConfig } from '../../config/schema.ts';
import type { Notifier } from '../notifier.ts';
import { consoleNotifier } from './console.ts';
import { snsNotifier } from './sns.ts';
import { webhookNotifier } from './webhook.ts';

/** The typed registry of notifier strategies: adding a `type` to NotifierSchema fails to compile until it is here. */
export const NOTIFIERS: { [T in NotifierConfig['type']]: Notifier<Extract<NotifierConfig, { type: T }>> } = {
  console: consoleNotifier,
  webhook: webhookNotifier,
  sns: snsNotifier,
};

export function notifierFor<C extends NotifierConfig>(config: C): Notifier<C> {
  return NOTIFIERS[config.type] as unknown as Notifier<C>;
}
