/**
 * Turns V8's JSON.parse message into words a dataset author understands, with the usual fix.
 * The common causes of bad JSONL are known: pretty-printed JSON, trailing commas, single quotes,
 * several objects on one line, Python literals.
 */
export function explainJsonError(text: string, error: unknown): { message: string; hint: string } {
  const raw = (error as Error).message ?? String(error);
  const at = /position (\d+)/.exec(raw);
  const column = at ? ` (column ${Number(at[1]) + 1})` : '';
  const detail = raw
    .replace(/^Unexpected token '(.)', "(.{0,40}).*$/s, "unexpected '$1'")
    .replace(/ in JSON at position \d+.*$/s, '');
  const message = `not valid JSON${column}: ${detail}`;
  const trimmed = text.trim();
  if (/,\s*[}\]]/.test(trimmed))
    return { message, hint: 'remove the trailing comma before the closing } or ]' };
  if (/^[{[]$/.test(trimmed) || (trimmed.startsWith('{') && !trimmed.endsWith('}'))) {
    return {
      message,
      hint: 'JSONL needs each record on one line: write the whole JSON object on a single line (json.dumps without indent)',
    };
  }
  if (/}\s*{/.test(trimmed)) return { message, hint: 'put each JSON object on its own line' };
  if (/'[^']*'\s*:/.test(trimmed))
    return { message, hint: 'JSON strings and keys need double quotes, not single quotes' };
  if (/\b(True|False|None)\b/.test(trimmed))
    return {
      message,
      hint: 'use JSON true/false/null (this looks like a Python dict; write it with json.dumps)',
    };
  return { message, hint: 'fix the JSON syntax at the column shown (one JSON object per line)' };
}
