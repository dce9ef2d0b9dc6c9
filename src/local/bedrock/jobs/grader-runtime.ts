import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionNameOf } from '../../stepfunctions/arns.ts';

/**
 * The local stand-in for the Lambda grader of a REINFORCEMENT_FINE_TUNING job. On AWS, Bedrock invokes
 * the function `rftConfig.graderConfig.lambdaGrader.lambdaArn` with a batch of samples; locally the
 * function's NAME (the ARN's `function:NAME`) is a file in the project's graders folder, NAME.mjs/.js/.ts,
 * imported in-process (in the training worker) and called with the same event.
 *
 * Event and response, from Bedrock's "Setting up reward functions for Amazon Nova models"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/reward-functions.html, "Lambda function
 * implementation details"):
 *   event:    [{ id, messages: [...prompt, { role: 'assistant', content }], metadata: { reference_answer, ...
 *              the record's other fields } }]
 *   response: [{ id, aggregate_reward_score: number, metrics_list?: [{ name, value, type: 'Reward'|'Metric' }] }]
 * How Bedrock batches samples and forms ids is UNCONFIRMED.
 */

export interface GraderMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GraderSample {
  id: string;
  messages: GraderMessage[];
  metadata: Record<string, unknown>;
}

export interface GraderScore {
  id: string;
  aggregate_reward_score: number;
  metrics_list?: { name: string; value: number; type: string }[];
}

/** Where the job's grader lives (resolved on the main thread, imported in the worker). */
export interface GraderRef {
  /** Lambda function name from the ARN */
  name: string;
  lambdaArn: string;
  /** absolute path of the grader file, when one was found */
  file?: string;
  /** where it was looked for (for the failure message) */
  searched: string[];
}

export class GraderFailure extends Error {
  override readonly name = 'GraderFailure';
}

const EXTENSIONS = ['.mjs', '.js', '.ts', '.mts', '.cjs'];

/**
 * `graders`: function names registered to a file (the project's configured grader under the name the
 * pipeline and `tunekit train` put in the job, `<project>-grader`); any other name is looked up in
 * `functionsDir` as NAME.mjs/.js/.ts (what a boto3 user's `function:NAME` means locally).
 */
export function resolveGrader(
  lambdaArn: string,
  functionsDir: string,
  graders: Readonly<Record<string, string>> = {},
): GraderRef {
  const name = functionNameOf(lambdaArn) ?? lambdaArn;
  const registered = graders[name];
  const searched = registered ? [registered] : EXTENSIONS.map((ext) => join(functionsDir, `${name}${ext}`));
  const file = searched.find((f) => existsSync(f));
  return { name, lambdaArn, searched, ...(file ? { file } : {}) };
}

function describe(ref: GraderRef): string {
  const shown = ref.file ? relative(process.cwd(), ref.file) || ref.file : ref.name;
  return `The grader "${ref.name}" (${shown})`;
}

type Handler = (event: unknown, context: unknown) => unknown;

/** Loads the grader module (re-read when the file changes) and returns its `handler`. */
export async function loadGrader(ref: GraderRef): Promise<Handler> {
  if (!ref.file)
    throw new GraderFailure(
      `The grader function "${ref.name}" (${ref.lambdaArn}) was not found: the local stack runs graders from ${ref.searched.join(', ')}. ` +
        'Create it (`tunekit init --method reinforcement` scaffolds graders/grader.mjs), or point lambdaArn at function:<file name without extension>.',
    );
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pathToFileURL(ref.file).href}?v=${statSync(ref.file).mtimeMs}`)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new GraderFailure(
      `${describe(ref)} could not be loaded: ${(error as Error)?.message ?? error}. Fix the file (run its test: node --test graders/) and start a new job.`,
    );
  }
  const handler = (mod.handler ??
    (mod.default as Record<string, unknown> | undefined)?.handler ??
    mod.default) as Handler | undefined;
  if (typeof handler !== 'function')
    throw new GraderFailure(
      `${describe(ref)} exports no handler: export an async function \`handler(event, context)\` that returns [{ id, aggregate_reward_score }] (as a Lambda grader does).`,
    );
  return handler;
}

const SHAPE_HINT =
  'A grader returns one { id, aggregate_reward_score: <number>, metrics_list?: [{ name, value, type }] } per sample it receives, as an array.';

/** Checks the grader's response against the batch it was given; returns the reward of each sample, in order. */
function readScores(ref: GraderRef, samples: GraderSample[], response: unknown): GraderScore[] {
  const bad = (what: string) =>
    new GraderFailure(`${describe(ref)} returned a bad response: ${what}. ${SHAPE_HINT}`);
  if (!Array.isArray(response))
    throw bad(`expected an array, got ${response === null ? 'null' : typeof response}`);
  const byId = new Map<string, GraderScore>();
  response.forEach((item, i) => {
    const r = item as Record<string, unknown> | null;
    if (r === null || typeof r !== 'object') throw bad(`[${i}] is not an object`);
    if (typeof r.id !== 'string') throw bad(`[${i}].id is missing (it must echo the sample's id)`);
    const score = r.aggregate_reward_score;
    if (typeof score !== 'number' || !Number.isFinite(score))
      throw bad(
        `[${i}].aggregate_reward_score is ${JSON.stringify(score) ?? 'undefined'}, not a finite number`,
      );
    if (r.metrics_list !== undefined && !Array.isArray(r.metrics_list))
      throw bad(`[${i}].metrics_list is not an array`);
    byId.set(r.id, r as unknown as GraderScore);
  });
  return samples.map((s) => {
    const score = byId.get(s.id);
    if (!score)
      throw bad(
        `no score for sample id ${s.id} (${samples.length} samples sent, ${response.length} scores returned)`,
      );
    return score;
  });
}

/** Lambda's maximum timeout; reward functions must finish within it (reward-functions.html). */
const GRADER_TIMEOUT_MS = 15 * 60_000;

/** Calls the grader with one batch, as Bedrock invokes the Lambda function. */
export async function grade(
  ref: GraderRef,
  handler: Handler,
  samples: GraderSample[],
  timeoutMs = GRADER_TIMEOUT_MS,
): Promise<GraderScore[]> {
  const started = Date.now();
  // The parts of the Lambda context a grader might read.
  const context = {
    functionName: ref.name,
    invokedFunctionArn: ref.lambdaArn,
    awsRequestId: `local-${started.toString(36)}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  let response: unknown;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new GraderFailure(
            `${describe(ref)} did not return within ${Math.round(timeoutMs / 1000)} s (a Lambda grader's limit is 15 minutes). Make it faster (score without network calls where you can), then start a new job.`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    response = await Promise.race([Promise.resolve(handler(structuredClone(samples), context)), timedOut]);
  } catch (error) {
    if (error instanceof GraderFailure) throw error;
    throw new GraderFailure(
      `${describe(ref)} threw: ${(error as Error)?.message ?? String(error)}. Run its test (node --test graders/), fix it and start a new job.`,
    );
  } finally {
    clearTimeout(timer);
  }
  return readScores(ref, samples, response);
}
