// The esbuild settings both of tunekit's bundles share (bin/cli-bundle.mjs for the CLI, and
// scripts/build-package.mjs for the library): ES modules for Node with code splitting, every npm package
// left external so it resolves from node_modules, and `import.meta.url` in each source rewritten by
// `rewriteUrl` (sources compute paths to samples, Lambda entries and workers from it; in a bundle it
// would be the bundle's URL).
import { readFileSync } from 'node:fs';

export function nodeEsmBundle(rewriteUrl) {
  return {
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [
      {
        name: 'keep-source-urls',
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: rewriteUrl(readFileSync(args.path, 'utf8'), args.path),
            loader: 'ts',
          }));
        },
      },
    ],
  };
}
