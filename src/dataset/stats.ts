import { readLines } from './lines.ts';
import { type Distribution, distribution } from './percentiles.ts';
import { conversationChars, parseLine } from './records.ts';
import type { DatasetFormat, DatasetInput } from './schema.ts';
import { estimateTokens, TOKEN_ESTIMATE_METHOD } from './tokens.ts';
import { hashText } from './validate/hash.ts';

export interface DatasetStats {
  records: number;
  /** Lines that are not usable records (bad JSON, unknown shape); `tunekit data validate` explains them. */
  skippedLines: number;
  blankLines: number;
  characters: number;
  estimatedTokens: number;
  tokenEstimate: string;
  formats: Partial<Record<DatasetFormat, number>>;
  /** Per record: estimated tokens of the whole record, of the prompt side (system + user), of the answers. */
  tokensPerRecord: Distribution;
  promptTokens: Distribution;
  answerTokens: Distribution;
  turnsPerRecord: Distribution;
  duplicates: { records: number; groups: number; examples: { line: number; sameAs: number }[] };
  longest: { line: number; characters: number; estimatedTokens: number }[];
}

const LONGEST = 5;

/** Streams the input once and summarises it. Keeps a few numbers per record (not the text). */
export async function computeStats(input: DatasetInput): Promise<DatasetStats> {
  const total: number[] = [];
  const prompt: number[] = [];
  const answer: number[] = [];
  const turns: number[] = [];
  const formats: Partial<Record<DatasetFormat, number>> = {};
  const firstSeen = new Map<number, number>();
  const dupGroups = new Set<number>();
  const dupExamples: { line: number; sameAs: number }[] = [];
  let dupRecords = 0;
  let longest: DatasetStats['longest'] = [];
  let characters = 0;
  let tokens = 0;
  let skipped = 0;
  let blank = 0;
  for await (const { line, text } of readLines(input)) {
    const parsed = parseLine(text);
    if (!parsed.ok) {
      if (parsed.blank) blank++;
      else skipped++;
      continue;
    }
    const c = parsed.conversation;
    formats[parsed.format] = (formats[parsed.format] ?? 0) + 1;
    const chars = conversationChars(c);
    const recordTokens = estimateTokens(chars);
    characters += chars;
    tokens += recordTokens;
    total.push(recordTokens);
    let p = c.system?.length ?? 0;
    let a = 0;
    for (const t of c.turns) {
      if (t.role === 'user') p += t.text.length;
      else a += t.text.length;
    }
    prompt.push(estimateTokens(p));
    answer.push(estimateTokens(a));
    turns.push(c.turns.length);
    const h = hashText(text!);
    const first = firstSeen.get(h);
    if (first === undefined) firstSeen.set(h, line);
    else {
      dupRecords++;
      dupGroups.add(h);
      if (dupExamples.length < LONGEST) dupExamples.push({ line, sameAs: first });
    }
    if (longest.length < LONGEST || chars > longest[longest.length - 1]!.characters) {
      longest.push({ line, characters: chars, estimatedTokens: recordTokens });
      longest.sort((x, y) => y.characters - x.characters);
      longest = longest.slice(0, LONGEST);
    }
  }
  return {
    records: total.length,
    skippedLines: skipped,
    blankLines: blank,
    characters,
    estimatedTokens: tokens,
    tokenEstimate: TOKEN_ESTIMATE_METHOD,
    formats,
    tokensPerRecord: distribution(total),
    promptTokens: distribution(prompt),
    answerTokens: distribution(answer),
    turnsPerRecord: distribution(turns),
    duplicates: { records: dupRecords, groups: dupGroups.size, examples: dupExamples },
    longest,
  };
}
