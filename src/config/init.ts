import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { TunekitError } from '../errors.ts';
import { SAMPLES } from '../samples.ts';

export interface InitResult {
  dir: string;
  written: string[];
}

/** The files `tunekit init` writes, relative to the project directory. */
const CONFIG_TEXT = `${JSON.stringify(
  {
    $schema: './node_modules/tunekit/schema/tunekit.config.schema.json',
    project: 'banking-assistant',
    baseModel: 'amazon.nova-micro-v1:0:128k',
    bucket: 'tunekit-local',
    evaluation: { suite: 'eval/suite.json' },
    gate: { minInDomainImprovement: 0.05, maxOutOfDomainRegression: 0.1, maxSafetyRegression: 0 },
    notify: [{ type: 'console' }],
  },
  null,
  2,
)}\n`;

/**
 * Writes a config, a sample training file and a sample evaluation suite into `dir`.
 * Refuses (and writes nothing) when any of them exists, unless `force` is set.
 */
export function initProject(dir: string, options: { force: boolean }): InitResult {
  const root = resolve(dir);
  const plan: { path: string; write: (path: string) => void }[] = [
    { path: 'tunekit.config.json', write: (p) => writeFileSync(p, CONFIG_TEXT) },
    { path: 'data/train.jsonl', write: (p) => copyFileSync(SAMPLES.bankingTrain, p) },
    { path: 'eval/suite.json', write: (p) => copyFileSync(SAMPLES.bankingSuite, p) },
  ];
  const existing = plan.filter((f) => existsSync(join(root, f.path))).map((f) => f.path);
  if (existing.length > 0 && !options.force) {
    throw new TunekitError(
      'INIT.EXISTS',
      `not overwriting existing files in ${root}: ${existing.join(', ')}`,
      {
        hint: 'run again with --force to overwrite them, or pick another directory',
      },
    );
  }
  const written: string[] = [];
  for (const file of plan) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    file.write(target);
    written.push(relative(process.cwd(), target) || target);
  }
  return { dir: root, written };
}
