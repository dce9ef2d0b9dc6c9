import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const WORKER_SOURCE = join(SRC, 'dataset/validate/worker.ts');
/** Everything the worker can import (checked by the `bundle covers its inputs` test). */
export const WORKER_INPUTS = ['dataset', 'models', 'errors.ts'];

function stamp(): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    const s = statSync(path);
    if (s.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else if (path.endsWith('.ts')) hash.update(`${path}:${s.size}:${s.mtimeMs}\n`);
  };
  for (const input of WORKER_INPUTS) walk(join(SRC, input));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The validation worker as one plain-JavaScript file. Bundling it (esbuild) instead of loading
 * TypeScript through tsx in every worker saves each worker a module-loader thread and tens of MB.
 * The bundle is cached in the temp dir under a stamp of its sources (paths, sizes, mtimes), so
 * esbuild runs only after the sources change. Falls back to the tsx entry if esbuild is unavailable.
 */
export async function workerEntry(): Promise<URL> {
  try {
    const file = join(tmpdir(), `tunekit-validate-worker-${stamp()}.mjs`);
    if (!existsSync(file)) {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [WORKER_SOURCE],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        logLevel: 'silent',
      });
      // Write then rename: concurrent runs never load a half-written bundle.
      writeFileSync(`${file}.${process.pid}`, out.outputFiles[0]!.contents);
      renameSync(`${file}.${process.pid}`, file);
    }
    return pathToFileURL(file);
  } catch {
    return new URL('./worker-entry.mjs', import.meta.url);
  }
}
