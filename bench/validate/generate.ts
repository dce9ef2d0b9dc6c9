import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';

/**
 * Writes a realistic prompt/completion JSONL file of about `bytes` bytes: varied lengths (a long tail),
 * JSON escapes, and non-ASCII text (accents, CJK) in 5% of records, as in English support data with
 * some names and quotes. Deterministic (seeded), so every run measures the same bytes.
 */
const WORDS =
  'account balance transfer card dispute transaction fee interest rate loan mortgage savings checking deposit withdrawal branch online banking mobile app statement overdraft credit limit payment due date reward points fraud alert verification identity security password reset wire international currency exchange "quoted" tab\\t newline\\n'.split(
    ' ',
  );

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNICODE = ['café', 'naïve', 'résumé', '預金', '口座', '€20', '“quoted”'];
const NON_ASCII_SHARE = 0.05;

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(' ');
}

export async function generate(path: string, bytes: number): Promise<number> {
  const rand = rng(20261124);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  let written = 0;
  let records = 0;
  let batch: string[] = [];
  while (written < bytes) {
    // Prompt 5–40 words, answer 20–200 words with an occasional long one.
    const answerWords = rand() < 0.02 ? 400 + Math.floor(rand() * 400) : 20 + Math.floor(rand() * 180);
    let completion = sentence(rand, answerWords);
    if (rand() < NON_ASCII_SHARE) completion += ` ${UNICODE[Math.floor(rand() * UNICODE.length)]}`;
    const line = `${JSON.stringify({ prompt: sentence(rand, 5 + Math.floor(rand() * 35)), completion })}\n`;
    batch.push(line);
    written += Buffer.byteLength(line);
    records++;
    if (batch.length === 2000) {
      if (!out.write(batch.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise<void>((r) => out.end(() => r()));
  await rename(tmp, path);
  return records;
}
