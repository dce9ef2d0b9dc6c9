import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command; on failure the assertion message carries its output. */
async function sh(cmd: string, args: string[], cwd: string, timeout = 240_000) {
  try {
    return await run(cmd, args, {
      cwd,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', CDK_VALIDATION: 'false' },
    });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
}

// What a user gets from `npm install tunekit`: the packed tarball installed into a fresh project, used as a
// CLI, as a library, from TypeScript and as a CDK construct in the user's own app.
describe('the npm package', () => {
  it('installs from its tarball and works as CLI, library, typed API and CDK construct', async () => {
    const packDir = tempDir();
    const packed = await sh(NPM, ['pack', '--json', '--pack-destination', packDir], REPO_ROOT);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [
      { filename: string; files: { path: string }[] },
    ];
    const paths = info.files.map((f) => f.path);
    // Ships what a user needs, no tests or benchmarks.
    expect(paths).toEqual(expect.arrayContaining(['bin/tunekit.mjs', 'dist/index.js', 'dist/cdk.js']));
    expect(paths).toContain('dist/types/lib/cdk.d.ts');
    expect(paths).toContain('schema/tunekit.config.schema.json');
    expect(paths).toContain('samples/banking/train.jsonl');
    expect(paths).toContain('src/infra/lambda/janitor.ts');
    expect(paths.filter((p) => /\.test\.ts$|^test\/|^bench\/|fixture/.test(p))).toEqual([]);

    const project = tempDir();
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'my-app', version: '1.0.0', private: true, type: 'module' }),
    );
    await sh(
      NPM,
      [
        'install',
        join(packDir, info.filename),
        'typescript@5',
        '@types/node@20',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      project,
      400_000,
    );

    // (a) the CLI from the installed copy runs the demo pipeline end to end.
    const demo = await sh(NPM, ['exec', '--', 'tunekit', 'demo'], project);
    expect(demo.stdout).toMatch(/Outcome: (promoted|registered|rejected)\s+version v1\.0/);
    expect(demo.stdout).toMatch(/Report \(HTML\): \S+/);

    // (b) the user's own CDK app synthesizes the construct imported from the package.
    writeFileSync(
      join(project, 'app.mjs'),
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { FineTunePipeline } from 'tunekit/cdk';",
        "const app = new App({ outdir: 'cdk.out' });",
        "const stack = new Stack(app, 'MyFineTune', { env: { account: '123456789012', region: 'us-east-1' } });",
        "new FineTunePipeline(stack, 'FineTune', { project: 'travel-assistant' });",
        'app.synth();',
      ].join('\n'),
    );
    await sh(process.execPath, ['app.mjs'], project);
    const template = JSON.parse(readFileSync(join(project, 'cdk.out/MyFineTune.template.json'), 'utf8'));
    const machines = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines.map((m) => m.Properties.StateMachineName)).toContain('travel-assistant-pipeline');
    // The Lambda tasks were bundled from the shipped sources.
    expect(readdirSync(join(project, 'cdk.out')).some((f) => f.startsWith('asset.'))).toBe(true);

    // (c) the library validates a dataset (one good record, one broken line).
    const good = readFileSync(
      join(project, 'node_modules/tunekit/samples/tutorial/train.jsonl'),
      'utf8',
    ).split('\n')[0];
    writeFileSync(join(project, 'data.jsonl'), `${good}\n{"messages": [}\n`);
    writeFileSync(
      join(project, 'validate.mjs'),
      [
        "import { validateDataset } from 'tunekit';",
        "const report = await validateDataset({ path: 'data.jsonl' }, { model: 'amazon.nova-micro-v1:0:128k' });",
        'console.log(JSON.stringify(report));',
      ].join('\n'),
    );
    const validated = JSON.parse((await sh(process.execPath, ['validate.mjs'], project)).stdout);
    expect(validated).toMatchObject({ valid: false, records: 2 });
    expect(validated.errors.map((e: { line?: number }) => e.line)).toContain(2); // the broken line, by number

    // (d) a TypeScript consumer typechecks against the shipped declarations, and a misuse is caught.
    mkdirSync(join(project, 'ts'));
    writeFileSync(
      join(project, 'ts/tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    );
    const consumer = [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { FineTunePipeline, type FineTunePipelineProps } from 'tunekit/cdk';",
      "import { type ValidationReport, validateDataset } from 'tunekit';",
      "const props: FineTunePipelineProps = { project: 'travel-assistant' };",
      "new FineTunePipeline(new Stack(new App(), 'S'), 'P', props);",
      "export const report: Promise<ValidationReport> = validateDataset({ path: 'x.jsonl' }, { model: 'm' });",
    ];
    writeFileSync(join(project, 'ts/ok.ts'), consumer.join('\n'));
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    await sh(process.execPath, [tsc, '-p', 'ts'], project);
    writeFileSync(
      join(project, 'ts/bad.ts'),
      "import { validateDataset } from 'tunekit';\nvalidateDataset({ path: 1 }, {});\n",
    );
    const bad = await sh(process.execPath, [tsc, '-p', 'ts'], project).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(bad).toMatch(/bad\.ts.*error TS2322/s);
  }, 600_000);
});
