export { readEventsSince } from './event-journal.ts';
export type { ObjectCreatedEvent, ObjectStore } from './object-store.port.ts';
export { createS3Service, type S3Service, type S3ServiceOptions } from './s3-service.ts';
