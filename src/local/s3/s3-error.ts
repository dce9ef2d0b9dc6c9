/**
 * An S3 protocol error: rendered as S3's XML error document with the status code S3 uses, so SDKs map it
 * to the same `error.name` they would get from AWS (e.g. `NoSuchKey`, `PreconditionFailed`).
 */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra elements rendered inside <Error> (e.g. BucketName, Key, UploadId). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string) =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );
export const preconditionFailed = (condition: string) =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
export const malformedXml = () =>
  new S3Error(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error(
    'InvalidArgument',
    400,
    message,
    name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
  );
export const invalidRequest = (message: string) => new S3Error('InvalidRequest', 400, message);
export const notImplemented = (what: string) =>
  new S3Error('NotImplemented', 501, `The local S3 does not implement ${what}.`);
