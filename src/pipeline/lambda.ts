import { createAwsClients } from '../aws/clients.ts';
import { formatZodIssues } from '../config/load.ts';
import { ConfigSchema } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import type { TaskHandlerName } from './definition.ts';
import { TASKS, type TaskContext } from './tasks/index.ts';

/**
 * Lambda entry points for the task handlers (CDK: one NodejsFunction per PIPELINE_TASKS handler, with
 * `export const handler = createLambdaHandler('validateTrainingData')`). The config arrives as JSON in
 * `TUNEKIT_CONFIG` (the CDK construct serialises the project's config); the evaluation suite must then
 * be an s3:// URI, since a Lambda has no project directory.
 */
let cached: TaskContext | undefined;

export function lambdaContext(env: NodeJS.ProcessEnv = process.env): TaskContext {
  if (cached) return cached;
  let raw: unknown = {};
  try {
    raw = JSON.parse(env.TUNEKIT_CONFIG ?? '{}');
  } catch (error) {
    throw new TunekitError('CONFIG.PARSE', `TUNEKIT_CONFIG is not JSON: ${(error as Error).message}`, {
      hint: 'the CDK construct sets it from the project config; redeploy',
    });
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TunekitError('CONFIG.INVALID', `TUNEKIT_CONFIG:\n${formatZodIssues(parsed.error.issues)}`, {
      hint: 'fix the config and redeploy',
    });
  }
  cached = {
    config: parsed.data,
    clients: createAwsClients({ region: parsed.data.region }),
    configDir: process.cwd(),
  };
  return cached;
}

export function createLambdaHandler(name: TaskHandlerName) {
  const handler = TASKS[name];
  return (event: unknown) => handler(event as never, lambdaContext());
}
