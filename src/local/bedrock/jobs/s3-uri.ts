/** `s3://bucket/key` -> parts. A trailing slash means a prefix (output locations). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest, key: '' };
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** Joins an output prefix and a relative key without doubling or dropping the slash. */
export function joinKey(prefix: string, relative: string): string {
  if (prefix === '') return relative;
  return prefix.endsWith('/') ? `${prefix}${relative}` : `${prefix}/${relative}`;
}
