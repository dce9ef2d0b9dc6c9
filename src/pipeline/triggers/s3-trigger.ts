import type { SFNClient } from '@aws-sdk/client-sfn';
import { type EventPattern, matchesAll, trainingDataPatterns } from './event-pattern.ts';
import { executionNameFor, type ObjectCreated, objectCreatedEvent } from './s3-event.ts';
import { type StartOutcome, startExecution } from './start-execution.ts';

/**
 * The local equivalent of the EventBridge rule: object-created notifications from the local S3 are
 * shaped into EventBridge events, matched against the rule's patterns, and matching ones start the
 * state machine over the Step Functions API (the same call the AWS rule target makes).
 */

export interface S3TriggerOptions {
  sfn: SFNClient;
  stateMachineArn: string;
  bucket: string;
  prefix: string;
  suffix: string;
  region?: string;
  onStart?: (object: ObjectCreated, outcome: StartOutcome) => void;
  onError?: (object: ObjectCreated, error: unknown) => void;
}

export function createS3Trigger(options: S3TriggerOptions) {
  const patterns: EventPattern[] = trainingDataPatterns(options.bucket, options.prefix, options.suffix);
  const inFlight = new Set<Promise<unknown>>();
  const handle = async (object: ObjectCreated): Promise<StartOutcome | undefined> => {
    const event = objectCreatedEvent(object, { region: options.region });
    if (!matchesAll(patterns, event)) return undefined;
    try {
      const outcome = await startExecution(
        options.sfn,
        options.stateMachineArn,
        executionNameFor(object),
        event,
      );
      options.onStart?.(object, outcome);
      return outcome;
    } catch (error) {
      options.onError?.(object, error);
      return undefined;
    }
  };
  return {
    patterns,
    /** Listener for the local S3's `onObjectCreated`. */
    listener: (object: ObjectCreated) => {
      const p = handle(object);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    handle,
    /** Resolves when every StartExecution call in flight has returned. */
    settled: () => Promise.all([...inFlight]),
  };
}
