import { describe, expect, it } from 'vitest';
import { promote, rollback } from './aliases.ts';
import type { RegistryContext } from './context.ts';
import { diffVersions } from './diff.ts';
import { readIndex } from './index-store.ts';
import { memoryS3 } from './memory-s3.fixture.ts';
import { readHistory } from './read.ts';
import { readVersion, registerVersion } from './register.ts';

async function withVersions(count: number, gateOf: (i: number) => boolean = () => true) {
  const store = memoryS3();
  const ctx: RegistryContext = {
    s3: store.client,
    bucket: 'b',
    prefix: 'models/',
    name: 'bank',
    actor: 'alice',
    sleep: async () => undefined,
  };
  for (let i = 0; i < count; i++) {
    await registerVersion(ctx, {
      baseModelId: 'amazon.nova-micro-v1:0:128k',
      baseModelFamily: 'nova',
      jobArn: `job-${i}`,
      hyperparameters: { epochCount: i + 1, learningRate: 0.0001 },
      evaluation: { scores: { overall: 0.5 + i / 10 } },
      gate: { passed: gateOf(i), reasons: gateOf(i) ? [] : ['in-domain +0.01 < required +0.05'] },
    });
  }
  return { ctx, store };
}

describe('promote and rollback', () => {
  it('promote moves production and previous; rollback steps back one promotion at a time', async () => {
    const { ctx } = await withVersions(3);
    await promote(ctx, 'v1.0', { reason: 'first' });
    await promote(ctx, 'v1.1');
    const third = await promote(ctx, 'v1.2', { reason: 'better' });
    expect(third).toMatchObject({ production: 'v1.2', previous: 'v1.1' });
    expect(third.event).toMatchObject({
      action: 'promote',
      version: 'v1.2',
      from: 'v1.1',
      actor: 'alice',
      reason: 'better',
    });
    expect(await rollback(ctx, { reason: 'tone' })).toMatchObject({ production: 'v1.1', previous: 'v1.0' });
    expect(await rollback(ctx)).toMatchObject({ production: 'v1.0', previous: undefined });
    await expect(rollback(ctx)).rejects.toMatchObject({ code: 'REGISTRY.NO_PREVIOUS' });
    const actions = (await readHistory(ctx)).filter((e) => e.action === 'promote' || e.action === 'rollback');
    expect(actions.map((e) => `${e.action} ${e.from ?? '-'}->${e.version}`)).toEqual([
      'promote -->v1.0',
      'promote v1.0->v1.1',
      'promote v1.1->v1.2',
      'rollback v1.2->v1.1',
      'rollback v1.1->v1.0',
    ]);
  });

  it('rollback --to a version, and promoting the current production changes nothing', async () => {
    const { ctx } = await withVersions(3);
    await promote(ctx, 'v1.0');
    await promote(ctx, 'v1.2');
    const before = (await readIndex(ctx)).index.revision;
    expect((await promote(ctx, 'production')).changed).toBe(false);
    expect((await readIndex(ctx)).index.revision).toBe(before);
    expect(await rollback(ctx, { to: 'v1.1' })).toMatchObject({ production: 'v1.1', previous: 'v1.2' });
  });

  it('refuses a version that failed its gate unless forced, and records the override', async () => {
    const { ctx } = await withVersions(2, (i) => i === 0);
    await expect(promote(ctx, 'v1.1')).rejects.toMatchObject({
      code: 'REGISTRY.GATE_FAILED',
      message: expect.stringContaining('in-domain +0.01'),
    });
    const forced = await promote(ctx, 'v1.1', { force: true, reason: 'hotfix' });
    expect(forced.event).toMatchObject({ forced: true, reason: 'hotfix' });
  });

  it('runs the deployment hook first; its failure leaves the aliases unchanged', async () => {
    const { ctx } = await withVersions(2);
    const calls: string[] = [];
    await promote(ctx, 'v1.0', {
      onProductionChange: async ({ to, from, action }) => {
        calls.push(`${action} ${from ?? '-'} -> ${to.version}`);
        return { deploymentArn: 'arn:aws:bedrock:us-east-1:1:custom-model-deployment/prod' };
      },
    });
    expect(calls).toEqual(['promote - -> v1.0']);
    expect((await readHistory(ctx)).at(-1)?.deploymentArn).toBe(
      'arn:aws:bedrock:us-east-1:1:custom-model-deployment/prod',
    );
    await expect(
      promote(ctx, 'v1.1', { onProductionChange: async () => Promise.reject(new Error('throttled')) }),
    ).rejects.toThrow('throttled');
    expect((await readIndex(ctx)).index.aliases.production).toBe('v1.0');
  });

  it('a pending hook (deployment still switching) moves nothing until a later call says it serves', async () => {
    const { ctx } = await withVersions(2);
    await promote(ctx, 'v1.0');
    const revision = (await readIndex(ctx)).index.revision;
    const pending = await promote(ctx, 'v1.1', { onProductionChange: async () => ({ pending: true }) });
    expect(pending).toMatchObject({ changed: false, pending: true, production: 'v1.0' });
    expect((await readIndex(ctx)).index).toMatchObject({ revision, aliases: { production: 'v1.0' } });
    const done = await promote(ctx, 'v1.1', { onProductionChange: async () => ({ deploymentArn: 'arn:d' }) });
    expect(done).toMatchObject({ changed: true, production: 'v1.1', previous: 'v1.0' });
  });

  it('names unknown versions and unset aliases with what exists', async () => {
    const { ctx } = await withVersions(1);
    await expect(promote(ctx, 'v9.9')).rejects.toMatchObject({
      code: 'REGISTRY.UNKNOWN_VERSION',
      hint: 'registered versions: v1.0',
    });
    await expect(promote(ctx, 'previous')).rejects.toMatchObject({ code: 'REGISTRY.NO_ALIAS' });
    await expect(rollback(ctx)).rejects.toMatchObject({ code: 'REGISTRY.NO_PRODUCTION' });
  });
});

describe('diff', () => {
  it('shows changed hyperparameters and score deltas, not equal fields', async () => {
    const { ctx } = await withVersions(2);
    const diff = diffVersions(await readVersion(ctx, 'v1.0'), await readVersion(ctx, 'v1.1'));
    expect(diff.rows).toEqual([
      { group: 'hyperparameters', field: 'epochCount', a: 1, b: 2, delta: 1 },
      { group: 'scores', field: 'overall', a: 0.5, b: 0.6, delta: 0.1 },
    ]);
  });
});
