import { deploymentStatus, type EvaluationDeployment, type Readiness } from '../../bedrock/deployment.ts';
import { maxReadyPolls } from '../definition.ts';
import type { TaskContext } from './context.ts';

/**
 * CheckDeployment: one poll of WaitUntilReady, over the candidate's deployment and (when production is
 * compared) production's. Ready only when both serve; Failed as soon as either fails. The loop is bounded
 * by counting polls against the configured `deployment.readyTimeoutMinutes` (one poll per
 * READY_POLL_SECONDS Wait).
 */
export async function checkDeployment(
  input: { deployment: EvaluationDeployment & { production?: EvaluationDeployment }; attempts: number },
  ctx: TaskContext,
) {
  const attempts = (input.attempts ?? 0) + 1;
  const maxAttempts = maxReadyPolls(ctx.config);
  const targets = [
    { role: 'candidate', d: input.deployment },
    ...(input.deployment.production ? [{ role: 'production', d: input.deployment.production }] : []),
  ];
  const polled = await Promise.all(
    targets.map(async ({ role, d }) => ({ role, d, ...(await deploymentStatus(ctx.clients.bedrock, d)) })),
  );
  const failed = polled.find((p) => p.status === 'Failed');
  const waiting = polled.filter((p) => p.status === 'Creating');
  const status: Readiness = failed ? 'Failed' : waiting.length ? 'Creating' : 'Ready';
  const timedOut = status === 'Creating' && attempts >= maxAttempts;
  const what = (p: (typeof polled)[number]) =>
    `${p.role} ${p.d.mode === 'on-demand' ? 'deployment' : 'Provisioned Throughput'} ${p.d.arn}`;
  const message = failed
    ? `${what(failed)} failed: ${failed.failureMessage ?? 'no failure message'}`
    : timedOut
      ? `${waiting.map((p) => `${what(p)} was still ${p.detail}`).join('; ')} after ${ctx.config.deployment.readyTimeoutMinutes} minutes (${attempts} checks); raise deployment.readyTimeoutMinutes if Bedrock is just slow`
      : polled.map((p) => `${what(p)} is ${p.detail}`).join('; ');
  const detail = polled.map((p) => p.detail).join(', ');
  return { status, detail, attempts, maxAttempts, timedOut, message };
}
