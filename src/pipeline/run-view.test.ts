import { describe, expect, it } from 'vitest';
import { causeMessage } from './run-view.ts';

describe('causeMessage', () => {
  it("takes a Lambda error's errorMessage and a Bedrock job's failureMessage out of their JSON", () => {
    expect(causeMessage('{"errorType":"TunekitError","errorMessage":"bad data"}')).toBe('bad data');
    expect(causeMessage('{"status":"Failed","failureMessage":"quota exceeded"}')).toBe('quota exceeded');
  });

  it('keeps any other cause as it is', () => {
    expect(causeMessage('States.Timeout after 300 s')).toBe('States.Timeout after 300 s');
    expect(causeMessage('{"other":1}')).toBe('{"other":1}');
    expect(causeMessage('null')).toBe('null');
    expect(causeMessage('')).toBe('');
  });
});
