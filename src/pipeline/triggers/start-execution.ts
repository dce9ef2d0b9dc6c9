import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/**
 * StartExecution with Step Functions' name idempotency turned into an outcome: a name that already ran
 * (the same S3 event delivered twice) is "duplicate", not an error — at-least-once delivery, exactly-once training.
 */
export type StartOutcome =
  | { started: true; executionArn: string }
  | { started: false; reason: 'duplicate'; name: string };

export async function startExecution(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<StartOutcome> {
  try {
    const r = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { started: true, executionArn: r.executionArn! };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists')
      return { started: false, reason: 'duplicate', name };
    throw error;
  }
}
