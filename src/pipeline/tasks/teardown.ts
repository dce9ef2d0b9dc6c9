import { type DeploymentMode, deleteDeployment, findDeployments } from '../../bedrock/deployment.ts';
import { evaluationDeploymentNames } from '../../bedrock/names.ts';
import { deleteRejectedModels } from '../rejected-models.ts';
import type { TaskContext } from './context.ts';

/**
 * Teardown: runs on every path (success, gate rejection, every Catch), and from `tunekit runs stop` and the
 * stack-restart cleanup. It looks resources up by the execution's deployment names (the candidate's and
 * production's) rather than trusting `$.deployment`, which is missing when DeployForEvaluation failed after
 * Bedrock had already accepted a create call. Nothing billable is left behind.
 */
export async function teardown(input: { deployment?: unknown; executionArn: string }, ctx: TaskContext) {
  const found: { mode: DeploymentMode; arn: string }[] = [];
  for (const name of evaluationDeploymentNames(ctx.config.project, input.executionArn))
    found.push(...(await findDeployments(ctx.clients.bedrock, name)));
  type Known = { arn?: string; mode?: DeploymentMode; shared?: boolean };
  const payload = (input.deployment as { Payload?: Known & { production?: Known } } | null | undefined)
    ?.Payload;
  for (const known of [payload, payload?.production]) {
    // `shared`: the long-lived production deployment, borrowed for the evaluation — never ours to delete.
    if (known?.arn && known.mode && !known.shared && !found.some((f) => f.arn === known.arn))
      found.push({ mode: known.mode, arn: known.arn });
  }
  for (const d of found) {
    await deleteDeployment(ctx.clients.bedrock, d);
    ctx.log?.(`teardown: deleted ${d.mode} ${d.arn}`);
  }
  // Retention 0: a rejected candidate's custom model goes when its run ends (the janitor handles the rest).
  const models =
    ctx.config.registry.rejectedModelRetentionDays === 0
      ? (await deleteRejectedModels(ctx)).filter((m) => m.action !== 'kept-retention')
      : [];
  for (const m of models)
    ctx.log?.(
      `teardown: ${m.action === 'deleted' ? 'deleted' : 'could not delete'} rejected ${m.version}'s custom model ${m.customModelArn}${m.message ? `: ${m.message}` : ''}`,
    );
  return {
    deleted: found.map((d) => ({ mode: d.mode, arn: d.arn })),
    ...(models.length
      ? { deletedModels: models.map((m) => ({ version: m.version, action: m.action })) }
      : {}),
  };
}
