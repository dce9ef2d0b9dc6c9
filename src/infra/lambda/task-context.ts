import { type AwsClients, createAwsClients } from '../../aws/clients.ts';
import { type Config, ConfigSchema } from '../../config/schema.ts';

/**
 * The tunekit config a task Lambda runs with: `TUNEKIT_CONFIG` (the project's settings, set at synth)
 * overlaid with what only the deployed stack knows — bucket, topic, role, prefixes, suite location.
 * Invalid settings fail the invocation with the zod message (visible in the execution's history).
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): Config {
  const required = (name: string) => {
    const value = env[name];
    if (!value)
      throw new Error(
        `tunekit task: environment variable ${name} is not set (deploy with the FineTunePipeline construct)`,
      );
    return value;
  };
  let base: Record<string, unknown> = {};
  if (env.TUNEKIT_CONFIG) {
    try {
      base = JSON.parse(env.TUNEKIT_CONFIG) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`tunekit task: TUNEKIT_CONFIG is not valid JSON: ${(error as Error).message}`);
    }
  }
  const section = (name: string) =>
    (base[name] && typeof base[name] === 'object' ? base[name] : {}) as object;
  const parsed = ConfigSchema.safeParse({
    ...base,
    project: required('TUNEKIT_PROJECT'),
    region: env.AWS_REGION ?? base.region,
    bucket: required('TUNEKIT_BUCKET'),
    roleArn: required('TUNEKIT_BEDROCK_ROLE_ARN'),
    data: {
      ...section('data'),
      prefix: required('TUNEKIT_TRAINING_PREFIX'),
      suffix: required('TUNEKIT_TRAINING_SUFFIX'),
    },
    registry: { ...section('registry'), prefix: required('TUNEKIT_REGISTRY_PREFIX') },
    // `held-out`: no suite, evaluate on a held-out slice of each run's data (evaluateOnHeldOutData).
    evaluation: {
      ...section('evaluation'),
      suite: env.TUNEKIT_EVALUATION === 'held-out' ? undefined : required('TUNEKIT_SUITE_URI'),
    },
    // Console lines land in the function's CloudWatch log group; SNS reaches people.
    notify: [{ type: 'console' }, { type: 'sns', topicArn: required('TUNEKIT_TOPIC_ARN') }],
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`tunekit task: invalid configuration from TUNEKIT_CONFIG: ${issues}`);
  }
  return parsed.data;
}

let cached: { config: Config; clients: AwsClients } | undefined;

/** One config and one set of SDK clients per Lambda container, reused across invocations. */
export function lambdaContext(): { config: Config; clients: AwsClients; configDir: string } {
  cached ??= { config: configFromEnvironment(), clients: createAwsClients() };
  return { ...cached, configDir: process.env.LAMBDA_TASK_ROOT ?? process.cwd() };
}
