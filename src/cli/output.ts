import { stripVTControlCharacters } from 'node:util';

/**
 * How commands print. Machine output (`--json`) goes to stdout as one JSON document; human output
 * goes to stdout too, and diagnostics/progress go to stderr so that pipes stay clean.
 */
export interface Output {
  json(value: unknown): void;
  line(text?: string): void;
  error(text: string): void;
  readonly isTTY: boolean;
}

export const stdoutOutput: Output = {
  json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  line: (text = '') => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
  get isTTY() {
    return Boolean(process.stdout.isTTY);
  },
};

const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);
export const style = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  cyan: paint(36),
};

/** Right-pads cells so a list of rows reads as a table. */
export function table(rows: string[][], gap = 2): string {
  const strip = (s: string) => stripVTControlCharacters(s);
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, strip(cell).length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - strip(cell).length + gap),
        )
        .join(''),
    )
    .join('\n');
}
