import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkOptions, createChunkContext, validateChunk } from './chunk.ts';

/** A validation worker: receives chunks of whole lines, returns their findings (see pool.ts). */
const ctx = createChunkContext(workerData as ChunkOptions);
const port = parentPort!;
port.on('message', (msg: { seq: number; bytes: Uint8Array; first: boolean }) => {
  const result = validateChunk(msg.bytes, msg.first, ctx);
  port.postMessage({ seq: msg.seq, result }, [
    result.hashes.buffer as ArrayBuffer,
    result.hashLines.buffer as ArrayBuffer,
  ]);
});
