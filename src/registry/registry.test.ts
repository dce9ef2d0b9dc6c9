import { describe, expect, it } from 'vitest';
import type { RegistryContext } from './context.ts';
import { readIndex, updateIndex } from './index-store.ts';
import { memoryS3 } from './memory-s3.fixture.ts';
import { listVersions, readHistory } from './read.ts';
import { registerVersion } from './register.ts';

const INDEX = 'models/_registry/bank/index.json';

function setup() {
  const store = memoryS3();
  const ctx: RegistryContext = {
    s3: store.client,
    bucket: 'b',
    prefix: 'models/',
    name: 'bank',
    actor: 'tester',
    sleep: async () => undefined,
  };
  return { store, ctx };
}

const lineage = (job: string) => ({
  baseModelId: 'amazon.nova-micro-v1:0:128k',
  baseModelFamily: 'nova',
  jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${job}`,
  hyperparameters: { epochCount: 2, learningRate: 0.00001 },
  dataManifest: {
    uri: 's3://b/training-data/a.jsonl',
    sha256: 'a'.repeat(64),
    records: 120,
    format: 'bedrock-conversation-2024',
  },
  evaluation: { scores: { overall: 0.8 } },
  gate: { passed: true, reasons: [] },
});

describe('index compare-and-swap', () => {
  it('20 concurrent writers lose no update: revision = number of changes = history length', async () => {
    const { ctx } = setup();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateIndex(ctx, (index) => ({
          index: { ...index, productionStack: [...index.productionStack, `v1.${i}`] },
          event: { action: 'promote', version: `v1.${i}` },
          result: i,
        })),
      ),
    );
    const { index } = await readIndex(ctx);
    expect(index.revision).toBe(20);
    expect([...index.productionStack].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v1.${i}`).sort());
    const history = await readHistory(ctx);
    expect(history.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('retries after a conflict and backs off with jitter', async () => {
    const { ctx, store } = setup();
    const delays: number[] = [];
    ctx.sleep = async (ms) => void delays.push(ms);
    ctx.random = () => 0.5;
    await updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.0' }, result: 0 }));
    let conflicts = 2;
    store.beforePut = (key) => {
      if (key === INDEX && conflicts-- > 0) {
        // Another writer sneaks in a change just before our PUT: our ETag is now stale.
        const current = store.objects.get(INDEX);
        if (current) store.objects.set(INDEX, { ...current, etag: `"other-${conflicts}"` });
      }
      return undefined;
    };
    const out = await updateIndex(ctx, (index) => ({
      index,
      event: { action: 'promote', version: 'v1.1' },
      result: 0,
    }));
    expect(out.attempts).toBe(3);
    expect(delays).toHaveLength(2);
    // Full jitter: random() x the exponential bound (25 ms x 2^attempt), so 0.5 gives half of 50 and of 100.
    expect(delays).toEqual([25, 50]);
    expect((await readIndex(ctx)).index.revision).toBe(2);
  });

  it('a write that landed but reported a conflict is not applied twice', async () => {
    const { ctx, store } = setup();
    await updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.0' }, result: 0 }));
    let lost = true;
    store.beforePut = (key) => {
      if (key !== INDEX || !lost) return undefined;
      lost = false;
      return 'ack-lost';
    };
    await updateIndex(ctx, (index) => ({
      index: { ...index, productionStack: [...index.productionStack, 'v1.1'] },
      event: { action: 'promote', version: 'v1.1' },
      result: 0,
    }));
    const { index } = await readIndex(ctx);
    expect(index.revision).toBe(2);
    expect(index.productionStack).toEqual(['v1.1']);
  });

  it('...even when another writer changed the index before we looked again', async () => {
    const { ctx, store } = setup();
    await updateIndex(ctx, (index) => ({
      index,
      event: { action: 'promote', version: 'v1.0' },
      result: undefined,
    }));
    let lost = true;
    store.beforePut = (key) => {
      if (key !== INDEX || !lost) return undefined;
      lost = false;
      return 'ack-lost';
    };
    const other = { ...ctx, sleep: async () => undefined };
    ctx.sleep = async () => {
      await updateIndex(other, (index) => ({
        index: { ...index, productionStack: [...index.productionStack, 'v2.0'] },
        event: { action: 'promote', version: 'v2.0' },
        result: undefined,
      }));
    };
    await updateIndex(ctx, (index) => ({
      index: { ...index, productionStack: [...index.productionStack, 'v1.1'] },
      event: { action: 'promote', version: 'v1.1' },
      result: undefined,
    }));
    const { index } = await readIndex(ctx);
    expect(index.productionStack).toEqual(['v1.1', 'v2.0']);
    expect(index.revision).toBe(3);
    expect((await readHistory(ctx)).map((e) => e.version)).toEqual(['v1.0', 'v1.1', 'v2.0']);
  });

  it('an index deleted under us is not silently recreated over existing history', async () => {
    const { ctx, store } = setup();
    await updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.0' }, result: 0 }));
    store.beforePut = (key) => {
      if (key === INDEX) store.objects.delete(INDEX);
      return undefined;
    };
    await expect(
      updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.1' }, result: 0 })),
    ).rejects.toMatchObject({
      code: 'REGISTRY.INDEX_MISSING',
      message: expect.stringContaining('index.json is missing'),
    });
    expect([...store.objects.keys()].filter((k) => k.includes('/history/'))).toHaveLength(1);
  });

  it('refuses a corrupt or foreign index with the object URI and leaves it untouched', async () => {
    const { ctx, store } = setup();
    store.objects.set(INDEX, { body: '{"versions": "not a list"', etag: '"x"' });
    await expect(registerVersion(ctx, lineage('j1'))).rejects.toMatchObject({
      code: 'REGISTRY.CORRUPT',
      message: expect.stringContaining('s3://b/models/_registry/bank/index.json is not valid JSON'),
    });
    store.objects.set(INDEX, { body: JSON.stringify({ model: 'someone else', versions: [] }), etag: '"y"' });
    await expect(registerVersion(ctx, lineage('j1'))).rejects.toMatchObject({
      code: 'REGISTRY.CORRUPT',
      message: expect.stringMatching(/is not a tunekit registry index:\n.*kind/s),
    });
    expect(store.objects.get(INDEX)?.body).toBe(JSON.stringify({ model: 'someone else', versions: [] }));
    expect([...store.objects.keys()]).toEqual([INDEX]);
  });

  it('the newest event survives a crash between the index swap and its history object', async () => {
    const { ctx, store } = setup();
    store.beforePut = (key) => (key.includes('/history/') ? 'fail' : undefined);
    await updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.0' }, result: 0 }));
    expect([...store.objects.keys()].some((k) => k.includes('/history/'))).toBe(false);
    expect((await readHistory(ctx)).map((e) => e.version)).toEqual(['v1.0']);
    store.beforePut = undefined;
    await updateIndex(ctx, (index) => ({ index, event: { action: 'promote', version: 'v1.1' }, result: 0 }));
    // The next writer persisted the missing event before its own change.
    expect([...store.objects.keys()].filter((k) => k.includes('/history/'))).toHaveLength(2);
  });
});

