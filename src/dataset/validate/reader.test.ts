import { describe, expect, it } from 'vitest';
import { ChunkBufferPool } from './buffer-pool.ts';
import { readLineChunks } from './reader.ts';

async function linesRead(text: string, chunkBytes: number, pool?: ChunkBufferPool): Promise<string[]> {
  const lines: string[] = [];
  for await (const item of readLineChunks({ buffer: Buffer.from(text) }, chunkBytes, undefined, pool)) {
    if (item.kind !== 'lines') throw new Error(`unexpected ${item.kind}`);
    lines.push(
      ...item.bytes
        .toString('utf8')
        .split('\n')
        .filter((l, i, all) => i < all.length - 1 || l),
    );
    pool?.release(item.bytes.buffer as ArrayBuffer);
  }
  return lines;
}

describe('readLineChunks', () => {
  // Tails (the bytes after a chunk's last newline) shorter than, longer than, then again shorter than
  // the chunk size, so the reusable tail buffer grows and shrinks back in between.
  const lines = ['short', 'x'.repeat(50), 'a line of medium size', 'y'.repeat(200), 'é預', '', 'end'];
  const text = `${lines.join('\n')}\n`;

  it('yields every line whole, in order, whatever the chunk size', async () => {
    for (const chunkBytes of [8, 16, 33, 64, 4096]) expect(await linesRead(text, chunkBytes)).toEqual(lines);
  });

  it('does the same with recycled chunk buffers', async () => {
    expect(await linesRead(text, 16, new ChunkBufferPool(32))).toEqual(lines);
  });

  it('keeps a last line without a newline', async () => {
    expect(await linesRead('one\ntwo', 3)).toEqual(['one', 'two']);
  });
});
