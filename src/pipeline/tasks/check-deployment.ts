import { READY_POLL_SECONDS } from '../definition.ts';
import type { TaskContext } from './context.ts';
import { deploymentStatus, type EvaluationDeployment } from './deployment.ts';

/**
 * CheckDeployment: one poll of WaitUntilReady. The loop is bounded by counting polls against the
 * configured `deployment.readyTimeoutMinutes` (one poll per READY_POLL_SECONDS Wait).
 */
export async function checkDeployment(
  input: { deployment: EvaluationDeployment; attempts: number },
  ctx: TaskContext,
) {
  const attempts = (input.attempts ?? 0) + 1;
  const maxAttempts = Math.max(
    1,
    Math.ceil((ctx.config.deployment.readyTimeoutMinutes * 60) / READY_POLL_SECONDS),
  );
  const { status, detail, failureMessage } = await deploymentStatus(ctx.clients.bedrock, input.deployment);
  const timedOut = status === 'Creating' && attempts >= maxAttempts;
  const what = `${input.deployment.mode === 'on-demand' ? 'deployment' : 'Provisioned Throughput'} ${input.deployment.arn}`;
  const message =
    status === 'Failed'
      ? `${what} failed: ${failureMessage ?? 'no failure message'}`
      : timedOut
        ? `${what} was still ${detail} after ${ctx.config.deployment.readyTimeoutMinutes} minutes (${attempts} checks); raise deployment.readyTimeoutMinutes if Bedrock is just slow`
        : `${what} is ${detail}`;
  return { status, detail, attempts, maxAttempts, timedOut, message };
}
