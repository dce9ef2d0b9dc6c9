import type { AwsClients } from '../aws/clients.ts';
import type { NotifierConfig } from '../config/schema.ts';
import type { NotificationMessage } from './message.ts';
import type { Outcome } from './outcome.ts';

/** One notifier strategy (DESIGN: pluggable things are a typed registry, one small file each). */
export interface Notifier<C extends NotifierConfig = NotifierConfig> {
  readonly type: C['type'];
  /** Short label for reports, e.g. `webhook https://hooks.slack.com/...`; never includes secrets. */
  describe(config: C): string;
  /** Sends once; throws on failure (notify() turns that into a reported failure). */
  send(delivery: Delivery<C>): Promise<void>;
}

export interface Delivery<C> {
  config: C;
  outcome: Outcome;
  message: NotificationMessage;
  /** Stable per execution and notifier: lets receivers (and FIFO topics) drop a duplicate. */
  idempotencyKey: string;
  clients: Pick<AwsClients, 'sns'>;
  /** Where the console notifier writes (stderr by default, keeping stdout clean for --json). */
  write: (text: string) => void;
  timeoutMs: number;
}
