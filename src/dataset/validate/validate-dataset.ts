import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { getModel } from '../../models/catalog.ts';
import { type Method, recordBounds } from '../../models/methods.ts';
import { formatFor } from '../methods.ts';
import type { DatasetInput, ValidationReport } from '../schema.ts';
import { ChunkBufferPool } from './buffer-pool.ts';
import { type ChunkResult, createChunkContext, validateChunk } from './chunk.ts';
import { collectGarbage } from './gc.ts';
import { ReportBuilder } from './merge.ts';
import { ValidationPool } from './pool.ts';
import { DEFAULT_CHUNK_BYTES, inputSize, readLineChunks } from './reader.ts';

export interface ValidateOptions {
  /** Base model id or alias (see `tunekit models`); decides the format and the limits. */
  model: string;
  role?: 'training' | 'validation';
  /** The customization method (default fine-tuning): decides the format, rules and record bounds. */
  method?: Method;
  /** Errors (and, separately, warnings) kept in the report; counts cover everything. Default 50. */
  maxIssues?: number;
  /** Worker threads; 0 validates on the calling thread. Default: one per core for inputs over 32 MB. */
  workers?: number;
  /** Bytes per chunk handed to a worker. Default DEFAULT_CHUNK_BYTES (1 MiB). */
  chunkBytes?: number;
  /** Called as the input is read (bytes read so far, total bytes), e.g. to draw a progress bar. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

const PARALLEL_FROM_BYTES = 32 * 1024 * 1024;

/**
 * A compressed or binary file is one problem, not one per "line": gzip (magic 1f 8b, RFC 1952 §2.3.1),
 * zip (50 4b 03 04) or mostly control bytes in the first 4 KiB (JSON text holds none unescaped; a stray
 * one on a line stays that line's BINARY_DATA error).
 */
/** Share of bytes that are control characters other than tab, line feed, carriage return and escape. */
function controlShare(head: Buffer): number {
  if (head.length === 0) return 0;
  let control = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) control++;
  return control / head.length;
}

async function sniffNotText(input: DatasetInput) {
  let head: Buffer;
  if ('buffer' in input) head = input.buffer.subarray(0, 4096);
  else {
    const file = await open(input.path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(4096), 0, 4096, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b)
    return {
      code: 'GZIP_FILE',
      message: 'this is a gzip-compressed file, not JSON Lines text',
      hint: 'decompress it first (gunzip file.jsonl.gz); Bedrock reads plain .jsonl',
    };
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return {
      code: 'ZIP_FILE',
      message: 'this is a zip archive, not JSON Lines text',
      hint: 'unzip it and validate the .jsonl file inside',
    };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    return {
      code: 'UTF16_FILE',
      message: 'this file is UTF-16 encoded; Bedrock reads UTF-8',
      hint: 'save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 in.jsonl > out.jsonl)',
    };
  if (controlShare(head) > 0.05)
    return {
      code: 'BINARY_FILE',
      message: 'this is a binary file (mostly control bytes), not JSON Lines text',
      hint: 'give the UTF-8 .jsonl file with one JSON record per line',
    };
  return undefined;
}

function workerCount(size: number, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  const env = process.env.TUNEKIT_VALIDATE_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return size >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), 4) : 0;
}

/**
 * Streams a JSONL dataset and checks it against what Bedrock enforces for the model. Collects every
 * issue (capped in the lists, counted in full) and never throws on bad data; it throws only when the
 * input cannot be read or the model is unknown.
 */
export async function validateDataset(
  input: DatasetInput,
  options: ValidateOptions,
): Promise<ValidationReport> {
  const model = getModel(options.model);
  const maxIssues = options.maxIssues ?? 50;
  const size = await inputSize(input);
  const method = options.method ?? 'fine-tuning';
  const builder = new ReportBuilder(model, options.role ?? 'training', maxIssues, {
    name: method,
    bounds: recordBounds(model, method),
    format: formatFor(model, method),
  });
  const chunkOptions = { model: model.id, maxIssues, method };
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let done = 0;
  const { onProgress } = options;
  const tap = onProgress
    ? (b: Buffer) => {
        done += b.length;
        onProgress(done, size);
      }
    : undefined;
  const kind = await sniffNotText(input);
  if (kind) {
    builder.addNotText(kind.code, kind.message, kind.hint);
    return builder.finish(size);
  }
  const buffers = new ChunkBufferPool(chunkBytes * 2);
  const chunks = readLineChunks(input, chunkBytes, tap, buffers);
  const workers = workerCount(size, options.workers);

  if (workers === 0) {
    const ctx = createChunkContext(chunkOptions);
    for await (const item of chunks) {
      if (item.kind === 'oversized') builder.addOversized(item.bytes);
      else {
        builder.addChunk(validateChunk(item.bytes, item.first, ctx));
        buffers.release(item.bytes.buffer as ArrayBuffer);
      }
    }
    return builder.finish(size);
  }

  const pool = await ValidationPool.create(workers, chunkOptions, (b) => buffers.release(b));
  // Two chunks in flight per worker keep every core busy while bounding memory.
  const limit = workers * 2;
  const pending: Promise<ChunkResult | number>[] = [];
  let merged = 0;
  const merge = (r: ChunkResult | number) => {
    if (typeof r === 'number') builder.addOversized(r);
    else builder.addChunk(r);
    // Every 128 chunks: the main thread's per-chunk garbage is small now (no off-heap hash arrays or
    // tail copies), and each full collection of its ~10 MB heap costs ~10 ms; every 64 held RSS no
    // flatter on 1-3 GB files, every 256 let it creep (bench/validate).
    if (++merged % 128 === 0) collectGarbage();
  };
  try {
    for await (const item of chunks) {
      pending.push(
        item.kind === 'oversized' ? Promise.resolve(item.bytes) : pool.run(item.bytes, item.first),
      );
      while (pending.length >= limit) merge(await pending.shift()!);
    }
    while (pending.length) merge(await pending.shift()!);
  } finally {
    // A rejected chunk leaves others pending; don't let them surface as unhandled rejections.
    for (const p of pending) p.catch(() => {});
    await pool.close();
  }
  return builder.finish(size);
}
