import { TunekitError } from '../../errors.ts';
import { evaluationDeploymentName, field, type TaskContext } from './context.ts';
import {
  createDeployment,
  customModelStatus,
  deploymentMode,
  type EvaluationDeployment,
} from './deployment.ts';

/**
 * DeployForEvaluation: serves the trained custom model so the suite can be run against it. The name is
 * derived from the execution, so Teardown can always find (and delete) what this created — even when this
 * state failed half-way.
 */
export async function deployForEvaluation(
  input: { training: unknown; executionArn: string },
  ctx: TaskContext,
): Promise<EvaluationDeployment & { trainingLoss?: number }> {
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
  const mode = deploymentMode(ctx.config);
  const name = evaluationDeploymentName(ctx.config.project, input.executionArn);
  const arn = await createDeployment(ctx.clients.bedrock, mode, name, customModelArn);
  ctx.log?.(`evaluation deployment (${mode}) ${arn}`);
  const loss = field<Record<string, unknown>>(input.training, 'trainingMetrics');
  const trainingLoss = field<number>(loss, 'trainingLoss');
  return { mode, name, arn, customModelArn, ...(trainingLoss === undefined ? {} : { trainingLoss }) };
}
