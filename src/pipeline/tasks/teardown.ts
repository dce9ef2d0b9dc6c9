import { evaluationDeploymentName, field, type TaskContext } from './context.ts';
import { deleteDeployment, findDeployments } from './deployment.ts';

/**
 * Teardown: runs on every path (success, gate rejection, every Catch). It looks resources up by the
 * execution's deployment name rather than trusting `$.deployment`, which is missing when DeployForEvaluation
 * failed after Bedrock had already accepted the create call. Nothing billable is left behind.
 */
export async function teardown(input: { state?: unknown; executionArn: string }, ctx: TaskContext) {
  const name = evaluationDeploymentName(ctx.config.project, input.executionArn);
  const found = await findDeployments(ctx.clients.bedrock, name);
  const known = field<{ Payload?: { arn?: string; mode?: 'on-demand' | 'provisioned' } }>(
    input.state,
    'deployment',
  )?.Payload;
  if (known?.arn && known.mode && !found.some((f) => f.arn === known.arn))
    found.push({ mode: known.mode, arn: known.arn });
  for (const d of found) {
    await deleteDeployment(ctx.clients.bedrock, d);
    ctx.log?.(`teardown: deleted ${d.mode} ${d.arn}`);
  }
  return { deleted: found.map((d) => ({ mode: d.mode, arn: d.arn })) };
}
