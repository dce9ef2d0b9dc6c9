import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { localGraderArn } from '../bedrock/job-request.ts';
import {
  GRADER_SUBSTITUTION,
  jobRequestFields,
  OTHER_SUBSTITUTIONS,
  PIPELINE_TASKS,
  pipelineDefinition,
  S3_GET_OBJECT,
  S3_PUT_OBJECT,
  TRAIN_SYNC,
} from './definition.ts';
import { stateMachineNameFor } from './runs.ts';
import { createModelCustomizationJobSync, TASKS, type TaskContext } from './tasks/index.ts';
import { substitute } from './validate-definition.ts';

/**
 * Deploys the pipeline onto a Step Functions host the way CDK deploys it on AWS: one "function" per
 * handler, the `.sync` training integration, and the definition with its placeholders substituted.
 * The host is structural (the local Step Functions service satisfies it), so pipeline code never
 * imports the local stack.
 */
export interface StepFunctionsHost {
  tasks: {
    registerFunction(
      name: string,
      fn: (payload: unknown, meta: { signal: AbortSignal }) => Promise<unknown>,
    ): void;
    registerIntegration(
      resource: string,
      fn: (params: unknown, meta: { signal: AbortSignal }) => Promise<unknown>,
    ): void;
  };
  putStateMachine(name: string, definition: object, roleArn?: string): string;
}

export const functionNameFor = (project: string, handler: string) => `${project}-${handler}`;

export function deployPipeline(host: StepFunctionsHost, ctx: TaskContext): string {
  const { project, region } = ctx.config;
  const values: Record<string, string> = {};
  for (const task of PIPELINE_TASKS) {
    if (!task.handler || !task.substitution) continue;
    const name = functionNameFor(project, task.handler);
    const handler = TASKS[task.handler];
    host.tasks.registerFunction(name, (payload) => handler(payload as never, ctx));
    values[task.substitution] = `arn:aws:lambda:${region}:000000000000:function:${name}`;
  }
  for (const name of OTHER_SUBSTITUTIONS) {
    // Only the job role today; the local Bedrock accepts any well-formed role ARN.
    values[name] = ctx.config.roleArn ?? 'arn:aws:iam::000000000000:role/tunekit-bedrock-local';
  }
  // Reinforcement: the grader's ARN in the local account; the local Bedrock runs the grader file itself.
  if (ctx.config.customization.method === 'reinforcement')
    values[GRADER_SUBSTITUTION] = localGraderArn(project, region);
  host.tasks.registerIntegration(TRAIN_SYNC, (params, meta) =>
    createModelCustomizationJobSync(params, ctx, meta.signal),
  );
  // The Evaluate Distributed Map's ItemReader and ResultWriter: Step Functions reads and writes S3 itself
  // on AWS (with the state machine's role); locally the runner calls these.
  host.tasks.registerIntegration(S3_GET_OBJECT, async (params) => {
    const { Bucket, Key } = params as { Bucket: string; Key: string };
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket, Key }));
    return { Body: await object.Body!.transformToString() };
  });
  host.tasks.registerIntegration(S3_PUT_OBJECT, async (params) => {
    const { Bucket, Key, Body } = params as { Bucket: string; Key: string; Body: string };
    const put = await ctx.clients.s3.send(
      new PutObjectCommand({ Bucket, Key, Body, ContentType: 'application/json' }),
    );
    return { ETag: put.ETag };
  });
  return host.putStateMachine(
    stateMachineNameFor(project),
    substitute(
      pipelineDefinition(jobRequestFields(ctx.config.training, ctx.config.customization)),
      values,
    ) as object,
  );
}
