import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { createS3Service, type S3Service } from '../../src/local/s3/index.ts';

/** A local S3 on an ephemeral port, as the stack composition would mount it. */
export interface RunningS3 {
  service: S3Service;
  server: Server;
  endpoint: string;
  client: S3Client;
  stop(): Promise<void>;
}

export async function startS3(dataDir: string): Promise<RunningS3> {
  const service = await createS3Service({ dataDir });
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    service,
    server,
    endpoint,
    client,
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
    },
  };
}
