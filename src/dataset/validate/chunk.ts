import { isAscii, isUtf8 } from 'node:buffer';
import { getModel } from '../../models/catalog.ts';
import type { Method } from '../../models/methods.ts';
import type { ModelSpec } from '../../models/schema.ts';
import { detectFormat, FORMATS } from '../formats/registry.ts';
import { err, type IssueDraft } from '../formats/types.ts';
import { formatFor, rulesFor } from '../methods.ts';
import { maxRecordCharsFor, type RecordRule, type RuleContext, recordChars } from '../rules/index.ts';
import type { DatasetFormat, ValidationIssue } from '../schema.ts';
import { CHARS_PER_TOKEN } from '../tokens.ts';
import { hashBytes } from './hash.ts';
import { explainJsonError } from './json-error.ts';

/** What a chunk needs to know; plain data so it can cross into a worker thread. */
export interface ChunkOptions {
  model: string;
  maxIssues: number;
  /** The customization method: decides the record format and rules (default fine-tuning). */
  method?: Method;
}

/** The findings for one run of whole lines. Line numbers are relative to the chunk (1-based). */
export interface ChunkResult {
  lines: number;
  records: number;
  blankLines: number;
  characters: number;
  tokens: number;
  maxRecordChars: number;
  crlfLines: number;
  /** Up to maxIssues errors then up to maxIssues warnings, each in line order. */
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  errorCount: number;
  warningCount: number;
  issueCounts: Record<string, number>;
  formats: Record<string, number>;
  /**
   * hash53 of each record's text and its relative line, for duplicate detection across chunks. Plain
   * arrays, copied into the worker's message: transferred typed arrays left ~10 KB of off-heap memory
   * per chunk in the main thread, which allocates too little to scavenge often, so only its periodic
   * full collections freed them (RSS crept up between them).
   */
  hashes: number[];
  hashLines: number[];
}

/** Per-worker state built once: the model row and its derived limits. */
export interface ChunkContext {
  model: ModelSpec;
  expected: DatasetFormat;
  method: Method;
  recordRules: readonly RecordRule[];
  rules: RuleContext;
  maxIssues: number;
}

export function createChunkContext(options: ChunkOptions): ChunkContext {
  const model = getModel(options.model);
  const method = options.method ?? 'fine-tuning';
  return {
    model,
    expected: formatFor(model, method),
    method,
    recordRules: rulesFor(method),
    rules: { model, maxRecordChars: maxRecordCharsFor(model) },
    maxIssues: options.maxIssues,
  };
}

const NUL = String.fromCharCode(0);

/**
 * Validates a run of whole lines. `firstInFile` enables the BOM check; the caller guarantees the
 * bytes end at a newline (or at end of file). Never throws on bad data: everything becomes an issue.
 */
export function validateChunk(bytes: Uint8Array, firstInFile: boolean, ctx: ChunkContext): ChunkResult {
  const result: ChunkResult = {
    lines: 0,
    records: 0,
    blankLines: 0,
    characters: 0,
    tokens: 0,
    maxRecordChars: 0,
    crlfLines: 0,
    errors: [],
    warnings: [],
    errorCount: 0,
    warningCount: 0,
    issueCounts: {},
    formats: {},
    hashes: [],
    hashLines: [],
  };
  const { hashes, hashLines } = result;
  const scratch: IssueDraft[] = [];
  const flush = (line: number) => {
    for (const d of scratch) {
      result.issueCounts[d.code] = (result.issueCounts[d.code] ?? 0) + 1;
      const list = d.severity === 'error' ? result.errors : result.warnings;
      if (d.severity === 'error') result.errorCount++;
      else result.warningCount++;
      if (list.length < ctx.maxIssues)
        list.push({
          severity: d.severity,
          code: d.code,
          line,
          path: d.path,
          message: d.message,
          hint: d.hint,
        });
    }
    scratch.length = 0;
  };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // One check for the whole chunk; only a chunk with bad bytes is re-checked line by line.
  const allAscii = isAscii(buf);
  const allUtf8 = allAscii || isUtf8(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    line++;
    if (allUtf8 || isUtf8(buf.subarray(start, end))) {
      // Decoding line by line keeps ASCII lines one-byte strings, and garbage short-lived. An all-ASCII
      // chunk decodes as latin1 (the same characters, a plain copy). Otherwise every line decodes as
      // UTF-8, which also yields a one-byte string for an ASCII line: testing each line with isAscii
      // first cost a Buffer view per line and more than the copy it saved (a few % of a worker).
      const text = allAscii ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end);
      const ok = checkLine(text, line === 1 && firstInFile, ctx, scratch, result);
      if (ok) {
        hashes.push(hashBytes(buf, start, end, 0, view));
        hashLines.push(line);
      }
    } else {
      scratch.push(badBytes(buf.subarray(start, end)));
      result.records++;
    }
    if (scratch.length) flush(line);
    start = end + 1;
  }
  result.lines = line;
  return result;
}

