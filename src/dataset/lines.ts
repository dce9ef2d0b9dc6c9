import { isUtf8 } from 'node:buffer';
import type { DatasetInput } from './schema.ts';
import { readLineChunks } from './validate/reader.ts';

/** One line of the input: its text, or undefined when it is not readable UTF-8 or too long to hold. */
export interface InputLine {
  line: number;
  text: string | undefined;
}

/**
 * Streams the lines of a JSONL input in order with 1-based numbers (memory: one chunk). For the
 * single-pass tools (stats, split, convert, manifest); validation has its own parallel engine.
 */
export async function* readLines(
  input: DatasetInput,
  tap?: (bytes: Buffer) => void,
): AsyncGenerator<InputLine> {
  let line = 0;
  for await (const item of readLineChunks(input, undefined, tap)) {
    if (item.kind === 'oversized') {
      yield { line: ++line, text: undefined };
      continue;
    }
    const bytes = item.bytes;
    const decodable = isUtf8(bytes);
    const whole = decodable ? bytes.toString('utf8') : undefined;
    let start = 0;
    const length = whole === undefined ? bytes.length : whole.length;
    while (start < length) {
      let end = whole === undefined ? bytes.indexOf(10, start) : whole.indexOf('\n', start);
      if (end < 0) end = length;
      let text: string | undefined;
      if (whole !== undefined) text = whole.slice(start, end);
      else {
        const sub = bytes.subarray(start, end);
        text = isUtf8(sub) ? sub.toString('utf8') : undefined;
      }
      if (text !== undefined) {
        if (line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text.endsWith('\r')) text = text.slice(0, -1);
      }
      yield { line: ++line, text };
      start = end + 1;
    }
  }
}
