import { createHash } from 'node:crypto';

/**
 * Object keys become file names. S3 keys are up to 1024 bytes of any UTF-8 (slashes, `..`, control
 * characters, case variants); file names are 255 bytes and case-insensitive on macOS. So the name is a
 * readable, percent-encoded prefix (for people browsing the data dir) plus a hash of the exact key, which
 * keeps names unique, short and case-safe. The exact key is stored inside the metadata record.
 */
const READABLE_PREFIX_CHARS = 60;

export function keyFileName(key: string): string {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  const readable = Array.from(key.slice(0, READABLE_PREFIX_CHARS))
    .map((c) => (/^[A-Za-z0-9_-]$/.test(c) ? c : `%${Buffer.from(c, 'utf8').toString('hex')}`))
    .join('')
    .slice(0, 120);
  return `${readable}~${hash}`;
}

/**
 * S3 lists keys in UTF-8 binary order. JavaScript compares UTF-16 code units, which agrees except when a
 * surrogate (U+D800–DFFF, i.e. a character above U+FFFF) meets a character in U+E000–FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y >= 0xe000 : x >= 0xe000)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** S3's general-purpose bucket naming rules; an empty string means valid, otherwise the reason. */
export function bucketNameProblem(name: string): string {
  if (!BUCKET_NAME.test(name))
    return 'Bucket names are 3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.';
  if (name.includes('..')) return 'Bucket names must not contain two adjacent periods.';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'Bucket names must not be formatted as an IP address.';
  if (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3'))
    return 'Bucket names must not use a reserved prefix or suffix.';
  return '';
}
