/**
 * Model invocation log records as Bedrock writes them for a Converse call (the record format of
 * src/dataset/invocation-logs.ts), for tests that read logs from a folder or the local S3.
 */
export function converseLog(
  i: number,
  use: string,
  modelId = 'us.amazon.nova-pro-v1:0',
  text: { question?: string; answer?: string } = {},
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
    requestMetadata: { use },
  };
}

/** JSON Lines of records (a string is written as it is: a torn line). */
export const jsonl = (records: unknown[]) =>
  `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
