#!/usr/bin/env node
// Runs the TypeScript sources with no build step for the user: from a bundle cached under
// node_modules/.cache (rebuilt whenever src/ changes), or through tsx when that cannot be had.

// The AWS SDK warns on every run under Node 20 that *future* SDK releases will need Node 22. The SDK
// versions tunekit runs are pinned by its lockfile, so the warning is noise here; set the variable to
// "false" to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let entry;
if (process.env.TUNEKIT_NO_BUNDLE !== '1') {
  try {
    entry = await (await import('./cli-bundle.mjs')).cliBundle();
  } catch {
    entry = undefined; // e.g. a read-only install: run the sources through tsx instead
  }
}
if (entry) await import(entry);
else {
  // Loaded only here: importing tsx's API costs ~50-80 ms, a third of a bundled command's start-up.
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
