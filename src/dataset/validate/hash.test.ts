import { describe, expect, it } from 'vitest';
import { hashBytes, hashText } from './hash.ts';

describe('hashBytes', () => {
  it('gives the same hash for the same bytes at any offset, ignoring surrounding whitespace', () => {
    const buf = Buffer.from(new ArrayBuffer(64));
    buf.write('abcdefgh\n abcdefgh\r\nabcdefgi\n');
    const view = new DataView(buf.buffer);
    const first = hashBytes(buf, 0, 8, 0, view);
    expect(hashBytes(buf, 9, 19, 0, view)).toBe(first);
    expect(hashText('abcdefgh')).toBe(first);
    expect(hashBytes(buf, 20, 28, 0, view)).not.toBe(first);
    expect(hashText('abcdefgh', 7)).not.toBe(first);
  });

  it('keeps its values across versions (seeded splits depend on them), for lengths around the 8- and 16-byte steps', () => {
    // Values from the 8-bytes-per-iteration loop, before it was unrolled.
    expect(hashText('')).toBe(3338908027751811);
    expect(hashText('a')).toBe(1577302563649788);
    expect(hashText('{"prompt":"hi"}')).toBe(4156738985306815);
    expect(hashText('x'.repeat(31))).toBe(2457385706761083);
    expect(hashText('x'.repeat(31), 7)).toBe(6902505342926834);
    expect(hashText('café 預金 “quoted”')).toBe(5077478191168985);
    expect(hashText('{"prompt": "What is the capital of France?", "completion": "Paris."}', 7)).toBe(
      7640435353467463,
    );
  });
});
