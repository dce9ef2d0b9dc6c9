import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { TunekitError } from '../errors.ts';

/** The training file's bytes; a missing object is the user's (deleted after upload?), not an internal error. */
export async function readTrainingObject(
  clients: AwsClients,
  bucket: string,
  key: string,
): Promise<{ uri: string; buffer: Buffer }> {
  const uri = `s3://${bucket}/${key}`;
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { uri, buffer: Buffer.from(await object.Body!.transformToByteArray()) };
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NotFound') {
      throw new TunekitError(
        'PIPELINE.DATA_MISSING',
        `${uri} does not exist (deleted after it was uploaded?)`,
        {
          hint: 'upload the file again to start a new run',
        },
      );
    }
    throw error;
  }
}
