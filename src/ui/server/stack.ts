import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { isProcessAlive, readStateFile, stackEnv } from '../../local/state-file.ts';

/**
 * Where the dashboard's AWS calls go. The ONE place that decides it, so it can be swapped for the CLI's
 * own stack discovery when that lands. Today it does what the CLI does: endpoints the user exported
 * (`eval "$(tunekit local env)"`) win; otherwise a local stack started for this project
 * (`<local.dataDir>/stack.json` with a live pid, as `tunekit eval run` finds it); otherwise AWS with the
 * SDK's usual credential and region resolution.
 */
export interface StackTarget {
  kind: 'env' | 'local' | 'aws';
  /** The endpoint every service is called at (local stack), absent for env/AWS resolution. */
  endpoint?: string;
  region: string;
  describe: string;
}

export function discoverStack(config: Config, configDir: string): StackTarget {
  if (process.env.AWS_ENDPOINT_URL_SFN || process.env.AWS_ENDPOINT_URL) {
    const endpoint = process.env.AWS_ENDPOINT_URL_SFN ?? process.env.AWS_ENDPOINT_URL;
    return { kind: 'env', region: config.region, describe: `endpoints from the environment (${endpoint})` };
  }
  const dataDir = resolve(configDir, config.local.dataDir);
  const state = readStateFile(dataDir);
  if (state && isProcessAlive(state.pid)) {
    // The local stack accepts any credentials; the SDK still wants some to sign with.
    const local = stackEnv(state.endpoint, state.region, []);
    process.env.AWS_ACCESS_KEY_ID ??= local.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY ??= local.AWS_SECRET_ACCESS_KEY;
    return {
      kind: 'local',
      endpoint: state.endpoint,
      region: state.region,
      describe: `the local stack at ${state.endpoint} (${dataDir})`,
    };
  }
  return { kind: 'aws', region: config.region, describe: `AWS (${config.region}, your credentials)` };
}
