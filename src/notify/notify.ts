import type { AwsClients } from '../aws/clients.ts';
import type { NotifierConfig } from '../config/schema.ts';
import { renderMessage } from './message.ts';
import { notifierFor } from './notifiers/index.ts';
import { type Outcome, type OutcomeInput, OutcomeSchema } from './outcome.ts';
import { memorySentLog, type SentLog } from './sent-log.ts';

export interface NotifyResult {
  notifier: string;
  status: 'sent' | 'duplicate-skipped' | 'failed';
  error?: string;
}

export interface NotifyOptions {
  /** Dedupe store; defaults to one per process. Use `s3SentLog` when Notify may run in another process. */
  sentLog?: SentLog;
  write?: (text: string) => void;
  timeoutMs?: number;
}

/**
 * The one call the pipeline makes at every terminal state. Every notifier is tried; a failing one is
 * reported in the result and never throws past this function (a broken webhook must not fail a run whose
 * model was trained and registered). Each (execution, notifier) pair is sent at most once.
 */
export async function notify(
  outcomeInput: OutcomeInput | Outcome,
  notifiers: readonly NotifierConfig[],
  clients: Pick<AwsClients, 'sns'>,
  options: NotifyOptions = {},
): Promise<NotifyResult[]> {
  const parsed = OutcomeSchema.safeParse(outcomeInput);
  // A malformed outcome is a pipeline bug; say so through the notifiers rather than staying silent.
  const outcome: Outcome = parsed.success ? parsed.data : malformed(outcomeInput, parsed.error.issues);
  const message = renderMessage(outcome);
  const log = options.sentLog ?? defaultLog;
  const results: NotifyResult[] = [];
  for (const [position, config] of notifiers.entries()) {
    const notifier = notifierFor(config);
    const label = safeDescribe(() => notifier.describe(config), config.type);
    const key = `${outcome.executionId}/${position}-${config.type}/${outcome.status}`;
    try {
      if (!(await log.claim(key))) {
        results.push({ notifier: label, status: 'duplicate-skipped' });
        continue;
      }
    } catch (e) {
      results.push({ notifier: label, status: 'failed', error: `dedupe store: ${(e as Error).message}` });
      continue;
    }
    try {
      await notifier.send({
        config,
        outcome,
        message,
        idempotencyKey: key,
        clients,
        write: options.write ?? ((text) => process.stderr.write(text)),
        timeoutMs: options.timeoutMs ?? 10_000,
      });
      results.push({ notifier: label, status: 'sent' });
    } catch (e) {
      await log.release(key).catch(() => undefined);
      results.push({ notifier: label, status: 'failed', error: (e as Error)?.message ?? String(e) });
    }
  }
  return results;
}

const defaultLog = memorySentLog();

function malformed(input: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): Outcome {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v : fallback);
  return {
    status: 'failed',
    executionId: text(raw.executionId, 'unknown-execution'),
    project: text(raw.project, 'tunekit'),
    failedState: 'Notify',
    cause: `malformed outcome: ${issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    scores: {},
  };
}

function safeDescribe(describe: () => string, fallback: string): string {
  try {
    return describe();
  } catch {
    return fallback;
  }
}
