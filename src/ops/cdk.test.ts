import { describe, expect, it } from 'vitest';
import { cdkArgs } from './cdk.ts';

describe('cdkArgs', () => {
  const base = { stack: 'Tunekit-bank', outDir: '/tmp/out' };
  it('deploys with approval for security changes unless --yes, and collects outputs', () => {
    const args = cdkArgs({
      ...base,
      action: 'deploy',
      configPath: 'cfg/tunekit.config.json',
      outputsFile: '/tmp/o.json',
    });
    expect(args.slice(0, 2)).toEqual(['deploy', 'Tunekit-bank']);
    expect(args.join(' ')).toContain('--require-approval broadening');
    expect(args.join(' ')).toMatch(/--context config=\/.*cfg\/tunekit\.config\.json/); // absolute: cdk runs elsewhere
    expect(args.join(' ')).toContain('--outputs-file /tmp/o.json');
    expect(cdkArgs({ ...base, action: 'deploy', yes: true }).join(' ')).toContain('--require-approval never');
  });
  it('destroys without --force unless --yes (cdk asks), and synth is quiet', () => {
    expect(cdkArgs({ ...base, action: 'destroy' })).not.toContain('--force');
    expect(cdkArgs({ ...base, action: 'destroy', yes: true })).toContain('--force');
    expect(cdkArgs({ ...base, action: 'synth' })).toContain('--quiet');
  });
});
