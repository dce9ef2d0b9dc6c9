import { hyperparametersFor } from '../bedrock/hyperparameters.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { type EvalSuite, suiteMismatch } from '../evaluation/index.ts';
import { CATALOG, findModel } from '../models/catalog.ts';
import { checkMethod } from '../models/methods.ts';
import { readSuite, suiteLocation } from './suite-source.ts';
import type { TaskContext } from './tasks/context.ts';

/**
 * The pre-flight: everything that can fail after training, checked before the first paid step (the
 * customization job), so a run never trains, deploys and only then finds it cannot evaluate. Each check
 * says what is wrong and what to do; the result is data, the caller decides (ValidateTrainingData ends the
 * run with it).
 */

export type PreflightCheck = 'suite' | 'hyperparameters' | 'base-model';

export interface PreflightProblem {
  check: PreflightCheck;
  message: string;
  hint: string;
}

export interface PreflightResult {
  ok: boolean;
  problems: PreflightProblem[];
  /** The suite that will be evaluated, when it loaded. */
  suite?: { name: string; cases: number };
  /** What does not stop the run but may make its gate meaningless (e.g. a suite unlike the data). */
  warnings: string[];
}

/** The categories every evaluation gate compares (src/evaluation/gate.ts): each needs at least one case. */
const GATED_CATEGORIES = ['in-domain', 'out-of-domain', 'safety'] as const;

const message = (error: unknown) => (error as Error).message;
const hint = (error: unknown, fallback: string) =>
  error instanceof TunekitError && error.hint ? error.hint : fallback;

/** The suite loads and can decide the gate: a suite missing a category makes the gate reject every candidate. */
export async function checkSuite(
  ctx: Pick<TaskContext, 'config' | 'clients' | 'configDir'>,
): Promise<{ suite?: EvalSuite; problems: PreflightProblem[] }> {
  // No suite configured: the run evaluates on a held-out slice of its own data plus tunekit's built-in
  // out-of-domain and safety cases (evaluation/suite-source.ts), which covers every gated category.
  const where = suiteLocation(ctx);
  if (where === undefined) return { problems: [] };
  let suite: EvalSuite;
  try {
    suite = await readSuite(ctx);
  } catch (error) {
    return {
      problems: [
        {
          check: 'suite',
          message: message(error),
          // The loader's own hint speaks to `tunekit eval` (--suite); here the config names the suite.
          hint:
            error instanceof TunekitError && error.code === 'EVAL.SUITE_NOT_FOUND'
              ? 'create it (`tunekit init` writes a sample eval/suite.json) or point "evaluation.suite" in tunekit.config.json at your suite'
              : hint(error, 'fix the suite "evaluation.suite" names (see docs/evaluation.md)'),
        },
      ],
    };
  }
  const missing = GATED_CATEGORIES.filter((c) => !suite.cases.some((k) => k.category === c));
  const problems: PreflightProblem[] = missing.length
    ? [
        {
          check: 'suite',
          message: `${where}: no ${missing.join(', ')} case(s); the gate compares every category, so it would reject every candidate`,
          hint: `add at least one case with "category": "${missing[0]}" to the suite`,
        },
      ]
    : [];
  return { suite, problems };
}

/** The base model is in the catalog and customizable in the configured region. */
export function checkBaseModel(config: Config): PreflightProblem[] {
  const model = findModel(config.baseModel);
  if (!model)
    return [
      {
        check: 'base-model',
        message: `base model ${config.baseModel} is not in tunekit's catalog`,
        hint: 'pick one from `tunekit models` and set "baseModel" in tunekit.config.json',
      },
    ];
  if (!model.regions.includes(config.region))
    return [
      {
        check: 'base-model',
        message: `${model.name} cannot be customized in ${config.region} (catalog regions: ${model.regions.join(', ')})`,
        hint: `set "region" to one of ${model.regions.join(', ')} in tunekit.config.json`,
      },
    ];
  // The configured method on this model (and the teacher for distillation): the catalog's one check.
  return checkMethod(
    {
      baseModel: config.baseModel,
      region: config.region,
      method: config.customization.method,
      teacherModel: config.customization.distillation?.teacherModel,
    },
    CATALOG,
  ).map((p) => ({ check: 'base-model', message: `${p.path}: ${p.message}`, hint: p.hint }));
}

/** Hyperparameters resolve with the same resolver `tunekit train` uses (names and ranges from the catalog). */
export function checkHyperparameters(config: Config): PreflightProblem[] {
  const model = findModel(config.baseModel);
  if (!model) return []; // reported by checkBaseModel
  try {
    hyperparametersFor(config.customization.method, model, config.hyperparameters, {});
    return [];
  } catch (error) {
    return [
      { check: 'hyperparameters', message: message(error), hint: hint(error, 'fix "hyperparameters"') },
    ];
  }
}

/**
 * `trainingText`: the run's data, when the caller has it. Then a configured suite whose in-domain prompts
 * share almost nothing with it is a warning (the same check the evaluation report notes).
 */
export async function runPreflight(
  ctx: Pick<TaskContext, 'config' | 'clients' | 'configDir'>,
  trainingText?: string,
): Promise<PreflightResult> {
  const baseModel = checkBaseModel(ctx.config);
  const hyperparameters = checkHyperparameters(ctx.config);
  const suite = await checkSuite(ctx);
  const problems = [...baseModel, ...hyperparameters, ...suite.problems];
  const mismatch =
    suite.suite && trainingText !== undefined ? suiteMismatch(suite.suite, trainingText) : undefined;
  return {
    ok: problems.length === 0,
    problems,
    ...(suite.suite ? { suite: { name: suite.suite.name, cases: suite.suite.cases.length } } : {}),
    warnings: mismatch ? [mismatch] : [],
  };
}

/** A failed pre-flight as the error that ends the run: every problem and its fix in the message. */
export function preflightError(result: PreflightResult): TunekitError {
  const lines = result.problems.map((p) => `${p.check}: ${p.message} -> ${p.hint}`);
  return new TunekitError(
    'PIPELINE.PREFLIGHT_FAILED',
    `pre-flight failed, nothing was trained: ${lines.join('; ')}`,
    { hint: result.problems[0]?.hint ?? 'fix the configuration and run again' },
  );
}
