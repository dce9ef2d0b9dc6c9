import { createHash } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { NotifierConfig } from '../../config/schema.ts';
import type { Notifier } from '../notifier.ts';

type SnsConfig = Extract<NotifierConfig, { type: 'sns' }>;

/**
 * SNS Publish with Subject (e-mail subscribers see it) and Message. Standard topics cannot drop a
 * duplicate; FIFO topics (`.fifo`) can, so there we pass a deduplication id derived from the execution:
 * SNS drops a repeat within its 5-minute deduplication window.
 */
export const snsNotifier: Notifier<SnsConfig> = {
  type: 'sns',
  describe: (config) => `sns ${config.topicArn}`,
  async send({ config, message, outcome, idempotencyKey, clients }) {
    const fifo = config.topicArn.endsWith('.fifo');
    await clients.sns.send(
      new PublishCommand({
        TopicArn: config.topicArn,
        Subject: message.subject,
        Message: `${message.text}\n\n${message.fields.map((f) => `${f.title}: ${f.value}`).join('\n')}`,
        MessageAttributes: {
          status: { DataType: 'String', StringValue: outcome.status },
          project: { DataType: 'String', StringValue: outcome.project },
        },
        ...(fifo
          ? {
              MessageGroupId: outcome.project,
              MessageDeduplicationId: createHash('sha256').update(idempotencyKey).digest('hex'),
            }
          : {}),
      }),
    );
  },
};
