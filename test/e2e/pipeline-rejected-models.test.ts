import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { GetCustomModelCommand } from '@aws-sdk/client-bedrock';
import { afterEach, describe, expect, it } from 'vitest';
import { renderList, renderVersion } from '../../src/cli/commands/registry-render.ts';
import { deleteRejectedModels } from '../../src/pipeline/rejected-models.ts';
import { registryContext } from '../../src/pipeline/tasks/registry-context.ts';
import { listVersions, promote, readHistory, readVersion } from '../../src/registry/index.ts';
import { SAMPLES } from '../../src/samples.ts';
import { nextRun, pipelineHarness, pipelineS3, upload } from './pipeline-doubles.ts';

/**
 * Rejected candidates' custom models bill monthly storage: they are deleted after
 * `registry.rejectedModelRetentionDays` (0: by Teardown), the registry keeps the version and says so,
 * and a version that is or was in production is never deleted.
 */

/** No candidate can improve in-domain scores by a whole point: every run is rejected. */
const REJECTING_GATE = { minInDomainImprovement: 1 };

const { start, cleanup } = pipelineHarness();
afterEach(cleanup);

type Stack = Awaited<ReturnType<typeof start>>['p'];
const modelExists = async (p: Stack, arn: string) =>
  p.clients.bedrock.send(new GetCustomModelCommand({ modelIdentifier: arn })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'ResourceNotFoundException') return false;
      throw error;
    },
  );

describe('rejected candidates’ custom models', () => {
  it('retention 0: Teardown deletes the rejected model; the registry keeps v1.0 and says its model was deleted', async () => {
    const { p, config } = await start({
      config: { gate: REJECTING_GATE, registry: { rejectedModelRetentionDays: 0 } },
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(run.output!).outcome).toBe('rejected');
    const registry = registryContext({ config, clients: p.clients, configDir: '.' });
    const [v10] = (await listVersions(registry)).versions;
    expect(v10).toMatchObject({ version: 'v1.0', gatePassed: false });
    expect(v10!.customModelDeletedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await modelExists(p, v10!.customModelArn!)).toBe(false);
    expect((await readHistory(registry)).at(-1)).toMatchObject({ action: 'delete-model', version: 'v1.0' });
    // `tunekit registry list` / `show` say so.
    expect(stripVTControlCharacters(renderList(await listVersions(registry)))).toMatch(
      /^v1\.0\s+registered, model deleted\s/m,
    );
    const record = await readVersion(registry, 'v1.0');
    expect(renderVersion({ ...record, customModelDeletedAt: v10!.customModelDeletedAt }, [])).toMatch(
      /custom model +arn:\S+ \(deleted \d{4}-.*past its retention\)/,
    );
  });

  it('retention 7: kept after the run; the janitor 8 days later deletes it, never one that is in production', async () => {
    const { p, config } = await start({ config: { gate: REJECTING_GATE } });
    const registry = registryContext({ config, clients: p.clients, configDir: '.' });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    expect((await nextRun(p)).status).toBe('SUCCEEDED');
    // v1.0 was rejected but promoted by hand anyway: production's model must stay whatever its gate said.
    await promote(registry, 'v1.0', { force: true, reason: 'test' });
    await upload(p, config.bucket, 'training-data/more.jsonl', readFileSync(SAMPLES.bankingTrainMore));
    expect((await nextRun(p, 2)).status).toBe('SUCCEEDED');
    const versions = async () => (await listVersions(registry)).versions;
    const [v10, v11] = await versions();
    expect(v11).toMatchObject({ version: 'v1.1', gatePassed: false });
    expect(await modelExists(p, v11!.customModelArn!)).toBe(true);
    expect(v11!.customModelDeletedAt).toBeUndefined();

    const ctx = { config, clients: p.clients };
    const day = 24 * 3600 * 1000;
    const soon = await deleteRejectedModels(ctx, { now: new Date(Date.now() + 6 * day) });
    expect(soon).toEqual([expect.objectContaining({ version: 'v1.1', action: 'kept-retention' })]);
    expect(await modelExists(p, v11!.customModelArn!)).toBe(true);

    const later = await deleteRejectedModels(ctx, { now: new Date(Date.now() + 8 * day) });
    expect(later).toEqual([expect.objectContaining({ version: 'v1.1', action: 'deleted' })]);
    expect(await modelExists(p, v11!.customModelArn!)).toBe(false);
    expect(await modelExists(p, v10!.customModelArn!)).toBe(true);
    const after = await versions();
    expect(after[1]!.customModelDeletedAt).toBeDefined();
    expect(after[0]!.customModelDeletedAt).toBeUndefined();
    // A second sweep has nothing left to do.
    expect(await deleteRejectedModels(ctx, { now: new Date(Date.now() + 9 * day) })).toEqual([]);
  });

  it('the local janitor runs when the stack starts: a shorter retention deletes what a previous run kept', async () => {
    const s3 = pipelineS3();
    const first = await start({ s3, config: { gate: REJECTING_GATE } });
    await upload(first.p, first.config.bucket, 'training-data/t.jsonl', readFileSync(SAMPLES.bankingTrain));
    expect((await nextRun(first.p)).status).toBe('SUCCEEDED');
    await first.p.stop();
    const second = await start({
      s3,
      config: { gate: REJECTING_GATE, registry: { rejectedModelRetentionDays: 0 } },
    });
    const registry = registryContext({ config: second.config, clients: second.p.clients, configDir: '.' });
    for (let i = 0; i < 100 && !second.lines.some((l) => l.startsWith('janitor:')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(second.lines.join('\n')).toMatch(/^janitor: deleted rejected v1\.0's custom model arn:/m);
    expect((await listVersions(registry)).versions[0]!.customModelDeletedAt).toBeDefined();
  });
});
