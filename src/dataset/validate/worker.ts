import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkOptions, createChunkContext, validateChunk } from './chunk.ts';
import { oldGenerationGuard } from './gc.ts';

// A full collection only after the old generation grew by 4 MB: never on typical records (they die
// young), about every 100 MB of input on files of very long records.
const collectIfGrown = oldGenerationGuard(4 * 1024 * 1024);

/** A validation worker: receives chunks of whole lines, returns their findings (see pool.ts). */
const ctx = createChunkContext(workerData as ChunkOptions);
const port = parentPort!;
port.on('message', (msg: { seq: number; bytes: Uint8Array; first: boolean }) => {
  const result = validateChunk(msg.bytes, msg.first, ctx);
  collectIfGrown();
  // The chunk's buffer goes back too, so the reader can reuse it.
  port.postMessage({ seq: msg.seq, result, buffer: msg.bytes.buffer }, [msg.bytes.buffer as ArrayBuffer]);
});
