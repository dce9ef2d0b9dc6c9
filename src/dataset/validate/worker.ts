import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkOptions, createChunkContext, validateChunk } from './chunk.ts';
import { collectGarbage } from './gc.ts';

const GC_EVERY_CHUNKS = 32;
let chunks = 0;

/** A validation worker: receives chunks of whole lines, returns their findings (see pool.ts). */
const ctx = createChunkContext(workerData as ChunkOptions);
const port = parentPort!;
port.on('message', (msg: { seq: number; bytes: Uint8Array; first: boolean }) => {
  const result = validateChunk(msg.bytes, msg.first, ctx);
  if (++chunks % GC_EVERY_CHUNKS === 0) collectGarbage();
  // The chunk's buffer goes back too, so the reader can reuse it.
  port.postMessage({ seq: msg.seq, result, buffer: msg.bytes.buffer }, [
    result.hashes.buffer as ArrayBuffer,
    result.hashLines.buffer as ArrayBuffer,
    msg.bytes.buffer as ArrayBuffer,
  ]);
});
