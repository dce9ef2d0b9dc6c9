// Builds what `npm pack` ships for library users (run by `prepack`, never by `npm ci`): dist/index.js and
// dist/cdk.js, esbuild bundles of src/lib/*.ts with every npm package external (AWS SDK, aws-cdk-lib,
// constructs resolve from the user's node_modules), and their declarations under dist/types from
// `tsc -p tsconfig.build.json`. The CLI needs no build: bin/tunekit.mjs runs the shipped sources.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeEsmBundle } from '../bin/node-esm-bundle.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');

// Sources compute paths from `import.meta.url` (samples, Lambda entries, worker scripts); in a bundle that
// URL would be dist/'s. Rewrite it to the URL of the shipped source file, relative to the bundle, so those
// paths mean in node_modules/tunekit what they mean in the repository.
rmSync(DIST, { recursive: true, force: true });
await build({
  ...nodeEsmBundle((code, path) =>
    code.replace(
      // Not inside the Lambda bundling banner, a string that is code for the Lambda bundle itself.
      /(?<!__tunekitCreateRequire\()\bimport\.meta\.url\b/g,
      `new URL(${JSON.stringify(relative(DIST, path).split('\\').join('/'))}, import.meta.url).href`,
    ),
  ),
  entryPoints: { index: join(ROOT, 'src/lib/index.ts'), cdk: join(ROOT, 'src/lib/cdk.ts') },
  absWorkingDir: ROOT,
  outdir: DIST,
  logLevel: 'warning',
});
execFileSync(
  process.execPath,
  [
    join(dirname(fileURLToPath(import.meta.resolve('typescript'))), '..', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
