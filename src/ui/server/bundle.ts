import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The web app, bundled by esbuild (a dependency already, see bin/cli-bundle.mjs) into
 * node_modules/.cache/tunekit-ui/<stamp>/ on the first `tunekit ui` after the app's sources change —
 * no manual build step and no CDN: preact, htm, uPlot and dagre are bundled in, so it works offline.
 */

const APP_DIR = fileURLToPath(new URL('../app/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AppBundle {
  dir: string;
  files: Record<string, { body: Buffer; type: string }>;
}

function stamp(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(APP_DIR).sort()) {
    const s = statSync(join(APP_DIR, name));
    hash.update(`${name}:${s.size}:${s.mtimeMs}\n`);
  }
  // A dependency upgrade changes the lockfile: rebuild then too.
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) hash.update(String(statSync(lock).mtimeMs));
  return hash.digest('hex').slice(0, 16);
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function buildAppBundle(): Promise<AppBundle> {
  const dir = join(ROOT, 'node_modules', '.cache', 'tunekit-ui', stamp());
  if (!existsSync(join(dir, 'app.js'))) {
    const { build } = await import('esbuild');
    const tmp = `${dir}.tmp-${process.pid}`;
    await build({
      entryPoints: { app: join(APP_DIR, 'main.ts') },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      // The run page's graph layout (dagre) is a chunk of its own, loaded by the page that draws it.
      splitting: true,
      chunkNames: 'chunk-[hash]',
      outdir: tmp,
      logLevel: 'silent',
    });
    try {
      renameSync(tmp, dir); // atomic: a concurrent start never serves a half-written bundle
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const files: AppBundle['files'] = {};
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.'));
    if (TYPES[ext]) files[name] = { body: readFileSync(join(dir, name)), type: TYPES[ext] };
  }
  return { dir, files };
}
