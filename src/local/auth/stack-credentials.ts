import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../atomic-write.ts';

/**
 * The one key pair a local stack accepts. Made at random the first time a stack starts on a data dir and
 * kept in `<dataDir>/credentials.json` (0600), so shells that ran `eval "$(tunekit local env)"` keep
 * working across restarts; the state file (`stack.json`, 0600) carries a copy for clients that find the
 * stack through it.
 */
export interface StackCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 20 upper-case characters like an AWS key id (`TKL` marks it as a tunekit local key, not an AWS one). */
function newAccessKeyId(): string {
  const bytes = randomBytes(17);
  return `TKL${[...bytes].map((b) => ALNUM[b % ALNUM.length]).join('')}`;
}

const credentialsPath = (dataDir: string) => join(dataDir, 'credentials.json');

function readCredentials(dataDir: string): StackCredentials | undefined {
  try {
    const value = JSON.parse(readFileSync(credentialsPath(dataDir), 'utf8')) as Partial<StackCredentials>;
    if (typeof value.accessKeyId === 'string' && typeof value.secretAccessKey === 'string')
      return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
  } catch {}
  return undefined;
}

/** The data dir's key pair, created (0600) on first use. */
export function loadOrCreateCredentials(dataDir: string): StackCredentials {
  const existing = readCredentials(dataDir);
  if (existing) return existing;
  const created = {
    accessKeyId: newAccessKeyId(),
    // 30 random bytes = 40 base64 characters, the length of an AWS secret access key.
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  writeJsonAtomic(credentialsPath(dataDir), created, 0o600);
  return created;
}

/** Creates the data dir private to this user (0700); an existing dir keeps its mode (see dataDirWarning). */
export function createPrivateDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** A warning with the fix when other users can read or enter the data dir (training data, models, keys). */
export function dataDirWarning(dataDir: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return (
    `the data dir ${dataDir} is open to other users (mode ${mode.toString(8)}): they can read its training ` +
    `data, models and the stack's secret key. Fix: chmod 700 '${dataDir}'`
  );
}
