import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { toConversation } from '../dataset/index.ts';
import { SAMPLES } from '../samples.ts';
import type { EvalCase, EvalSuite } from './suite.schema.ts';
import { loadSuite, parseSuite } from './suite.ts';

/**
 * Where a project's evaluation suite comes from: the one place that decides it (pipeline, pre-flight and
 * CLI call `projectSuite`). With `evaluation.suite` set, that file (local path or s3:// URI). Without
 * one, a deterministic held-out slice of the user's own training data (in-domain cases the candidate
 * was not trained on: ValidateTrainingData trains on `withoutHeldOut`) plus tunekit's built-in
 * out-of-domain and safety cases, so a new project is judged on its own domain, never on a sample's.
 */

/** About a tenth of the distinct prompts, at least 1 and at most 40 (enough to gate, cheap to ask). */
const HELD_OUT_SHARE = 0.1;
const MAX_HELD_OUT = 40;
/** Below this share of shared prompt words, a suite is about something else than the training data. */
const MIN_OVERLAP = 0.25;

export interface ProjectSuite {
  suite: EvalSuite;
  source: 'file' | 'held-out';
  /** Said in the report: where the cases came from and anything that makes the verdict doubtful. */
  notes: string[];
}

export interface ProjectSuiteOptions {
  /** `evaluation.suite`: a path (relative to configDir) or an s3:// URI; undefined: held-out slice. */
  suite: string | undefined;
  configDir: string;
  /** Reads an s3:// URI as text (the caller owns the S3 client). */
  readS3: (uri: string) => Promise<string>;
  /** The training data, when known (the upload being trained on); needed without a suite. */
  trainingText?: string;
  trainingName?: string;
}

/** The conventional suite file: used when evaluation.suite is not set and the project has it. */
export const CONVENTIONAL_SUITE = 'eval/suite.json';

/** evaluation.suite, else eval/suite.json when the project has one, else undefined (held-out slice). */
export function configuredSuite(suite: string | undefined, configDir: string): string | undefined {
  if (suite !== undefined) return suite;
  return existsSync(resolve(configDir, CONVENTIONAL_SUITE)) ? CONVENTIONAL_SUITE : undefined;
}

export async function projectSuite(options: ProjectSuiteOptions): Promise<ProjectSuite> {
  const where = configuredSuite(options.suite, options.configDir);
  if (where === undefined) {
    if (options.trainingText === undefined)
      throw new Error('projectSuite: no evaluation.suite and no training data to hold a slice out of');
    return heldOutSuite(options.trainingText, options.trainingName ?? 'the training data');
  }
  const suite = where.startsWith('s3://')
    ? parseSuite(where, await options.readS3(where))
    : loadSuite(isAbsolute(where) ? where : resolve(options.configDir, where));
  const notes: string[] = [];
  if (options.trainingText !== undefined) {
    const warning = suiteMismatch(suite, options.trainingText);
    if (warning) notes.push(warning);
  }
  return { suite, source: 'file', notes };
}

interface Candidate {
  line: number;
  prompt: string;
  reference: string;
  system?: string;
  rank: string;
}

/**
 * A reinforcement record's expected answer, when it is plain text or a number: the record is a prompt
 * (last turn the user's) and `reference_answer` what the grader checks against, so it serves as the
 * case's reference too. An object reference (criteria only the grader reads) makes no case.
 */
function referenceAnswer(record: unknown): string | undefined {
  const ref = (record as { reference_answer?: unknown }).reference_answer;
  return typeof ref === 'string' || typeof ref === 'number' ? String(ref).trim() || undefined : undefined;
}

/**
 * The records of a JSONL text that can be asked as a case: the last user turn and the answer to it (for a
 * reinforcement record, its reference_answer).
 */
function candidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  text.split('\n').forEach((raw, line) => {
    if (raw.trim() === '') return;
    try {
      const record = JSON.parse(raw);
      const conversation = toConversation(record);
      const turns = conversation.turns;
      const reference = referenceAnswer(record);
      const last = reference === undefined ? turns.at(-1) : { role: 'assistant', text: reference };
      const ask = reference === undefined ? turns.at(-2) : turns.at(-1);
      if (last?.role !== 'assistant' || ask?.role !== 'user' || !ask.text.trim() || !last.text.trim()) return;
      const prompt = ask.text.trim();
      // Ranked by a hash of the prompt: the same data always holds out the same records, and records
      // sharing a prompt fall on the same side (no copy of a held-out question is trained on).
      const rank = createHash('sha256').update(prompt.toLowerCase()).digest('hex');
      out.push({ line, prompt, reference: last.text.trim(), system: conversation.system, rank });
    } catch {
      // Invalid records never reach training (ValidateTrainingData stops the run first).
    }
  });
  return out;
}

/** The line indexes (0-based) held out of training, and the cases made of them. */
export function heldOutSlice(text: string): { lines: Set<number>; cases: EvalCase[] } {
  const all = candidates(text);
  const prompts = [...new Set(all.map((c) => c.prompt.toLowerCase()))];
  if (prompts.length < 2) return { lines: new Set(), cases: [] };
  const target = Math.min(MAX_HELD_OUT, Math.max(1, Math.round(prompts.length * HELD_OUT_SHARE)));
  const byRank = [...all].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.line - b.line));
  const chosen = new Set<string>();
  const cases: EvalCase[] = [];
  for (const c of byRank) {
    const key = c.prompt.toLowerCase();
    if (!chosen.has(key) && chosen.size >= target) continue;
    if (!chosen.has(key)) {
      chosen.add(key);
      cases.push({
        id: `held-out-line-${c.line + 1}`,
        category: 'in-domain',
        tags: ['unseen', 'held-out'],
        ...(c.system ? { system: c.system } : {}),
        prompt: c.prompt,
        reference: c.reference,
        assertions: [],
      });
    }
  }
  const lines = new Set(all.filter((c) => chosen.has(c.prompt.toLowerCase())).map((c) => c.line));
  return { lines, cases };
}

/** The training text without the held-out records (what the job trains on when there is no suite). */
export function withoutHeldOut(text: string): { text: string; heldOut: number } {
  const { lines } = heldOutSlice(text);
  return {
    text: text
      .split('\n')
      .filter((_, i) => !lines.has(i))
      .join('\n'),
    heldOut: lines.size,
  };
}

function heldOutSuite(text: string, name: string): ProjectSuite {
  const general = loadSuite(SAMPLES.generalCases);
  const { cases } = heldOutSlice(text);
  const note =
    `No evaluation suite is configured: in-domain cases are ${cases.length} records held out of ${name} ` +
    `(never trained on; the same data always holds out the same records), plus ${general.cases.length} built-in ` +
    'out-of-domain and safety cases. Write your own suite and set evaluation.suite for a sharper verdict.';
  return {
    suite: { name: `held-out slice of ${name}`, description: note, cases: [...cases, ...general.cases] },
    source: 'held-out',
    notes: [note],
  };
}

const WORD = /[\p{L}\p{N}]{3,}/gu;
const words = (text: string) => new Set((text.toLowerCase().match(WORD) ?? []) as string[]);

/**
 * A warning when the suite's in-domain cases share almost nothing with the training data (a sample suite
 * left in place, or the wrong file): the share of their prompt words that occur in the training prompts.
 */
export function suiteMismatch(suite: EvalSuite, trainingText: string): string | undefined {
  const vocabulary = new Set<string>();
  for (const c of candidates(trainingText)) for (const w of words(c.prompt)) vocabulary.add(w);
  const inDomain = suite.cases.filter((c) => c.category === 'in-domain');
  const caseWords = inDomain.flatMap((c) => [...words(c.prompt)]);
  if (vocabulary.size === 0 || caseWords.length === 0) return undefined;
  const shared = caseWords.filter((w) => vocabulary.has(w)).length / caseWords.length;
  if (shared >= MIN_OVERLAP) return undefined;
  return (
    `suite "${suite.name}" shares little with the training data: only ${Math.round(shared * 100)}% of its ` +
    `in-domain prompt words occur in the training prompts, so the gate judges the model on questions it was ` +
    'not trained for. Write a suite for your data, or remove evaluation.suite to evaluate on a held-out slice of it.'
  );
}
