import type { SFNClient } from '@aws-sdk/client-sfn';
import { type RunStart, startObjectRun } from '../start-run.ts';
import { type EventPattern, matchesAll, trainingDataPatterns } from './event-pattern.ts';
import { type ObjectCreated, objectCreatedEvent } from './s3-event.ts';

/**
 * The local equivalent of the EventBridge rule: object-created notifications from the local S3 are
 * shaped into EventBridge events, matched against the rule's patterns, and matching ones start the
 * state machine over the Step Functions API, named by the object's content and the training settings
 * (run-name.ts) as the AWS starter Lambda does: a repeated event, or the same bytes uploaded again, start
 * nothing (`{started: false, reason: 'duplicate'}`).
 */

export interface S3TriggerOptions {
  sfn: SFNClient;
  stateMachineArn: string;
  bucket: string;
  prefix: string;
  suffix: string;
  /** trainingFingerprint(config): the same data with other training settings is a new run. */
  fingerprint: string;
  region?: string;
  onStart?: (object: ObjectCreated, outcome: RunStart) => void;
  onError?: (object: ObjectCreated, error: unknown) => void;
}

export function createS3Trigger(options: S3TriggerOptions) {
  const patterns: EventPattern[] = trainingDataPatterns(options.bucket, options.prefix, options.suffix);
  const inFlight = new Set<Promise<unknown>>();
  const handle = async (object: ObjectCreated): Promise<RunStart | undefined> => {
    const event = objectCreatedEvent(object, { region: options.region });
    if (!matchesAll(patterns, event)) return undefined;
    try {
      const outcome = await startObjectRun(options.sfn, options.stateMachineArn, event, options.fingerprint);
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
