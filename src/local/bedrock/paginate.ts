import { validation } from './errors.ts';
import { enumQuery, maxResults, SHAPES, timeQuery } from './validate.ts';

/**
 * The List* conventions Bedrock shares: creation-time window, sortBy CreationTime, sortOrder
 * (Descending by default), maxResults and an opaque nextToken.
 */
export function listPage<T>(
  items: T[],
  query: URLSearchParams,
  options: { created: (item: T) => string; afterParam?: string; beforeParam?: string },
): { page: T[]; nextToken?: string } {
  const after = timeQuery(query, options.afterParam ?? 'creationTimeAfter');
  const before = timeQuery(query, options.beforeParam ?? 'creationTimeBefore');
  enumQuery(query, 'sortBy', ['CreationTime'] as const);
  const order = enumQuery(query, 'sortOrder', ['Ascending', 'Descending'] as const) ?? 'Descending';
  const limit = maxResults(query);
  const filtered = items
    .filter((item) => {
      const t = Date.parse(options.created(item));
      return (after === undefined || t > after) && (before === undefined || t < before);
    })
    .sort((a, b) => {
      const diff = Date.parse(options.created(a)) - Date.parse(options.created(b));
      return order === 'Ascending' ? diff : -diff;
    });
  const token = query.get('nextToken');
  let start = 0;
  if (token !== null) {
    if (token.length < SHAPES.nextToken.min || token.length > SHAPES.nextToken.max)
      throw validation('Invalid nextToken');
    start = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(start) || start < 0) throw validation('Invalid nextToken');
  }
  const page = filtered.slice(start, start + limit);
  const next =
    start + limit < filtered.length
      ? Buffer.from(`offset:${start + limit}`).toString('base64url')
      : undefined;
  return next ? { page, nextToken: next } : { page };
}
