import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueryError } from '../aws-query/query-error.ts';
import type { QueryParams } from '../aws-query/query-params.ts';
import { queryService } from '../aws-query/query-service.ts';
import { JsonDocument } from '../json-document.ts';

/** botocore `sns` 2010-03-31 `metadata.xmlNamespace`. */
const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS CreateTopic: "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers,
 * underscores, and hyphens, and must be between 1 and 256 characters long" (a `.fifo` suffix for FIFO). */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const MAX_MESSAGE_BYTES = 262_144; // Publish: "up to 256 KB"
const MAX_SUBJECT = 100; // Publish: Subject "must be less than 100 characters"
const PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'];

interface Subscription {
  SubscriptionArn: string;
  Protocol: string;
  Endpoint: string;
}
interface Topic {
  TopicArn: string;
  Attributes: Record<string, string>;
  Tags: { Key: string; Value: string }[];
  subscriptions: Subscription[];
}
interface SnsState {
  topics: Record<string, Topic>;
}

/**
 * The SNS subset the tutorial's Lab 3 and cleanup use (topics, subscriptions, publish) and tunekit's SNS
 * notifier. Nothing leaves the machine: a message for an email (or any other) subscription is written to
 * `<dataDir>/sns/outbox.jsonl` and the stack log, never sent. With no mail to click, a subscription counts
 * as confirmed at once (AWS waits for the recipient to confirm; the Subscribe answer is the same).
 */
