import { randomBytes } from 'node:crypto';
import type { AwsClients } from '../aws/clients.ts';
import { converseText } from './converse.ts';
import { judgeAnswer, probeJudge } from './judge.ts';
import { Limiter } from './limiter.ts';
import type { Judgement } from './metrics/metric.ts';
import { DEFAULT_RETRY, RetriesExhausted, type RetryPolicy, withRetries } from './retry.ts';
import type { CaseResult, EvalRun, JudgeStatus, ModelRef } from './run.schema.ts';
import { scoreAnswer } from './score.ts';
import type { EvalCase, EvalSuite } from './suite.schema.ts';

export interface EvalProgress {
  done: number;
  total: number;
  errored: number;
}

export interface RunEvaluationOptions {
  suite: EvalSuite;
  models: ModelRef[];
  /** From createAwsClients; create them with `maxAttempts: 1` — this runner retries itself (see retry.ts). */
  clients: Pick<AwsClients, 'bedrockRuntime'>;
  /** Model calls in flight at once (answers and judgements together). */
  concurrency: number;
  maxTokens: number;
  judgeModel?: string;
  /**
   * Probe the judge with one tiny call before the run (default true). Callers that split one evaluation
   * into many runs (the pipeline's Map over cases) may probe once and pass false afterwards.
   */
  probeJudge?: boolean;
  onProgress?: (progress: EvalProgress) => void;
  retry?: RetryPolicy;
  /** Per-call timeout. */
  callTimeoutMs?: number;
  /** For tests and the bench: the limiter's peak is the concurrency actually reached. */
  limiter?: Limiter;
  runId?: string;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

const errorOf = (error: unknown, timeoutMs?: number) => {
  const e = error instanceof RetriesExhausted ? error.lastError : error;
  const named = e as { name?: string; code?: string; message?: string };
  // The per-call AbortSignal.timeout surfaces as an abort; say what happened instead.
  if (timeoutMs !== undefined && (named?.name === 'AbortError' || named?.name === 'TimeoutError')) {
    return { code: 'Timeout', message: `no answer within ${timeoutMs} ms` };
  }
  const code = named?.code && typeof named.code === 'string' ? named.code : (named?.name ?? 'Error');
  return { code, message: named?.message ?? String(e) };
};

/**
 * Asks every model every case and scores the answers. Never throws for one bad case: a model error, a
 * throttle that outlasts the retries or a malformed answer becomes an errored result and the run goes on.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvalRun> {
  const startedAt = new Date();
  const client = options.clients.bedrockRuntime;
  const retry = options.retry ?? DEFAULT_RETRY;
  const timeoutMs = options.callTimeoutMs ?? 60_000;
  const limiter = options.limiter ?? new Limiter(options.concurrency);
  const judge = await resolveJudge(options, retry, timeoutMs);

  const total = options.suite.cases.length * options.models.length;
  let done = 0;
  let errored = 0;
  const call = <T>(fn: () => Promise<T>) => withRetries((n) => limiter.run(fn, n > 1), retry);

  const evaluateOne = async (evalCase: EvalCase, model: ModelRef): Promise<CaseResult> => {
    const base = { caseId: evalCase.id, category: evalCase.category, model: model.label };
    const started = performance.now();
    let answer: Awaited<ReturnType<typeof converseText>>;
    let attempts: number;
    try {
      const system = evalCase.system ?? options.suite.system;
      ({ value: answer, attempts } = await call(() =>
        converseText(client, {
          modelId: model.modelId,
          system,
          prompt: evalCase.prompt,
          maxTokens: options.maxTokens,
          timeoutMs,
        }),
      ));
    } catch (error) {
      return {
        ...base,
        status: 'error',
        error: errorOf(error, timeoutMs),
        attempts: error instanceof RetriesExhausted ? error.attempts : 1,
        latencyMs: performance.now() - started,
        metrics: [],
      };
    }
    const latencyMs = performance.now() - started;
    let judgement: Judgement | undefined;
    let judgeError: string | undefined;
    if (judge.status === 'used' && judge.model) {
      const judgeModel = judge.model;
      try {
        ({ value: judgement } = await call(() =>
          judgeAnswer(client, judgeModel, evalCase, answer.text, timeoutMs),
        ));
      } catch (error) {
        judgeError = errorOf(error, timeoutMs).message;
      }
    }
    return {
      ...base,
      status: 'ok',
      answer: answer.text,
      attempts,
      latencyMs,
      ...(answer.usage ? { usage: answer.usage } : {}),
      ...(answer.stopReason ? { stopReason: answer.stopReason } : {}),
      metrics: scoreAnswer(evalCase, answer.text, judgement),
      ...(judgeError ? { judgeError } : {}),
    };
  };

  // Every (case, model) pair starts at once; the limiter bounds the calls actually in flight.
  const tasks = options.suite.cases.flatMap((evalCase) =>
    options.models.map(async (model) => {
      const result = await evaluateOne(evalCase, model);
      done++;
      if (result.status === 'error') errored++;
      options.onProgress?.({ done, total, errored });
      return result;
    }),
  );
  const results = await Promise.all(tasks);
  return {
    id: options.runId ?? newRunId(startedAt),
    suite: snapshot(options.suite),
    models: options.models,
    judge,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    concurrency: limiter.limit,
    results,
  };
}

async function resolveJudge(
  options: RunEvaluationOptions,
  retry: RetryPolicy,
  timeoutMs: number,
): Promise<JudgeStatus> {
  if (!options.judgeModel)
    return {
      status: 'skipped',
      reason: 'no judge model configured (evaluation.judgeModel or --judge-model)',
    };
  if (options.probeJudge === false) return { status: 'used', model: options.judgeModel };
  try {
    await withRetries(
      () => probeJudge(options.clients.bedrockRuntime, options.judgeModel!, Math.min(timeoutMs, 15_000)),
      {
        ...retry,
        maxAttempts: Math.min(retry.maxAttempts, 3),
      },
    );
    return { status: 'used', model: options.judgeModel };
  } catch (error) {
    const { code, message } = errorOf(error);
    return {
      status: 'skipped',
      model: options.judgeModel,
      reason: `judge model unreachable: ${code}: ${message}`,
    };
  }
}

export function snapshot(suite: EvalSuite): EvalRun['suite'] {
  return {
    name: suite.name,
    ...(suite.description ? { description: suite.description } : {}),
    cases: suite.cases.map((c) => ({
      id: c.id,
      category: c.category,
      tags: c.tags,
      prompt: c.prompt,
      reference: c.reference,
      ...(c.expectedTheme ? { expectedTheme: c.expectedTheme } : {}),
    })),
  };
}