describe('registration', () => {
  it('numbers versions, writes the tutorial folder layout and lists them', async () => {
    const { ctx, store } = setup();
    const a = await registerVersion(ctx, lineage('j1'));
    const b = await registerVersion(ctx, lineage('j2'));
    const c = await registerVersion(ctx, { ...lineage('j3'), baseModelId: 'amazon.nova-lite-v1:0:300k' });
    expect([a, b, c].map((r) => r.version.version)).toEqual(['v1.0', 'v1.1', 'v2.0']);
    expect([...store.objects.keys()].filter((k) => k.startsWith('models/bank-v1.1/')).sort()).toEqual([
      'models/bank-v1.1/evaluation-report.json',
      'models/bank-v1.1/model-id.txt',
      'models/bank-v1.1/training-config.json',
      'models/bank-v1.1/training-data-manifest.json',
      'models/bank-v1.1/version.json',
    ]);
    expect((await listVersions(ctx)).versions.map((v) => v.version)).toEqual(['v1.0', 'v1.1', 'v2.0']);
  });

  it('a crash mid-registration leaves a pending version that is not listed, and a retry finishes it', async () => {
    const { ctx, store } = setup();
    store.beforePut = (key) => (key.endsWith('version.json') ? 'fail' : undefined);
    await expect(registerVersion(ctx, lineage('j1'))).rejects.toThrow(
      /writing s3:\/\/b\/models\/bank-v1.0\/version.json/,
    );
    expect((await listVersions(ctx)).versions).toEqual([]);
    expect((await listVersions(ctx, { all: true })).versions.map((v) => [v.version, v.status])).toEqual([
      ['v1.0', 'pending'],
    ]);
    store.beforePut = undefined;
    const retried = await registerVersion(ctx, lineage('j1'));
    expect(retried.version.version).toBe('v1.0');
    const again = await registerVersion(ctx, lineage('j1'));
    expect(again.created).toBe(false);
    expect((await listVersions(ctx)).versions.map((v) => [v.version, v.status])).toEqual([
      ['v1.0', 'registered'],
    ]);
  });

  it('rejects an invalid lineage record naming the field', async () => {
    const { ctx } = setup();
    await expect(
      registerVersion(
        ctx,
        { ...lineage('j1'), dataManifest: { uri: 's3://x', sha256: 'nope', records: 1 } },
        { source: 'l.json' },
      ),
    ).rejects.toThrow(/l.json: version record is invalid:\n {2}dataManifest.sha256/);
  });
});
