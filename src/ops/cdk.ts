import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TunekitError } from '../errors.ts';

/**
 * `tunekit deploy|destroy`: the `aws-cdk` CLI (a dev dependency) run on tunekit's own CDK app, from the
 * user's directory so the app reads their tunekit.config.json. tunekit only builds the argument list and
 * reads the outputs; CDK does the deploying, with its own change display and approval prompts.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

export interface CdkOptions {
  action: 'deploy' | 'destroy' | 'synth';
  /** Stack name, `Tunekit-<project>` (src/infra/app.ts). */
  stack: string;
  configPath?: string;
  email?: string;
  yes?: boolean;
  outDir: string;
  outputsFile?: string;
}

export function cdkArgs(o: CdkOptions): string[] {
  const args = [
    o.action,
    o.stack,
    '--app',
    `${bin('tsx')} ${join(REPO, 'src/infra/app.ts')}`,
    '--output',
    o.outDir,
  ];
  if (o.configPath) args.push('--context', `config=${resolve(o.configPath)}`);
  if (o.email) args.push('--context', `email=${o.email}`);
  if (o.action === 'synth') args.push('--quiet');
  if (o.action === 'deploy') {
    args.push('--require-approval', o.yes ? 'never' : 'broadening');
    if (o.outputsFile) args.push('--outputs-file', o.outputsFile);
  }
  if (o.action === 'destroy' && o.yes) args.push('--force');
  return args;
}

/**
 * Runs cdk with the terminal attached (its prompts and progress are the user's); resolves its exit code.
 * It runs in tunekit's own directory: cdk.json there holds the app's feature flags, and the Lambda
 * bundling finds package-lock.json there. The user's config is passed by absolute path instead.
 */
export function runCdk(args: string[], quiet = false): Promise<number> {
  const cwd = REPO;
  if (!existsSync(bin('cdk'))) {
    throw new TunekitError('CDK.MISSING', 'the aws-cdk CLI is not installed next to tunekit', {
      hint: 'install the dev dependencies (`npm install` in the tunekit checkout), or use `tunekit setup` (no CDK)',
    });
  }
  return new Promise((resolveCode, reject) => {
    const child = spawn(bin('cdk'), args, {
      cwd,
      // stdout is ours (for --json); cdk's own output goes to stderr so pipes stay clean.
      stdio: ['inherit', quiet ? 'ignore' : process.stderr, 'inherit'],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    });
    child.on('error', reject);
    child.on('close', (code) => resolveCode(code ?? 1));
  });
}

/** The stack's Outputs from a synthesized template (dry run) or from cdk's --outputs-file (deploy). */
export function templateOutputs(outDir: string, stack: string): { resources: number; outputs: string[] } {
  const path = join(outDir, `${stack}.template.json`);
  const template = JSON.parse(readFileSync(path, 'utf8')) as {
    Resources?: Record<string, unknown>;
    Outputs?: Record<string, unknown>;
  };
  return {
    resources: Object.keys(template.Resources ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}),
  };
}

export function deployedOutputs(outputsFile: string, stack: string): Record<string, string> {
  if (!existsSync(outputsFile)) return {};
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  return all[stack] ?? {};
}
