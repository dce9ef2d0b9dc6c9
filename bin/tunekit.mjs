#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a clone and a run.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run under Node 20 that *future* SDK releases will need Node 22. The SDK
// versions tunekit runs are pinned by its lockfile, so the warning is noise here; set the variable to
// "false" to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/cli/main.ts');
