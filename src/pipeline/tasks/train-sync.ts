import {
  CreateModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  GetModelCustomizationJobCommand,
  type GetModelCustomizationJobCommandOutput,
  StopModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { isJobQuotaExceeded } from '../../bedrock/wait-for-job-slot.ts';
import type { TaskContext } from './context.ts';

/**
 * `arn:aws:states:::bedrock:createModelCustomizationJob.sync` for the local runner: what Step Functions
 * does on AWS — create the job from the state's PascalCase Parameters, wait until it ends, and either
 * return the job description or fail the state with the job's failureMessage.
 */

const camel = (key: string) => key[0]!.toLowerCase() + key.slice(1);
const pascal = (key: string) => key[0]!.toUpperCase() + key.slice(1);

/**
 * Deep key conversion. The top-level `HyperParameters` is a map whose keys are data (names Bedrock
 * defines), so its keys are kept; a nested one (RftConfig.HyperParameters, botocore RFTHyperParameters) is
 * a structure and converts like any other.
 */
function convertKeys(value: unknown, convert: (k: string) => string, topLevel = true): unknown {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, convert, false));
  if (value instanceof Date) return value.toISOString();
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      convert(k),
      topLevel && k.toLowerCase() === 'hyperparameters' ? v : convertKeys(v, convert, false),
    ]),
  );
}

export const toSdkInput = (parameters: unknown) =>
  convertKeys(parameters, camel) as CreateModelCustomizationJobCommandInput;

/** A Bedrock API error as Step Functions names service errors (`Bedrock.ThrottlingException`). */
function serviceError(error: unknown): Error {
  const e = new Error((error as Error).message);
  e.name = `Bedrock.${(error as Error).name ?? 'Error'}`;
  return e;
}

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

export async function createModelCustomizationJobSync(
  parameters: unknown,
  ctx: TaskContext,
  signal?: AbortSignal,
): Promise<unknown> {
  const bedrock = ctx.clients.bedrock;
  let jobArn: string;
  try {
    jobArn = (await bedrock.send(new CreateModelCustomizationJobCommand(toSdkInput(parameters)))).jobArn!;
  } catch (error) {
    // The state's Retry (jobSlotRetrier) waits for a free slot; say why the run is not training yet.
    if (isJobQuotaExceeded(error))
      ctx.log?.(
        "StartFineTuningJob: the account's concurrent customization jobs are at Bedrock's quota; waiting for a free slot",
      );
    throw serviceError(error);
  }
  ctx.log?.(`training job started: ${jobArn}`);
  const pollMs = ctx.trainPollMs ?? 30_000;
  for (;;) {
    if (signal?.aborted) {
      // The execution was stopped: stop the job too, as Step Functions does for .sync tasks.
      await bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: jobArn })).catch(() => {});
      throw Object.assign(new Error('execution stopped'), { name: 'States.Runtime' });
    }
    let job: GetModelCustomizationJobCommandOutput | undefined;
    try {
      job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    } catch (error) {
      // Polling is Step Functions' business on AWS; a throttled poll just waits for the next one.
      if (!/Throttling|InternalServer|ServiceUnavailable/.test((error as Error).name))
        throw serviceError(error);
    }
    if (job && TERMINAL.has(job.status ?? '')) {
      const { $metadata: _, ...description } = job;
      const output = convertKeys(description, pascal) as Record<string, unknown>;
      if (job.status === 'Completed') return output;
      const failure = new Error(
        JSON.stringify({
          jobArn,
          status: job.status,
          failureMessage: job.failureMessage ?? `job ${job.status}`,
        }),
      );
      failure.name =
        job.status === 'Stopped'
          ? 'Bedrock.ModelCustomizationJobStopped'
          : 'Bedrock.ModelCustomizationJobFailed';
      throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
