import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that a crash (even `kill -9`) leaves either the old or the new content, never a mix:
 * write a temp file next to the target, fsync it, rename it over the target (rename is atomic on POSIX).
 */
export function writeFileAtomic(path: string, data: string | Buffer, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  // `mode` (e.g. 0o600 for a file holding a secret) applies from creation: never readable in between.
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export const writeJsonAtomic = (path: string, value: unknown, mode?: number): void =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);

/** The same guarantee without blocking the event loop (large files: model weights). */
export async function writeFileAtomicAsync(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}