export function createSnsService(options: {
  dataDir: string;
  accountId: string;
  region: string;
  log: (line: string) => void;
}) {
  const doc = new JsonDocument<SnsState>(join(options.dataDir, 'sns', 'topics.json'), () => ({ topics: {} }));
  const outbox = join(options.dataDir, 'sns', 'outbox.jsonl');
  const topicArn = (name: string) => `arn:aws:sns:${options.region}:${options.accountId}:${name}`;
  const topicOf = (state: SnsState, arn: string): Topic => {
    const topic = state.topics[arn];
    if (!topic) throw new QueryError('NotFound', 404, 'Topic does not exist');
    return topic;
  };
  const arnParam = (p: QueryParams, name = 'TopicArn') => {
    const arn = p.required(name);
    if (!arn.startsWith('arn:')) throw invalid(`${name} Reason: An ARN must have at least 6 elements, not 1`);
    return arn;
  };
  const subscriptionList = (topics: Topic[]) => ({
    Subscriptions: {
      member: topics.flatMap((t) =>
        t.subscriptions.map((s) => ({ ...s, Owner: options.accountId, TopicArn: t.TopicArn })),
      ),
    },
  });

  return queryService({
    namespace: NAMESPACE,
    validationCode: 'InvalidParameter',
    actions: {
      CreateTopic: (p) => {
        const name = p.required('Name');
        if (!TOPIC_NAME.test(name)) throw invalid('Topic Name');
        const arn = topicArn(name);
        // CreateTopic is idempotent: the same name answers the existing topic's ARN.
        doc.update((state) => {
          state.topics[arn] ??= {
            TopicArn: arn,
            Attributes: p.map('Attributes'),
            Tags: p.list('Tags', ['Key', 'Value']).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
            subscriptions: [],
          };
        });
        return { TopicArn: arn };
      },
      TagResource: (p) => {
        const arn = arnParam(p, 'ResourceArn');
        const tags = p
          .list('Tags', ['Key', 'Value'])
          .map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
        doc.update((state) => {
          const topic = topicOf(state, arn);
          const keys = new Set(tags.map((t) => t.Key));
          topic.Tags = [...topic.Tags.filter((t) => !keys.has(t.Key)), ...tags];
        });
        return {};
      },
      ListTagsForResource: (p) => ({ Tags: { member: topicOf(doc.get(), arnParam(p, 'ResourceArn')).Tags } }),
      ListTopics: () => ({
        Topics: { member: Object.keys(doc.get().topics).map((TopicArn) => ({ TopicArn })) },
      }),
      GetTopicAttributes: (p) => {
        const topic = topicOf(doc.get(), arnParam(p));
        const attributes: Record<string, string> = {
          ...topic.Attributes,
          TopicArn: topic.TopicArn,
          Owner: options.accountId,
          SubscriptionsConfirmed: String(topic.subscriptions.length),
          SubscriptionsPending: '0',
          SubscriptionsDeleted: '0',
        };
        return {
          Attributes: { entry: Object.entries(attributes).map(([key, value]) => ({ key, value })) },
        };
      },
      DeleteTopic: (p) => {
        const arn = arnParam(p);
        // Deleting a topic that does not exist succeeds (DeleteTopic is idempotent).
        doc.update((state) => {
          delete state.topics[arn];
        });
        return undefined;
      },
      Subscribe: (p) => {
        const arn = arnParam(p);
        const protocol = p.required('Protocol');
        if (!PROTOCOLS.includes(protocol)) throw invalid(`Invalid protocol type: ${protocol}`);
        const endpoint = p.required('Endpoint');
        if (protocol.startsWith('email') && !/^[^@\s]+@[^@\s]+$/.test(endpoint))
          throw invalid('Invalid SMTP address');
        const subscription = doc.update((state) => {
          const topic = topicOf(state, arn);
          const existing = topic.subscriptions.find(
            (s) => s.Protocol === protocol && s.Endpoint === endpoint,
          );
          if (existing) return existing;
          const created = {
            SubscriptionArn: `${arn}:${randomUUID()}`,
            Protocol: protocol,
            Endpoint: endpoint,
          };
          topic.subscriptions.push(created);
          return created;
        });
        options.log(
          `sns: ${protocol} subscription ${endpoint} to ${arn} (local: confirmed at once, nothing is sent)`,
        );
        // AWS answers "pending confirmation" for email until the recipient confirms (unless asked for the ARN).
        const pending = protocol.startsWith('email') && p.optional('ReturnSubscriptionArn') !== 'true';
        return { SubscriptionArn: pending ? 'pending confirmation' : subscription.SubscriptionArn };
      },
      Unsubscribe: (p) => {
        const arn = arnParam(p, 'SubscriptionArn');
        doc.update((state) => {
          for (const topic of Object.values(state.topics))
            topic.subscriptions = topic.subscriptions.filter((s) => s.SubscriptionArn !== arn);
        });
        return undefined;
      },
      ListSubscriptions: () => subscriptionList(Object.values(doc.get().topics)),
      ListSubscriptionsByTopic: (p) => subscriptionList([topicOf(doc.get(), arnParam(p))]),
      Publish: (p) => {
        const arn = p.optional('TopicArn') ?? p.optional('TargetArn');
        if (arn === undefined) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
        const topic = topicOf(doc.get(), arn);
        const message = p.required('Message');
        if (message.length === 0) throw invalid('Empty message');
        if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES)
          throw invalid('Message too long', 'InvalidParameterValue');
        const subject = p.optional('Subject');
        if (subject !== undefined && (subject.length === 0 || subject.length >= MAX_SUBJECT))
          throw invalid('Subject', 'InvalidParameter');
        const messageId = randomUUID();
        const at = new Date().toISOString();
        mkdirSync(join(options.dataDir, 'sns'), { recursive: true });
        for (const s of topic.subscriptions) {
          appendFileSync(
            outbox,
            `${JSON.stringify({ at, messageId, topicArn: arn, protocol: s.Protocol, endpoint: s.Endpoint, subject, message })}\n`,
          );
          options.log(
            `sns: ${s.Protocol} to ${s.Endpoint} (not sent: local stack): ${subject ?? message.slice(0, 80)}`,
          );
        }
        if (topic.subscriptions.length === 0)
          options.log(`sns: ${arn} has no subscriptions; message ${messageId} dropped`);
        return { MessageId: messageId };
      },
    },
  });
}

const invalid = (what: string, code = 'InvalidParameter') =>
  new QueryError(code, 400, `Invalid parameter: ${what}`);
