import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The one place that constructs AWS SDK v3 clients (DESIGN: only aws/ does). Local mode is not a code
 * path of its own: the same clients, pointed at the local stack by the SDK's standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables (printed by `tunekit local env`) or by `endpoints` here.
 */
export interface AwsClientOptions {
  region?: string;
  /** Per-service endpoint overrides; when absent the SDK's own resolution (env vars, config) applies. */
  endpoints?: Partial<
    Record<'s3' | 'bedrock' | 'bedrockRuntime' | 'sfn' | 'sns' | 'iam' | 'sts' | 'eventbridge', string>
  >;
  /**
   * A static key pair (the local stack's); when absent the SDK's default chain applies (env, profile,
   * SSO, instance role).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per call including the first; the SDK backs off with jitter on throttling and 5xx. */
  maxAttempts?: number;
  /**
   * 'adaptive' (default) also rate-limits the whole client after a throttle — gentle on AWS, but it
   * slows a batch that retries by itself (evaluation uses 'standard' with maxAttempts 1).
   */
  retryMode?: 'standard' | 'adaptive';
}

export interface AwsClients {
  readonly s3: S3Client;
  readonly bedrock: BedrockClient;
  readonly bedrockRuntime: BedrockRuntimeClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly eventbridge: EventBridgeClient;
}

const envEndpoint = (name: string) => process.env[`AWS_ENDPOINT_URL_${name}`] ?? process.env.AWS_ENDPOINT_URL;

/** Clients are created on first use, so a command that only needs S3 never builds a Bedrock client. */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const common = {
    region,
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: options.retryMode ?? 'adaptive',
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const cache = new Map<string, unknown>();
  const lazy = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const endpoints = options.endpoints ?? {};
  return {
    get s3() {
      const endpoint = endpoints.s3 ?? envEndpoint('S3');
      // A custom endpoint (the local stack, MinIO, moto) serves buckets by path, not by sub-domain.
      return lazy(
        's3',
        () => new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: Boolean(endpoint) }),
      );
    },
    get bedrock() {
      return lazy('bedrock', () => new BedrockClient({ ...common, endpoint: endpoints.bedrock }));
    },
    get bedrockRuntime() {
      // The runtime client defaults to HTTP/2 (for bidirectional streams, which tunekit does not use); the
      // local stack and most proxies speak HTTP/1.1, and Converse/InvokeModel work the same over it.
      return lazy(
        'bedrockRuntime',
        () =>
          new BedrockRuntimeClient({
            ...common,
            endpoint: endpoints.bedrockRuntime,
            requestHandler: new NodeHttpHandler(),
          }),
      );
    },
    get sfn() {
      return lazy('sfn', () => new SFNClient({ ...common, endpoint: endpoints.sfn }));
    },
    get sns() {
      return lazy('sns', () => new SNSClient({ ...common, endpoint: endpoints.sns }));
    },
    get iam() {
      return lazy('iam', () => new IAMClient({ ...common, endpoint: endpoints.iam }));
    },
    get sts() {
      return lazy('sts', () => new STSClient({ ...common, endpoint: endpoints.sts }));
    },
    get eventbridge() {
      return lazy('eventbridge', () => new EventBridgeClient({ ...common, endpoint: endpoints.eventbridge }));
    },
  };
}
