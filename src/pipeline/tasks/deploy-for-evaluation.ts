import {
  createDeployment,
  customModelStatus,
  type DeploymentMode,
  deploymentMode,
  deploymentModeFor,
  type EvaluationDeployment,
} from '../../bedrock/deployment.ts';
import { evaluationDeploymentName, productionEvaluationDeploymentName } from '../../bedrock/names.ts';
import { servingProductionDeployment } from '../../bedrock/production-deployment.ts';
import { TunekitError } from '../../errors.ts';
import { readIndex, readVersion } from '../../registry/index.ts';
import { field, type TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/**
 * DeployForEvaluation: serves the trained custom model so the suite can be run against it and, when the
 * registry has a `production` version with a custom model, serves that one too so the gate can compare
 * against what users get today. Names are derived from the execution, so Teardown can always find (and
 * delete) what this created — even when this state failed half-way.
 */

export interface ProductionDeployment extends EvaluationDeployment {
  version: string;
  /** The long-lived production deployment, used as it is: Teardown must leave it alone. */
  shared?: boolean;
}

export type EvaluationDeployments = EvaluationDeployment & {
  trainingLoss?: number;
  /** Present when production is deployed for this evaluation. */
  production?: ProductionDeployment;
  /** Why production is (or is not) part of the evaluation, for the report and the notification. */
  productionNote: string;
};

/** The production version to compare against, if the registry has one trained into a custom model. */
async function productionToDeploy(
  ctx: TaskContext,
): Promise<
  | { version: string; customModelArn: string; mode: DeploymentMode; serving?: { name: string; arn: string } }
  | { note: string }
> {
  const registry = registryContext(ctx);
  const { index } = await readIndex(registry);
  const version = index.aliases.production;
  if (!version) return { note: 'no production version yet' };
  const record = await readVersion(registry, version);
  if (!record.customModelArn)
    return { note: `production ${version} has no custom model ARN to deploy for comparison` };
  const serving = await servingProductionDeployment(ctx.clients.bedrock, ctx.config, record);
  return {
    version,
    customModelArn: record.customModelArn,
    mode: serving?.mode ?? deploymentModeFor(ctx.config, record.baseModelId),
    ...(serving ? { serving: { name: serving.name, arn: serving.arn } } : {}),
  };
}

export async function deployForEvaluation(
  input: { training: unknown; executionArn: string },
  ctx: TaskContext,
): Promise<EvaluationDeployments> {
  const customModelArn = field<string>(input.training, 'outputModelArn');
  if (!customModelArn) {
    throw new TunekitError('PIPELINE.NO_MODEL', 'the training job finished without an output model ARN', {
      hint: 'inspect the job: aws bedrock get-model-customization-job --job-identifier <arn>',
    });
  }
  const status = await customModelStatus(ctx.clients.bedrock, customModelArn);
  if (status !== 'Active') {
    // Retried by the state's Retry (CustomModelNotActive) until Bedrock finishes creating the model.
    throw Object.assign(
      new Error(`custom model ${customModelArn} is ${status ?? 'unknown'}, not Active yet`),
      {
        name: 'CustomModelNotActive',
      },
    );
  }
  const project = ctx.config.project;
  const mode = deploymentMode(ctx.config);
  const name = evaluationDeploymentName(project, input.executionArn);
  const { arn } = await createDeployment(ctx.clients.bedrock, mode, name, customModelArn, { project });
  ctx.log?.(`evaluation deployment (${mode}) ${arn}`);

  const prod = await productionToDeploy(ctx);
  let production: ProductionDeployment | undefined;
  let productionNote: string;
  if ('note' in prod) {
    productionNote = prod.note;
  } else if (prod.serving) {
    // Already served by the production deployment: ask it directly, no second deployment to pay for.
    production = {
      mode: prod.mode,
      ...prod.serving,
      customModelArn: prod.customModelArn,
      version: prod.version,
      shared: true,
    };
    productionNote = `production ${prod.version} via its production deployment ${prod.serving.arn}`;
    ctx.log?.(productionNote);
  } else {
    const prodName = productionEvaluationDeploymentName(project, input.executionArn);
    const prodArn = await createDeployment(ctx.clients.bedrock, prod.mode, prodName, prod.customModelArn, {
      project,
    }).then(
      (d) => d.arn,
      (error: Error) => {
        // A production model deleted from Bedrock must not block every future retraining: evaluate without it.
        if (error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      },
    );
    if (!prodArn) {
      productionNote = `production ${prod.version}'s custom model ${prod.customModelArn} no longer exists in Bedrock`;
      ctx.log?.(productionNote);
      return result();
    }
    production = {
      mode: prod.mode,
      name: prodName,
      arn: prodArn,
      customModelArn: prod.customModelArn,
      version: prod.version,
    };
    productionNote = `production ${prod.version} via ${prodArn}`;
    ctx.log?.(`production ${prod.version} deployed for evaluation (${prod.mode}) ${prodArn}`);
  }
  return result();

  function result(): EvaluationDeployments {
    const loss = field<Record<string, unknown>>(input.training, 'trainingMetrics');
    const trainingLoss = field<number>(loss, 'trainingLoss');
    return {
      mode,
      name,
      arn,
      customModelArn: customModelArn!,
      ...(trainingLoss === undefined ? {} : { trainingLoss }),
      ...(production ? { production } : {}),
      productionNote,
    };
  }
}
