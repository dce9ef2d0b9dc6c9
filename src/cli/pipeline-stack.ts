import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { type AwsClients, createAwsClients } from '../aws/clients.ts';
import { projectGraders } from '../bedrock/job-request.ts';
import type { Config } from '../config/schema.ts';
import { faultsFromEnv } from '../local/faults/fault-config.ts';
import { type LocalStack, startLocalStack } from '../local/stack.ts';
import { createStepFunctions, type LocalStepFunctions } from '../local/stepfunctions/index.ts';
import { notify } from '../notify/index.ts';
import { deployPipeline } from '../pipeline/local-deploy.ts';
import { deleteRejectedModels } from '../pipeline/rejected-models.ts';
import { alreadyTrainedMessage, trainingFingerprint } from '../pipeline/run-name.ts';
import { newestTrainingObject, startRun, trainingLocation } from '../pipeline/start-run.ts';
import { teardown } from '../pipeline/tasks/teardown.ts';
import { matchesPattern } from '../pipeline/triggers/event-pattern.ts';
import {
  JOB_STATE_CHANGE_PATTERN,
  jobStateNotification,
  watchJobStateChanges,
} from '../pipeline/triggers/job-state-events.ts';
import { createS3Trigger } from '../pipeline/triggers/s3-trigger.ts';
import { startSchedule } from '../pipeline/triggers/schedule.ts';

/**
 * The local stack with the pipeline on it — what `tunekit watch` and the main job run: S3 + Bedrock +
 * Step Functions on one port, the pipeline's handlers registered as its "functions", the bucket created,
 * and the triggers (S3 object-created, schedule) wired to StartExecution.
 */

export interface PipelineStackOptions {
  config: Config;
  configDir: string;
  dataDir: string;
  port: number;
  log: (line: string) => void;
  /** Fast polls for the demo and tests (state name -> ms); AWS-like waits when omitted. */
  waitTimeOverrides?: Record<string, number>;
  retryIntervalOverrides?: Record<string, number | number[]>;
  trainPollMs?: number;
  faults?: Parameters<typeof startLocalStack>[0]['faults'];
  provisioningDelayMs?: number;
  /** Route Bedrock "Model Customization Job State Change" events to the log (`tunekit watch`). */
  jobEvents?: boolean;
  jobEventsIntervalMs?: number;
  /** How often the local janitor deletes rejected candidates' models past retention (default hourly). */
  janitorIntervalMs?: number;
  /** Replace the stack's real parts — tests only (see startLocalStack). */
  overrides?: Parameters<typeof startLocalStack>[0]['overrides'];
}

export interface PipelineStack {
  stack: LocalStack;
  sfn: LocalStepFunctions;
  clients: AwsClients;
  stateMachineArn: string;
  stop(): Promise<void>;
}

/**
 * The local janitor, as the scheduled Lambda on AWS (src/infra/janitor.ts): deletes rejected candidates'
 * custom models past `registry.rejectedModelRetentionDays`, when the stack starts and then periodically.
 * (Deployments need no local sweep: Teardown runs for every run, also for runs cut short by a restart.)
 */
