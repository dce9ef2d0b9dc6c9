import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';

/**
 * Step Functions' payload quota, enforced locally as AWS enforces it (bedrock-facts.md §11.1): a state's
 * input (after Parameters) or output, a task's result, an execution's input or output, and a Map
 * iteration's result may hold at most 262,144 bytes of UTF-8. Over it the execution fails with
 * `States.DataLimitExceeded`, a terminal error that `States.ALL` does not catch; only a Catch that names
 * it does (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 *
 * What is checked where (aws-local-stepfunctions 3.0.0 has no hook inside a state, so this wraps what it
 * exposes):
 * - a Task's input after Parameters and its raw result: in the Task handler (runner.ts), inside the
 *   state, so the state's Catch applies exactly as on AWS (a named catcher catches, States.ALL doesn't);
 * - every state's input and output (after ResultSelector/ResultPath/OutputPath), an execution's output
 *   and a Map iteration's result: at the interpreter's StateEntered/StateExited/ExecutionSucceeded
 *   events. These fail the execution (or, inside a Map iteration, the Map state, whose named Catch then
 *   applies); a Catch on the state whose *output* is too large is NOT consulted locally — AWS would let a
 *   catcher naming States.DataLimitExceeded on that same state catch it.
 */

export const PAYLOAD_LIMIT_BYTES = 262_144;
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
const WILDCARDS = new Set(['States.ALL', 'States.TaskFailed']);

export type Catcher = { ErrorEquals: string[] };

/** UTF-8 bytes of a value as Step Functions serialises it (JSON). */
export function payloadBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Whether a state's Catch list catches States.DataLimitExceeded: only a catcher that names it, and only
 * when no wildcard catcher comes first (ASL requires States.ALL to be last, so on a valid definition the
 * named catcher is reached first on AWS too).
 */
export function catchesDataLimit(catchers: readonly Catcher[] | undefined): boolean {
  for (const catcher of catchers ?? []) {
    if (catcher.ErrorEquals.includes(DATA_LIMIT_EXCEEDED)) return true;
    if (catcher.ErrorEquals.some((e) => WILDCARDS.has(e))) return false;
  }
  return false;
}

export interface DataLimitError extends Error {
  /** Read by the interpreter's Catch matching: false means no catcher (not even States.ALL) applies. */
  isCatchable: boolean;
  /** Retrying cannot make the same payload smaller. */
  isRetryable: false;
}

export function dataLimitError(what: string, bytes: number, catchable = false): DataLimitError {
  // AWS's cause reads "The state/task '<name>' returned a result with a size exceeding the maximum number
  // of bytes service limit." (UNCONFIRMED wording); ours also gives the size and what to change.
  const error = new Error(
    `${what} has a size of ${bytes} bytes, exceeding the maximum of ${PAYLOAD_LIMIT_BYTES} bytes (256 KiB of UTF-8) ` +
      'that Step Functions allows for a state input, state output or task result. Keep large data in S3 and pass its key.',
  ) as DataLimitError;
  error.name = DATA_LIMIT_EXCEEDED;
  error.isCatchable = catchable;
  error.isRetryable = false;
  return error;
}

export const isDataLimitError = (error: unknown): error is DataLimitError =>
  error instanceof Error && error.name === DATA_LIMIT_EXCEEDED;

/** Throws States.DataLimitExceeded when `value` is over the quota. */
export function checkPayload(value: unknown, what: string, catchable = false): void {
  const bytes = payloadBytes(value);
  if (bytes > PAYLOAD_LIMIT_BYTES) throw dataLimitError(what, bytes, catchable);
}

/** How a definition (the top level or a Map's ItemProcessor) is run: what its failures propagate to. */
export interface LimitScope {
  /** Set for an inline Map's ItemProcessor: the Map state whose Catch sees an iteration's failure. */
  parentMap?: { name: string; catchers?: Catcher[] };
  /** A child execution (Distributed Map) or the execution itself: "execution" in messages. */
  label: string;
}

const scopes = new WeakMap<object, LimitScope>();

/** Marks a definition object (as handed to the library) to be run with the payload checks. */
export function enforceLimits(definition: object, scope: LimitScope): void {
  scopes.set(definition, scope);
}

interface EventLoggerLike {
  dispatchStateEnteredEvent(name: string, type: string, input: unknown): void;
  dispatchStateExitedEvent(name: string, type: string, input: unknown, output: unknown): void;
  dispatchExecutionSucceededEvent(output: unknown): void;
  dispatchExecutionFailedEvent(error: Error): void;
}

function guardLogger(logger: EventLoggerLike, scope: LimitScope): void {
  const entered = logger.dispatchStateEnteredEvent.bind(logger);
  const exited = logger.dispatchStateExitedEvent.bind(logger);
  const succeeded = logger.dispatchExecutionSucceededEvent.bind(logger);
  // Both run inside the interpreter's try: a throw fails this execution with our error.
  logger.dispatchStateEnteredEvent = (name, type, input) => {
    entered(name, type, input);
    checkPayload(input, `The input of state '${name}'`);
  };
  logger.dispatchStateExitedEvent = (name, type, input, output) => {
    checkPayload(output, `The output of state '${name}'`);
    exited(name, type, input, output);
  };
  // Runs after the interpreter's try: record the failure ourselves, then reject the execution.
  logger.dispatchExecutionSucceededEvent = (output) => {
    const bytes = payloadBytes(output);
    if (bytes <= PAYLOAD_LIMIT_BYTES) return succeeded(output);
    const error = dataLimitError(`The output of ${scope.label}`, bytes);
    logger.dispatchExecutionFailedEvent(error);
    throw error;
  };
}

let installed = false;

/**
 * Wraps the interpreter's per-execution loop (also used for every Map iteration) once per process. Only
 * definitions registered with `enforceLimits` are affected.
 */
export function installPayloadLimits(): void {
  if (installed) return;
  installed = true;
  type Execute = (
    input: unknown,
    options: { eventLogger: EventLoggerLike },
    cleanup: () => void,
  ) => Promise<unknown>;
  const proto = StateMachine.prototype as unknown as { execute: Execute; definition?: object };
  const original = proto.execute;
  if (typeof original !== 'function') {
    throw new Error(
      'aws-local-stepfunctions changed: StateMachine.prototype.execute is gone (payload limits)',
    );
  }
  proto.execute = function (this: { definition: object }, input, options, cleanup) {
    const scope = scopes.get(this.definition);
    if (!scope) return original.call(this, input, options, cleanup);
    guardLogger(options.eventLogger, scope);
    const run = original.call(this, input, options, cleanup);
    const parent = scope.parentMap;
    if (!parent) return run;
    // An iteration's failure becomes the Map state's error: whether *its* Catch applies is decided by
    // the Map's catchers, not the inner state's.
    return run.catch((error: unknown) => {
      const inner = error instanceof ExecutionError ? (error as { cause?: unknown }).cause : error;
      if (isDataLimitError(inner)) inner.isCatchable = catchesDataLimit(parent.catchers);
      throw error;
    });
  };
}
