/**
 * Model invocation log records as Bedrock writes them for a Converse call (the record format of
 * src/dataset/invocation-logs.ts), for tests that read logs from a folder or the local S3.
 */
export function converseLog(
  i: number,
  /** requestMetadata: a string `s` is `{use: s}`; undefined leaves the record without metadata. */
  metadata: string | Record<string, string> | undefined,
  modelId = 'us.amazon.nova-pro-v1:0',
  text: { question?: string; answer?: string; system?: string } = {},
) {
  return {
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: '2026-12-04T10:00:00Z',
    accountId: '123456789012',
    identity: { arn: 'arn:aws:sts::123456789012:assumed-role/app/session' },
    region: 'us-east-1',
    requestId: `req-${i}`,
    operation: 'Converse',
    modelId,
    input: {
      inputContentType: 'application/json',
      inputBodyJson: {
        ...(text.system ? { system: [{ text: text.system }] } : {}),
        messages: [
          { role: 'user', content: [{ text: text.question ?? `How do I reset card PIN number ${i}?` }] },
        ],
      },
      inputTokenCount: 9,
    },
    output: {
      outputContentType: 'application/json',
      outputBodyJson: {
        output: {
          message: {
            role: 'assistant',
            content: [{ text: text.answer ?? `Open the app, choose card ${i}, then Reset PIN.` }],
          },
        },
        stopReason: 'end_turn',
      },
      outputTokenCount: 11,
    },
    ...(metadata === undefined
      ? {}
      : { requestMetadata: typeof metadata === 'string' ? { use: metadata } : metadata }),
  };
}

/** JSON Lines of records (a string is written as it is: a torn line). */
export const jsonl = (records: unknown[]) =>
  `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
