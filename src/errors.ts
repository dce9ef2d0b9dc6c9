/**
 * The few typed errors tunekit throws. Each carries a stable, namespaced `code` (instanceof is lost
 * across processes and Lambda boundaries; codes are not) and a `hint` that tells the user what to do.
 * Expected outcomes (an invalid dataset, a failed job, a rejected model) are data, not errors.
 * The CLI entry point is the one place that catches them.
 */
export class TunekitError extends Error {
  override readonly name: string = 'TunekitError';
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** A usage mistake (bad flag value, missing argument): the CLI exits with code 2. */
export class UsageError extends TunekitError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super('CLI.USAGE', message, { hint });
  }
}

/** A planned non-zero exit whose message has already been printed (e.g. "dataset is invalid" → 1). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export const isTunekitError = (e: unknown): e is TunekitError => e instanceof TunekitError;
