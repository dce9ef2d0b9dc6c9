import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectCreatedEvent, ObjectStore } from './s3/object-store.port.ts';

/** The S3 service's export shape (src/local/s3, `createS3Service`). */
export interface S3ServiceLike {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  store: ObjectStore;
  onObjectCreated(listener: (event: ObjectCreatedEvent) => void): () => void;
  close(): Promise<void>;
}
