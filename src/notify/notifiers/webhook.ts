import type { NotifierConfig } from '../../config/schema.ts';
import type { Notifier } from '../notifier.ts';

type WebhookConfig = Extract<NotifierConfig, { type: 'webhook' }>;

const MAX_ISSUES = 50;
const COLOR = { good: 'good', warning: 'warning', danger: 'danger' } as const;

/**
 * A JSON POST. Slack incoming webhooks read `text` (and render `attachments` fields); any other receiver
 * gets the whole outcome under `tunekit`, and an `Idempotency-Key` header to drop a retried delivery.
 */
export const webhookNotifier: Notifier<WebhookConfig> = {
  type: 'webhook',
  // Only the origin: paths of Slack/Teams webhook URLs are secrets.
  describe: (config) => `webhook ${new URL(config.url).origin}`,
  async send({ config, message, outcome, idempotencyKey, timeoutMs }) {
    const body = {
      text: `${message.subject}\n${message.text}`,
      attachments: [
        {
          color: COLOR[message.severity],
          fields: message.fields.map((f) => ({ title: f.title, value: f.value, short: f.value.length < 40 })),
        },
      ],
      // Issues are capped: a 100k-line broken file must not become a 50 MB POST (issueCount keeps the total).
      tunekit: {
        ...outcome,
        ...(outcome.status === 'validation-failed'
          ? {
              issues: outcome.issues.slice(0, MAX_ISSUES),
              issueCount: outcome.issueCount ?? outcome.issues.length,
            }
          : {}),
        subject: message.subject,
        idempotencyKey,
      },
    };
    const response = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...config.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      const snippet = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`HTTP ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''}`);
    }
  },
};
