import { open } from 'node:fs/promises';
import { TunekitError } from '../../errors.ts';
import type { DatasetInput } from '../schema.ts';
import type { ChunkBufferPool } from './buffer-pool.ts';

// 1 MiB: measured best for peak memory with two workers at no loss of throughput (bench/validate).
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Lines longer than this are skipped (and reported) instead of being held in memory. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type ReadItem =
  | { kind: 'lines'; bytes: Buffer; first: boolean }
  | { kind: 'oversized'; bytes: number; first: boolean };

interface Source {
  size: number;
  read(into: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

async function openSource(input: DatasetInput): Promise<Source> {
  if ('buffer' in input) {
    let pos = 0;
    const b = input.buffer;
    return {
      size: b.length,
      read: async (into, offset, length) => {
        const n = b.copy(into, offset, pos, Math.min(b.length, pos + length));
        pos += n;
        return n;
      },
      close: async () => {},
    };
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(input.path, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new TunekitError(
      'DATA.NOT_READABLE',
      `cannot read ${input.path}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`,
      {
        hint: code === 'ENOENT' ? 'check the path' : 'check the file permissions',
        cause,
      },
    );
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new TunekitError('DATA.NOT_READABLE', `${input.path} is a directory`, {
      hint: 'pass a .jsonl file',
    });
  }
  return {
    size: stat.size,
    read: async (into, offset, length) => (await handle.read(into, offset, length, null)).bytesRead,
    close: () => handle.close(),
  };
}

/**
 * The bytes after a chunk's last newline, kept for the next chunk in one reusable buffer. A fresh
 * copy per chunk was off-heap garbage (~100 KB a chunk on files of long records) that the main thread
 * frees only in full collections.
 */
class Tail {
  private store: Buffer;
  length = 0;

  constructor(private readonly usualBytes: number) {
    this.store = Buffer.allocUnsafeSlow(usualBytes);
  }

  keep(bytes: Buffer): void {
    if (bytes.length > this.store.length) this.store = Buffer.allocUnsafeSlow(bytes.length);
    // After a very long line, go back to the usual size instead of holding the big buffer.
    else if (bytes.length <= this.usualBytes && this.store.length > this.usualBytes)
      this.store = Buffer.allocUnsafeSlow(this.usualBytes);
    bytes.copy(this.store, 0);
    this.length = bytes.length;
  }

  copyTo(target: Buffer): void {
    this.store.copy(target, 0, 0, this.length);
  }
}

/** The input's size in bytes, without reading it. */
export async function inputSize(input: DatasetInput): Promise<number> {
  const source = await openSource(input);
  await source.close();
  return source.size;
}

/**
 * Reads the input in chunks of whole lines (memory stays at about two chunks however big the file).
 * Each chunk gets its own ArrayBuffer so it can be transferred to a worker without copying.
 * A line longer than MAX_LINE_BYTES is skipped and yielded as 'oversized' so it can be reported.
 */
export async function* readLineChunks(
  input: DatasetInput,
  chunkBytes = DEFAULT_CHUNK_BYTES,
  /** Sees every byte of the input once, in order (e.g. to hash the file in the same pass). */
  tap?: (bytes: Buffer) => void,
  /** Where chunk buffers come from; the consumer releases each chunk's buffer when done with it. */
  pool?: ChunkBufferPool,
): AsyncGenerator<ReadItem> {
  const source = await openSource(input);
  let first = true;
  try {
    const carry = new Tail(chunkBytes);
    let skipping = -1; // bytes of an oversized line skipped so far, or -1
    for (;;) {
      const buf = pool
        ? pool.acquire(carry.length + chunkBytes)
        : Buffer.allocUnsafeSlow(carry.length + chunkBytes);
      carry.copyTo(buf);
      const n = await source.read(buf, carry.length, chunkBytes);
      if (tap && n > 0) tap(buf.subarray(carry.length, carry.length + n));
      let data = buf.subarray(0, carry.length + n);
      carry.length = 0;
      if (skipping >= 0) {
        const nl = data.indexOf(10);
        if (nl < 0 && n > 0) {
          skipping += data.length;
          continue;
        }
        yield { kind: 'oversized', bytes: skipping + (nl < 0 ? data.length : nl), first };
        first = false;
        skipping = -1;
        if (nl < 0) return;
        data = data.subarray(nl + 1);
      }
      if (n === 0) {
        if (data.length > 0) yield { kind: 'lines', bytes: data, first };
        return;
      }
      const last = data.lastIndexOf(10);
      if (last < 0) {
        if (data.length > MAX_LINE_BYTES) skipping = data.length;
        else carry.keep(data);
        continue;
      }
      carry.keep(data.subarray(last + 1));
      yield { kind: 'lines', bytes: data.subarray(0, last + 1), first };
      first = false;
    }
  } finally {
    await source.close();
  }
}
