// Builds what `npm pack` ships for library users (run by `prepack`, never by `npm ci`): dist/index.js and
// dist/cdk.js, esbuild bundles of src/lib/*.ts with every npm package external (AWS SDK, aws-cdk-lib,
// constructs resolve from the user's node_modules), and their declarations under dist/types from
// `tsc -p tsconfig.build.json`. The CLI needs no build: bin/tunekit.mjs runs the shipped sources.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');

// Sources compute paths from `import.meta.url` (samples, Lambda entries, worker scripts); in a bundle that
// URL would be dist/'s. Rewrite it to the URL of the shipped source file, relative to the bundle, so those
// paths mean in node_modules/tunekit what they mean in the repository.
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const rel = relative(DIST, args.path).split('\\').join('/');
      return {
        contents: readFileSync(args.path, 'utf8').replace(
          // Not inside the Lambda bundling banner, a string that is code for the Lambda bundle itself.
          /(?<!__tunekitCreateRequire\()\bimport\.meta\.url\b/g,
          `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

rmSync(DIST, { recursive: true, force: true });
await build({
  entryPoints: { index: join(ROOT, 'src/lib/index.ts'), cdk: join(ROOT, 'src/lib/cdk.ts') },
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: DIST,
  logLevel: 'warning',
  plugins: [keepSourceUrls],
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
