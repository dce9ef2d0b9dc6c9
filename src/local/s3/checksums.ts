import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

/** The flexible-checksum algorithms S3 accepts, by their lowercase header suffix (`x-amz-checksum-<alg>`). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export const isChecksumAlgorithm = (s: string): s is ChecksumAlgorithm =>
  (CHECKSUM_ALGORITHMS as readonly string[]).includes(s);

/** An incremental checksum with the same shape for every algorithm. */
interface Digest {
  update(chunk: Buffer): void;
  /** Raw big-endian digest bytes. */
  digest(): Buffer;
}

function tableCrc32(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32C_TABLE = tableCrc32(0x82f63b78);

class Crc32cDigest implements Digest {
  private crc = 0xffffffff;
  update(chunk: Buffer): void {
    let c = this.crc;
    for (let i = 0; i < chunk.length; i++) c = CRC32C_TABLE[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8);
    this.crc = c;
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
    return out;
  }
}

class Crc32Digest implements Digest {
  private crc = 0;
  update(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), kept as two 32-bit halves: BigInt is ~50x slower.
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ 0xac4bc9b5) >>> 0;
      hi = (hi ^ 0x9a6c9329) >>> 0;
    }
  }
  CRC64_LO[n] = lo;
  CRC64_HI[n] = hi;
}

class Crc64NvmeDigest implements Digest {
  private lo = 0xffffffff;
  private hi = 0xffffffff;
  update(chunk: Buffer): void {
    let { lo, hi } = this;
    for (let i = 0; i < chunk.length; i++) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ CRC64_LO[idx]!;
      hi = (hi >>> 8) ^ CRC64_HI[idx]!;
    }
    this.lo = lo;
    this.hi = hi;
  }
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}

class NodeHashDigest implements Digest {
  private readonly hash: Hash;
  constructor(algorithm: string) {
    this.hash = createHash(algorithm);
  }
  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function createDigest(algorithm: ChecksumAlgorithm | 'md5'): Digest {
  switch (algorithm) {
    case 'crc32':
      return new Crc32Digest();
    case 'crc32c':
      return new Crc32cDigest();
    case 'crc64nvme':
      return new Crc64NvmeDigest();
    default:
      return new NodeHashDigest(algorithm);
  }
}

/** Base64 checksum of a whole buffer (tests, composite checksums). */
export const checksumOf = (algorithm: ChecksumAlgorithm | 'md5', data: Buffer): string => {
  const d = createDigest(algorithm);
  d.update(data);
  return d.digest().toString('base64');
};

/**
 * A pass-through stream that measures what flows to disk: size, MD5 (the ETag) and the flexible checksums
 * asked for (always CRC32, so GetObject can return a checksum the SDK validates).
 */
export class BodyDigest extends Transform {
  size = 0;
  private readonly md5 = createHash('md5');
  private readonly digests = new Map<ChecksumAlgorithm, Digest>();

  constructor(algorithms: ChecksumAlgorithm[]) {
    super();
    for (const a of new Set<ChecksumAlgorithm>(['crc32', ...algorithms]))
      this.digests.set(a, createDigest(a));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    for (const d of this.digests.values()) d.update(chunk);
    callback(null, chunk);
  }

  /** Call once, after the stream has finished. */
  result(): { size: number; md5: Buffer; checksums: Partial<Record<ChecksumAlgorithm, string>> } {
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const [a, d] of this.digests) checksums[a] = d.digest().toString('base64');
    return { size: this.size, md5: this.md5.digest(), checksums };
  }
}
