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
});
