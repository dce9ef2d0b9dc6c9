import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../config/schema.ts';
import { writeStateFile } from '../../local/state-file.ts';
import { discoverStack } from './stack.ts';

/** Where `tunekit ui` reads from: exported endpoints, else this project's running local stack, else AWS. */

let dir: string;
const config = ConfigSchema.parse({ local: { dataDir: 'stack-data' } });
const state = (pid: number) => ({
  pid,
  port: 4599,
  endpoint: 'http://127.0.0.1:4599',
  region: 'us-east-1',
  dataDir: join(dir, 'stack-data'),
  startedAt: new Date().toISOString(),
  services: ['s3', 'bedrock'],
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunekit-ui-stack-'));
  for (const name of [
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_SFN',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ])
    vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('discoverStack', () => {
  it('uses the local stack this project started (stack.json with a live pid), with signing credentials', () => {
    writeStateFile(state(process.pid));
    const target = discoverStack(config, dir);
    expect(target).toMatchObject({ kind: 'local', endpoint: 'http://127.0.0.1:4599' });
    expect(process.env.AWS_ACCESS_KEY_ID).toBeTruthy();
  });

  it('ignores a stack.json whose process is gone, and falls back to AWS', () => {
    writeStateFile(state(2 ** 22 + 12345));
    expect(discoverStack(config, dir)).toMatchObject({ kind: 'aws', region: config.region });
  });

  it('prefers endpoints the user exported (tunekit local env)', () => {
    writeStateFile(state(process.pid));
    vi.stubEnv('AWS_ENDPOINT_URL_SFN', 'http://127.0.0.1:5000');
    const target = discoverStack(config, dir);
    expect(target.kind).toBe('env');
    expect(target.describe).toContain('http://127.0.0.1:5000');
  });
});
