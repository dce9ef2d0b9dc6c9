import { describe, expect, it } from 'vitest';
import { checksumOf } from './checksums.ts';

// Standard check values: each algorithm over the ASCII bytes "123456789".
const CHECK = Buffer.from('123456789');
const hex = (alg: Parameters<typeof checksumOf>[0]) =>
  Buffer.from(checksumOf(alg, CHECK), 'base64').toString('hex');

describe('checksums', () => {
  it('match the published check values', () => {
    expect(hex('crc32')).toBe('cbf43926');
    expect(hex('crc32c')).toBe('e3069283');
    expect(hex('crc64nvme')).toBe('ae8b14860a799888');
    expect(hex('sha1')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    expect(hex('md5')).toBe('25f9e794323b453885f5181f1b624d0b');
  });
});