/**
 * Where the UTF-8 structure first breaks (a bad lead byte or a missing continuation byte), in one
 * linear pass; -1 if the structure holds (then the fault is an overlong form or a surrogate).
 */
function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

function badBytes(bytes: Buffer): IssueDraft {
  if (bytes.includes(0)) {
    return err(
      'BINARY_DATA',
      '',
      'the line contains binary data (NUL bytes), not text',
      'training files must be UTF-8 text: check that you picked the right file',
    );
  }
  const offset = Math.max(0, firstBadUtf8(bytes));
  return err(
    'INVALID_UTF8',
    '',
    `the line is not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte ${offset + 1})`,
    're-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in.jsonl > out.jsonl`)',
  );
}

/** Checks one decoded line; returns true when it is a usable record (counted for duplicates). */
function checkLine(
  raw: string,
  firstOfFile: boolean,
  ctx: ChunkContext,
  issues: IssueDraft[],
  result: ChunkResult,
): boolean {
  let text = raw;
  if (firstOfFile && text.charCodeAt(0) === 0xfeff) {
    issues.push(
      err('BOM', '', 'the file starts with a byte-order mark (BOM)', 'save the file as UTF-8 without BOM'),
    );
    text = text.slice(1);
  }
  if (text.charCodeAt(text.length - 1) === 13) {
    result.crlfLines++;
    text = text.slice(0, -1);
  }
  // Only look for all-whitespace when the line could be blank (cheap on the hot path).
  const c0 = text.charCodeAt(0);
  if (text.length === 0 || ((c0 === 32 || c0 === 9) && text.trim() === '')) {
    result.blankLines++;
    issues.push(
      err('BLANK_LINE', '', 'blank line (every line must hold one JSON record)', 'delete the empty line'),
    );
    return false;
  }
  result.records++;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // NUL is never valid in JSON text, so binary junk always lands here.
    if (text.includes(NUL)) {
      issues.push(
        err(
          'BINARY_DATA',
          '',
          'the line contains binary data (NUL characters), not text',
          'training files must be UTF-8 text: check that you picked the right file',
        ),
      );
    } else {
      const { message, hint } = explainJsonError(text, e);
      issues.push(err('INVALID_JSON', '', message, hint));
    }
    return false;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    issues.push(
      err(
        'NOT_AN_OBJECT',
        '',
        `each line must be one JSON object, found ${found}`,
        Array.isArray(value)
          ? 'write one object per line instead of an array of records'
          : 'wrap the record as a JSON object',
      ),
    );
    return false;
  }
  const record = value as Record<string, unknown>;
  const seen = detectFormat(record);
  // A record the expected format takes as its own (same shape, something missing) counts as that format:
  // its own errors say what is missing.
  const detected =
    seen && seen !== ctx.expected && FORMATS[ctx.expected].accepts?.(record) ? ctx.expected : seen;
  if (detected) result.formats[detected] = (result.formats[detected] ?? 0) + 1;
  if (detected && detected !== ctx.expected) {
    issues.push(
      err(
        'WRONG_FORMAT',
        '',
        `this record is in ${FORMATS[detected].label} format, but ${ctx.method === 'fine-tuning' ? ctx.model.name : `${ctx.method} of ${ctx.model.name}`} needs ${FORMATS[ctx.expected].label}`,
        `convert the file: tunekit data convert <file> --to ${ctx.expected} (or pick a model that takes ${detected} with --model)`,
      ),
    );
    return false;
  }
  if (!detected && 'input' in record && Object.keys(record).length === 1) {
    issues.push(
      err(
        'WRONG_FORMAT',
        '',
        'this is continued pre-training data ({"input": ...}), not fine-tuning data',
        `write ${FORMATS[ctx.expected].label} records, e.g. ${FORMATS[ctx.expected].example}`,
      ),
    );
    return false;
  }
  const handler = FORMATS[ctx.expected];
  const before = issues.length;
  const conversation = handler.check(record, { model: ctx.model }, issues);
  if (!conversation) {
    if (issues.length === before)
      issues.push(
        err('WRONG_FORMAT', '', `not a ${handler.label} record`, `write records like ${handler.example}`),
      );
    return false;
  }
  for (const rule of ctx.recordRules) rule.check(conversation, ctx.rules, issues);
  const chars = recordChars(conversation);
  result.characters += chars;
  result.tokens += Math.ceil(chars / CHARS_PER_TOKEN);
  if (chars > result.maxRecordChars) result.maxRecordChars = chars;
  return true;
}

/** An issue for a line too long to read into memory (the reader skips it). */
export function oversizedLineIssue(bytes: number): IssueDraft {
  return err(
    'LINE_TOO_LONG',
    '',
    `the line is ${(bytes / 1048576).toFixed(1)} MB, too long to be one training record`,
    'check the line breaks: each record must be on its own line, and records must fit the model’s context',
  );
}
