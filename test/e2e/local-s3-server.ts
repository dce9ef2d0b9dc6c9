/**
 * Runs the local S3 alone on 127.0.0.1 (for the slow tests' child processes and manual poking):
 *   npx tsx test/e2e/local-s3-server.ts <dataDir> [port]
 * Prints "listening <port>" once ready; SIGTERM/SIGINT close it cleanly (the crash test kill -9s it instead).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Service } from '../../src/local/s3/index.ts';

const [dataDir, port = '0'] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: local-s3-server.ts <dataDir> [port]');
const service = await createS3Service({ dataDir });
const server = createServer((req, res) => void service.handle(req, res));
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
const shutdown = () => server.close(() => void service.close().then(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
