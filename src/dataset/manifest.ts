import { createHash } from 'node:crypto';
import { readLines } from './lines.ts';
import { conversationChars, parseLine } from './records.ts';
import type { DatasetFormat, DatasetInput, DatasetManifest } from './schema.ts';
import { estimateTokens, TOKEN_ESTIMATE_METHOD } from './tokens.ts';

/**
 * The identity of a dataset for registry lineage: content hash, size, records, tokens and format.
 * Deterministic (no timestamps), so the same bytes always give the same manifest.
 */
export async function computeManifest(input: DatasetInput): Promise<DatasetManifest> {
  const sha = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let characters = 0;
  let estimatedTokens = 0;
  const formats = new Set<DatasetFormat>();
  let unknown = 0;
  for await (const { text } of readLines(input, (chunk) => {
    sha.update(chunk);
    bytes += chunk.length;
  })) {
    const parsed = parseLine(text);
    if (parsed.ok) {
      records++;
      formats.add(parsed.format);
      const chars = conversationChars(parsed.conversation);
      characters += chars;
      estimatedTokens += estimateTokens(chars);
    } else if (!parsed.blank) {
      records++;
      unknown++;
    }
  }
  const format: DatasetManifest['format'] =
    formats.size > 1 || (formats.size === 1 && unknown > 0)
      ? 'mixed'
      : formats.size === 1
        ? [...formats][0]!
        : 'unknown';
  return {
    sha256: sha.digest('hex'),
    bytes,
    records,
    characters,
    estimatedTokens,
    format,
    tokenEstimate: TOKEN_ESTIMATE_METHOD,
  };
}
