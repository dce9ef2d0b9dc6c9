import { describe, expect, it } from 'vitest';
import { compareVersions, nextVersion, parseVersion } from './version-number.ts';

const nova = 'amazon.nova-micro-v1:0:128k';

describe('version numbering', () => {
  it('starts at v1.0', () => {
    expect(nextVersion({ existing: [], baseModelId: nova })).toBe('v1.0');
  });

  it('a retrain on the same base model and data format is a minor bump from the highest version', () => {
    const existing = [
      { version: 'v1.0', baseModelId: nova, dataFormat: 'bedrock-conversation-2024' },
      { version: 'v1.10', baseModelId: nova, dataFormat: 'bedrock-conversation-2024' },
      { version: 'v1.9', baseModelId: nova, dataFormat: 'bedrock-conversation-2024' },
    ];
    expect(nextVersion({ existing, baseModelId: nova, dataFormat: 'bedrock-conversation-2024' })).toBe(
      'v1.11',
    );
  });

  it('a new base model or data format starts a new major', () => {
    const existing = [{ version: 'v1.3', baseModelId: nova, dataFormat: 'bedrock-conversation-2024' }];
    expect(nextVersion({ existing, baseModelId: 'amazon.nova-lite-v1:0:300k' })).toBe('v2.0');
    expect(nextVersion({ existing, baseModelId: nova, dataFormat: 'prompt-completion' })).toBe('v2.0');
  });

  it('honours an explicit bump', () => {
    const existing = [{ version: 'v2.4', baseModelId: nova }];
    expect(nextVersion({ existing, baseModelId: nova, bump: 'major' })).toBe('v3.0');
    expect(nextVersion({ existing, baseModelId: 'other', bump: 'minor' })).toBe('v2.5');
  });

  it('compares numerically, not as text', () => {
    expect(compareVersions('v1.10', 'v1.9')).toBeGreaterThan(0);
    expect(compareVersions('v2.0', 'v10.0')).toBeLessThan(0);
    expect(() => parseVersion('1.2')).toThrow(/not a version/);
  });
});
