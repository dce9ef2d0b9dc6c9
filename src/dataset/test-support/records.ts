import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builders for real JSONL lines in tests (valid by default; tests break them on purpose). */
export const nova = (user: string, answer: string, system?: string) =>
  JSON.stringify({
    schemaVersion: 'bedrock-conversation-2024',
    ...(system ? { system: [{ text: system }] } : {}),
    messages: [
      { role: 'user', content: [{ text: user }] },
      { role: 'assistant', content: [{ text: answer }] },
    ],
  });

export const pc = (prompt: string, completion: string) => JSON.stringify({ prompt, completion });

export const claude = (user: string, answer: string, system?: string) =>
  JSON.stringify({
    ...(system ? { system } : {}),
    messages: [
      { role: 'user', content: user },
      { role: 'assistant', content: answer },
    ],
  });

/** n distinct valid Nova lines. */
export const novaLines = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    nova(`How do I reset my PIN, case ${i}?`, `Open the app, choose Cards, then Reset PIN (${i}).`),
  );

/** Writes content to a fresh temp file and returns its path. */
export function tempFile(content: string | Buffer, name = 'data.jsonl'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-dataset-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
