import { functionNameOf } from './arns.ts';

/**
 * Where the local runner finds the code behind Task states. Like AWS, which calls a Lambda function by
 * ARN, the runner looks functions up by name: the CLI registers the pipeline's handlers here, so
 * `src/local/` never imports `src/pipeline/`. Service integrations (e.g. the `.sync` Bedrock training
 * job) are registered by their Resource ARN.
 */

export interface TaskMeta {
  stateName: string;
  executionArn: string;
  signal: AbortSignal;
}
export type TaskFunction = (payload: unknown, meta: TaskMeta) => Promise<unknown> | unknown;

export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

/** An error the interpreter matches on `name` in Retry/Catch; the message becomes the Cause. */
export function stateError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/**
 * A Lambda function's error as Step Functions reports it: Error = the error's type, Cause = Lambda's
 * JSON error object. SDK errors keep their names (ThrottlingException...), so Retry rules match them.
 */
export function lambdaFunctionError(error: unknown): Error {
  const e = error as { name?: string; code?: unknown; message?: string };
  const type = typeof e?.code === 'string' && /^[\w.]+$/.test(e.code) ? e.code : (e?.name ?? 'Error');
  return stateError(type, JSON.stringify({ errorType: type, errorMessage: e?.message ?? String(error) }));
}

export class TaskRegistry {
  private readonly functions = new Map<string, TaskFunction>();
  private readonly integrations = new Map<string, TaskFunction>();

  registerFunction(name: string, fn: TaskFunction): void {
    this.functions.set(name, fn);
  }

  registerIntegration(resourceArn: string, fn: TaskFunction): void {
    this.integrations.set(resourceArn, fn);
  }

  /** Runs the Task `resource` with its resolved Parameters, as Step Functions would. */
  async invoke(resource: string, parameters: unknown, meta: TaskMeta): Promise<unknown> {
    if (resource === LAMBDA_INVOKE_RESOURCE) {
      const params = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
      const name = functionNameOf(params.FunctionName);
      const fn = name ? this.functions.get(name) : undefined;
      if (!fn) {
        throw stateError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${String(params.FunctionName)} (registered: ${[...this.functions.keys()].join(', ') || 'none'})`,
        );
      }
      try {
        const payload = await fn(params.Payload ?? {}, meta);
        return { ExecutedVersion: '$LATEST', Payload: payload ?? null, StatusCode: 200 };
      } catch (error) {
        throw lambdaFunctionError(error);
      }
    }
    const integration = this.integrations.get(resource);
    if (!integration) throw stateError('States.Runtime', `no local handler for Task resource ${resource}`);
    return integration(parameters, meta);
  }
}
