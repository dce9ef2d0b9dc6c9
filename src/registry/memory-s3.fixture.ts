import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * An in-memory S3 for unit tests of the registry's concurrency logic: GetObject, PutObject with
 * If-Match / If-None-Match (412 like S3), ListObjectsV2, DeleteObject. `beforePut` lets a test inject
 * faults (a crash, a lost acknowledgement). The end-to-end suites run the same code against moto.
 */
export interface MemoryS3 {
  client: S3Client;
  objects: Map<string, { body: string; etag: string }>;
  puts: number;
  beforePut?: (key: string, body: string) => 'fail' | 'ack-lost' | undefined;
}

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

export function memoryS3(): MemoryS3 {
  const state: MemoryS3 = { client: undefined as unknown as S3Client, objects: new Map(), puts: 0 };
  const send = async (command: unknown): Promise<unknown> => {
    await Promise.resolve(); // every call yields, so concurrent callers interleave like real requests
    if (command instanceof GetObjectCommand) {
      const o = state.objects.get(command.input.Key!);
      if (!o) throw awsError('NoSuchKey', 404);
      return { ETag: o.etag, Body: { transformToString: async () => o.body } };
    }
    if (command instanceof PutObjectCommand) {
      const key = command.input.Key!;
      const body = String(command.input.Body);
      const fault = state.beforePut?.(key, body);
      if (fault === 'fail') throw awsError('InternalError', 500);
      const current = state.objects.get(key);
      if (command.input.IfNoneMatch === '*' && current) throw awsError('PreconditionFailed', 412);
      if (command.input.IfMatch !== undefined && current?.etag !== command.input.IfMatch) {
        throw awsError(current ? 'PreconditionFailed' : 'NoSuchKey', current ? 412 : 404);
      }
      state.puts++;
      const etag = `"${createHash('md5').update(body).update(String(state.puts)).digest('hex')}"`;
      state.objects.set(key, { body, etag });
      // The write landed but the caller sees a conflict, as when an SDK retry follows a lost response.
      if (fault === 'ack-lost') throw awsError('PreconditionFailed', 412);
      return { ETag: etag };
    }
    if (command instanceof ListObjectsV2Command) {
      const keys = [...state.objects.keys()].filter((k) => k.startsWith(command.input.Prefix ?? '')).sort();
      return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
    }
    if (command instanceof DeleteObjectCommand) {
      state.objects.delete(command.input.Key!);
      return {};
    }
    throw new Error(`memoryS3: unsupported command ${(command as object).constructor.name}`);
  };
  state.client = { send } as unknown as S3Client;
  return state;
}
