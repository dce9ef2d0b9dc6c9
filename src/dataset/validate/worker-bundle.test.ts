import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WORKER_INPUTS } from './worker-bundle.ts';

describe('worker bundle cache', () => {
  it('stamps every source file the worker imports, so an edit always rebuilds the bundle', async () => {
    const src = fileURLToPath(new URL('../../', import.meta.url));
    const out = await build({
      entryPoints: [`${src}dataset/validate/worker.ts`],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs).filter((p) => !p.includes('node_modules'));
    const uncovered = inputs
      .map((p) => relative(src, p))
      .filter((p) => !WORKER_INPUTS.some((i) => p === i || p.startsWith(`${i}/`)));
    expect(inputs.length).toBeGreaterThan(5);
    expect(uncovered).toEqual([]);
  });
});
