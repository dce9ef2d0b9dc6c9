import { readSmallBody, sendEmpty, sendXml } from '../http-io.ts';
import { malformedXml } from '../s3-error.ts';
import { parseXml, renderXml, type XmlNode } from '../xml.ts';
import type { S3Context } from './context.ts';

/** DeleteObject: 204 whether or not the key existed (S3 does not reveal it). */
export async function deleteObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  ctx.disk.bucket(bucket);
  await ctx.disk.deleteObject(bucket, key);
  sendEmpty(ctx.res, ctx.s3req, 204);
}

/** DeleteObjects (POST /bucket?delete): up to 1000 keys; Quiet mode reports only errors. */
export async function deleteObjects(ctx: S3Context, bucket: string): Promise<void> {
  ctx.disk.bucket(bucket);
  const doc = parseXml(await readSmallBody(ctx.req), 'Delete', ['Object']);
  const objects = (doc.Object ?? []) as { Key?: unknown }[];
  if (!Array.isArray(objects) || objects.length === 0 || objects.length > 1000) throw malformedXml();
  const keys = objects.map((o) => {
    if (typeof o !== 'object' || o === null || typeof o.Key !== 'string' || o.Key === '')
      throw malformedXml();
    return o.Key;
  });
  const quiet = String(doc.Quiet ?? 'false').trim() === 'true';
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const key of keys) {
    try {
      await ctx.disk.deleteObject(bucket, key);
      deleted.push({ Key: key });
    } catch (error) {
      errors.push({ Key: key, Code: 'InternalError', Message: (error as Error).message });
    }
  }
  const xml = renderXml('DeleteResult', { Deleted: quiet ? undefined : deleted, Error: errors });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}
