import { notify, type OutcomeInput, s3SentLog } from '../../notify/index.ts';
import { causeMessage } from '../run-view.ts';
import { field, type TaskContext } from './context.ts';

/**
 * The Notify states (validation failed / result / failed): turn the execution's state into the
 * notification outcome, send it, and return the run's summary — which becomes the execution output on
 * success, so `tunekit runs show` and the main job print the same facts the notification carried.
 */

type Kind = 'validation-failed' | 'result' | 'failed';
type State = Record<string, { Payload?: Record<string, unknown> } | undefined> & {
  error?: { Error?: string; Cause?: string };
};

const payload = (state: State, key: string) => state[key]?.Payload as Record<string, unknown> | undefined;

/** Where the run stopped, from which results it had gathered (Catch does not record the state name). */
export function failedStateOf(state: State): string {
  if (!state.validation) return 'ValidateTrainingData';
  if (!state.training) return 'StartFineTuningJob';
  if (!state.deployment) return 'DeployForEvaluation';
  if (payload(state, 'readiness')?.status !== 'Ready') return 'WaitUntilReady';
  if (!state.plan) return 'PlanEvaluation';
  if (!state.cases) return 'Evaluate';
  if (!state.evaluation) return 'ScoreEvaluation';
  if (!state.registration) return 'RegisterModel';
  return 'Promote';
}

/** Lambda-style causes are JSON (`{errorMessage, errorType}`); people want the message. */
export function readableCause(error: { Error?: string; Cause?: string } | undefined): string {
  if (!error) return 'unknown error';
  return `${error.Error}: ${causeMessage(error.Cause ?? '')}`;
}

export function buildOutcome(kind: Kind, state: State, executionArn: string, project: string): OutcomeInput {
  const common = { executionId: executionArn, project };
  const validation = payload(state, 'validation');
  if (kind === 'validation-failed') {
    const dataUri = String(validation?.dataUri ?? 'unknown');
    const errors =
      (validation?.errors as { line?: number; path: string; message: string; hint?: string }[]) ?? [];
    return {
      ...common,
      status: 'validation-failed',
      dataUri,
      issues: errors.map((e) => ({
        file: dataUri,
        line: e.line,
        path: e.path,
        message: e.hint ? `${e.message} -> ${e.hint}` : e.message,
      })),
      issueCount: Number(validation?.errorCount ?? errors.length),
    };
  }
  if (kind === 'failed') {
    return {
      ...common,
      status: 'failed',
      failedState: failedStateOf(state),
      cause: readableCause(state.error),
    };
  }
  const evaluation = payload(state, 'evaluation') ?? {};
  const registration = payload(state, 'registration') ?? {};
  const scores = (evaluation.scores as Record<string, number>) ?? {};
  const reportUri = evaluation.reportUri as string | undefined;
  const baselineScores = evaluation.baselineScores as Record<string, number> | undefined;
  const productionScores = evaluation.productionScores as Record<string, number> | null | undefined;
  const extra = {
    scores,
    ...(reportUri ? { reportUri } : {}),
    ...(baselineScores ? { baselineScores } : {}),
    ...(productionScores ? { productionScores } : {}),
  };
  if (evaluation.passed === true) {
    return {
      ...common,
      ...extra,
      status: 'succeeded',
      version: String(registration.version),
      promoted: payload(state, 'promotion')?.production === registration.version,
      customModelArn: field<string>(state.training, 'outputModelArn'),
    };
  }
  const reasons = (evaluation.reasons as string[]) ?? [];
  return {
    ...common,
    ...extra,
    status: 'rejected',
    version: registration.version as string | undefined,
    reasons: reasons.length ? reasons : ['the evaluation gate did not pass'],
  };
}

export async function notifyOutcome(
  input: { kind: Kind; state: State; executionArn: string; executionName: string },
  ctx: TaskContext,
) {
  const outcome = buildOutcome(input.kind, input.state, input.executionArn, ctx.config.project);
  const results = await notify(outcome, ctx.config.notify, ctx.clients, {
    sentLog: s3SentLog(ctx.clients.s3, ctx.config.bucket),
    write: ctx.log,
  });
  const evaluation = payload(input.state, 'evaluation') ?? {};
  const deployment = payload(input.state, 'deployment') ?? {};
  const status = outcome.status;
  return {
    outcome: status === 'succeeded' ? (outcome.promoted ? 'promoted' : 'registered') : status,
    execution: input.executionName,
    dataUri: payload(input.state, 'validation')?.dataUri ?? null,
    version: 'version' in outcome ? (outcome.version ?? null) : null,
    promoted: status === 'succeeded' && outcome.promoted,
    reasons: status === 'rejected' ? outcome.reasons : [],
    trainingLoss: deployment.trainingLoss ?? null,
    scores: evaluation.scores ?? {},
    baselineScores: evaluation.baselineScores ?? {},
    productionScores: evaluation.productionScores ?? null,
    productionNote: evaluation.productionNote ?? null,
    gateChecks: evaluation.checks ?? [],
    dimensions: evaluation.dimensions ?? null,
    reportUri: evaluation.reportUri ?? null,
    htmlReportUri: evaluation.htmlReportUri ?? null,
    teardown: payload(input.state, 'teardown')?.deleted ?? [],
    notifications: results,
  };
}
