import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TunekitError, UsageError } from '../errors.ts';
import { SAMPLES } from '../samples.ts';

export interface InitResult {
  dir: string;
  project: string;
  written: string[];
}

export const INIT_SAMPLES = ['banking'] as const;
export type InitSample = (typeof INIT_SAMPLES)[number];

/** `--method`: what the scaffold prepares for. Reinforcement adds a grader, its test and RFT sample data. */
export const INIT_METHODS = ['fine-tuning', 'reinforcement'] as const;
export type InitMethod = (typeof INIT_METHODS)[number];

/** Reinforcement fine-tuning is offered for Nova 2 Lite (bedrock-facts §11.6). */
const RFT_BASE_MODEL = 'amazon.nova-2-lite-v1:0:256k';

const GRADERS_README = `# Graders

A grader scores your model's answers during reinforcement fine-tuning. \`grader.mjs\` exports
\`handler(event)\` with the event and response of Amazon Bedrock's Lambda grader: it receives
\`[{ id, messages, metadata: { reference_answer } }]\` (the last message is the model's answer) and returns
\`[{ id, aggregate_reward_score, metrics_list }]\`.

  node --test graders/     # run its test

On the local stack a job's \`lambdaArn\` \`arn:aws:lambda:<region>:<account>:function:grader\` runs
graders/grader.mjs in-process (the function name is the file name). See docs/methods.md.
`;

/** The published JSON Schema of this tunekit (in the repo, or in node_modules/tunekit when installed). */
const SCHEMA_FILE = fileURLToPath(new URL('../../schema/tunekit.config.schema.json', import.meta.url));

/** A project name the config accepts, from a directory name: "My Travel Bot" -> "my-travel-bot". */
export function projectNameFor(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return name || 'my-project';
}

/** `$schema` as a path relative to the project, so editors find the schema that exists on this machine. */
function schemaRef(root: string): string {
  const path = relative(root, SCHEMA_FILE).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

const DATA_README = `# Your training data

Put your training file here as JSON Lines (one record per line), for example \`train.jsonl\`. For the
default base model (Amazon Nova) each line is a bedrock-conversation-2024 record:

{"schemaVersion":"bedrock-conversation-2024","system":[{"text":"You are a helpful travel assistant."}],"messages":[{"role":"user","content":[{"text":"Can I change my flight?"}]},{"role":"assistant","content":[{"text":"Yes: open My Trips, choose the flight and select Change."}]}]}

Then:

  tunekit data validate data/train.jsonl   # every problem, with line, JSON path and fix
  tunekit data estimate data/train.jsonl   # what training and inference would cost on AWS
  tunekit demo --data data/train.jsonl     # train, evaluate and register it on the local stack

Without an evaluation suite (evaluation.suite in tunekit.config.json), tunekit evaluates on a held-out
slice of your own data plus built-in out-of-domain and safety cases. \`tunekit init --sample banking\`
shows a complete project with a suite.
`;

/**
 * Writes a project into `dir`, named after the directory: a config and a data/ folder for the user's
 * own data; with `sample`, the sample's training data and evaluation suite too.
 * Refuses (and writes nothing) when any file exists, unless `force` is set.
 */
export function initProject(
  dir: string,
  options: { force: boolean; sample?: string; method?: string },
): InitResult {
  const root = resolve(dir);
  const sample = options.sample;
  if (sample !== undefined && !(INIT_SAMPLES as readonly string[]).includes(sample))
    throw new UsageError(`--sample ${sample}: unknown sample`, `samples: ${INIT_SAMPLES.join(', ')}`);
  const method = options.method ?? 'fine-tuning';
  if (!(INIT_METHODS as readonly string[]).includes(method))
    throw new UsageError(`--method ${method}: unknown method`, `methods: ${INIT_METHODS.join(', ')}`);
  const reinforcement = method === 'reinforcement';
  if (reinforcement && sample !== undefined)
    throw new UsageError(
      `--method reinforcement and --sample ${sample} both write data/train.jsonl`,
      'use --method reinforcement alone: it writes its own sample data (prompts with reference answers) and a grader',
    );
  const project = projectNameFor(root);
  const config = {
    $schema: schemaRef(root),
    project,
    baseModel: reinforcement ? RFT_BASE_MODEL : 'amazon.nova-micro-v1:0:128k',
    bucket: 'tunekit-local',
    ...(sample ? { evaluation: { suite: 'eval/suite.json' } } : {}),
    // The pipeline and `tunekit train` then run reinforcement fine-tuning with the scaffolded grader.
    ...(reinforcement
      ? { customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.mjs' } } }
      : {}),
    gate: { minInDomainImprovement: 0.05, maxOutOfDomainRegression: 0.1, maxSafetyRegression: 0 },
    notify: [{ type: 'console' }],
  };
  const plan: { path: string; write: (path: string) => void }[] = [
    { path: 'tunekit.config.json', write: (p) => writeFileSync(p, `${JSON.stringify(config, null, 2)}\n`) },
    ...(reinforcement
      ? [
          { path: 'data/train.jsonl', write: (p: string) => copyFileSync(SAMPLES.reinforcementTrain, p) },
          { path: 'graders/grader.mjs', write: (p: string) => copyFileSync(SAMPLES.reinforcementGrader, p) },
          {
            path: 'graders/grader.test.mjs',
            write: (p: string) => copyFileSync(SAMPLES.reinforcementGraderTest, p),
          },
          { path: 'graders/README.md', write: (p: string) => writeFileSync(p, GRADERS_README) },
        ]
      : sample === 'banking'
        ? [
            { path: 'data/train.jsonl', write: (p: string) => copyFileSync(SAMPLES.bankingTrain, p) },
            { path: 'eval/suite.json', write: (p: string) => copyFileSync(SAMPLES.bankingSuite, p) },
          ]
        : [{ path: 'data/README.md', write: (p: string) => writeFileSync(p, DATA_README) }]),
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
  return { dir: root, project, written };
}