function startLocalJanitor(
  ctx: Parameters<typeof deleteRejectedModels>[0] & { log: (l: string) => void },
  intervalMs: number,
): () => Promise<void> {
  let current: Promise<void> | undefined;
  const sweep = async () => {
    try {
      for (const m of await deleteRejectedModels(ctx)) {
        if (m.action === 'deleted')
          ctx.log(`janitor: deleted rejected ${m.version}'s custom model ${m.customModelArn}`);
        if (m.action === 'failed')
          ctx.log(`janitor: could not delete ${m.version}'s custom model: ${m.message}`);
      }
    } catch (error) {
      ctx.log(`janitor: ${(error as Error).message}`);
    }
  };
  const tick = () => {
    current ??= sweep().finally(() => {
      current = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // Stopping waits for a sweep in flight, so it never runs against a stack that is shutting down.
  return async () => {
    clearInterval(timer);
    await current;
  };
}

export async function startPipelineStack(o: PipelineStackOptions): Promise<PipelineStack> {
  const region = o.config.region;
  // TUNEKIT_FAULTS (as `tunekit local start` reads it) injects throttling/errors for reliability runs.
  const faults = o.faults ?? faultsFromEnv();
  const stack = await startLocalStack({
    port: o.port,
    dataDir: o.dataDir,
    functionsDir: join(o.configDir, 'graders'),
    graders: projectGraders(o.config, o.configDir),
    region,
    log: o.log,
    insecureAnyCredentials: o.config.local.insecureAnyCredentials,
    ...(faults ? { faults } : {}),
    ...(o.provisioningDelayMs !== undefined ? { provisioningDelayMs: o.provisioningDelayMs } : {}),
    ...(o.overrides ? { overrides: o.overrides, stateFile: false } : {}),
  });
  let sfn: LocalStepFunctions | undefined;
  let stopSchedule = () => {};
  let stopJobEvents = () => {};
  let stopJanitor = async () => {};
  let unsubscribe = () => {};
  let cleanUp = async (_arns: string[]) => {};
  const stop = async () => {
    stopSchedule();
    stopJobEvents();
    await stopJanitor();
    unsubscribe();
    // Runs cut short never reach their Teardown state: run the handler for them before the stack goes.
    await cleanUp((await sfn?.service.close()) ?? []);
    await stack.stop();
  };
  try {
    sfn = createStepFunctions({
      dataDir: o.dataDir,
      region,
      log: o.log,
      waitTimeOverrides: o.waitTimeOverrides,
      retryIntervalOverrides: o.retryIntervalOverrides,
    });
    stack.registerService('states', sfn.handle);
    // The pipeline's clients talk to the stack over HTTP, exactly as they would to AWS.
    for (const [k, v] of Object.entries(stack.env)) process.env[k] ??= v;
    const endpoint = stack.endpoint;
    const clients = createAwsClients({
      region,
      endpoints: { s3: endpoint, bedrock: endpoint, bedrockRuntime: endpoint, sfn: endpoint },
      // The stack's own key pair, whatever AWS credentials the environment holds.
      credentials: stack.credentials,
    });
    await clients.s3.send(new CreateBucketCommand({ Bucket: o.config.bucket })).catch((error: Error) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    const ctx = {
      config: o.config,
      clients,
      configDir: o.configDir,
      trainPollMs: o.trainPollMs ?? 1000,
      log: o.log,
    };
    const stateMachineArn = deployPipeline(sfn.service, ctx);
    cleanUp = async (arns) => {
      for (const executionArn of arns) {
        await teardown({ executionArn }, ctx).catch((error: Error) =>
          o.log(`teardown of interrupted run ${executionArn.split(':').pop()} failed: ${error.message}`),
        );
      }
    };
    // Runs the previous stack process left behind (killed mid-run) were marked FAILED; free what they held.
    await cleanUp(sfn.service.interrupted.map((r) => r.executionArn));
    stopJanitor = startLocalJanitor(ctx, o.janitorIntervalMs ?? 3600_000);
    const rule = {
      sfn: clients.sfn,
      stateMachineArn,
      bucket: o.config.bucket,
      prefix: o.config.data.prefix,
      suffix: o.config.data.suffix,
      fingerprint: trainingFingerprint(o.config),
      region,
    };
    const trigger = createS3Trigger({
      ...rule,
      onStart: (object, outcome) =>
        o.log(
          outcome.started
            ? `trigger: s3://${object.bucket}/${object.key} -> run ${outcome.executionArn.split(':').pop()}`
            : `trigger: ${alreadyTrainedMessage(`s3://${object.bucket}/${object.key}`, outcome.name)}`,
        ),
      onError: (object, error) =>
        o.log(
          `trigger: could not start a run for s3://${object.bucket}/${object.key}: ${(error as Error).message}`,
        ),
    });
    unsubscribe = stack.s3.onObjectCreated(trigger.listener);
    // The same rule without the per-event log: replayed deliveries are expected to be duplicates.
    const catchUp = createS3Trigger(rule);
    // Catch up on uploads whose event was journaled but never acted on (the stack died in between):
    // replaying is safe, since a delivery that already started a run is refused by its execution name.
    let caughtUp = 0;
    for (const event of await stack.s3.readEventsSince()) {
      const outcome = await catchUp.handle(event);
      if (outcome?.started) caughtUp++;
    }
    if (caughtUp) o.log(`trigger: started ${caughtUp} run(s) for uploads the previous stack did not act on`);
    if (o.jobEvents) {
      stopJobEvents = watchJobStateChanges(
        clients.bedrock,
        region,
        (event) => {
          if (!matchesPattern(JOB_STATE_CHANGE_PATTERN, event)) return;
          o.log(`${event['detail-type']}: ${event.detail.jobName} is ${event.detail.jobStatus}`);
          // Routed to the notifiers too when the config asks (on AWS the CDK rule sends them to SNS).
          const notification = o.config.notifyJobStateChanges
            ? jobStateNotification(event, o.config.project)
            : undefined;
          if (notification) {
            void notify(notification, o.config.notify, clients).then((results) => {
              for (const r of results.filter((x) => x.status === 'failed'))
                o.log(`job state notification via ${r.notifier} failed: ${r.error}`);
            });
          }
        },
        o.jobEventsIntervalMs,
      );
    }
    if (o.config.schedule) {
      const schedule = startSchedule(o.config.schedule, (at) => {
        void newestTrainingObject(clients.s3, trainingLocation(o.config))
          .then((target) =>
            startRun(clients, stateMachineArn, target, {
              source: 'schedule',
              fingerprint: rule.fingerprint,
              region,
            }),
          )
          .then((r) =>
            o.log(
              `schedule ${at.toISOString()}: ${r.started ? `started ${r.name}` : `already ran ${r.name}`}`,
            ),
          )
          .catch((error: Error) => o.log(`schedule ${at.toISOString()}: no run: ${error.message}`));
      });
      stopSchedule = schedule.stop;
      o.log(`schedule "${o.config.schedule}": next retrain ${schedule.next().toISOString()}`);
    }
    return { stack, sfn, clients, stateMachineArn, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
