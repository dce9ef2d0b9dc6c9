import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { productionDeploymentName } from '../../bedrock/production-deployment.ts';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { TunekitError, UsageError } from '../../errors.ts';
import { productionHook } from '../../ops/production-hook.ts';
import { compareRegistryVersions } from '../../pipeline/compare-versions.ts';
import {
  diffVersions,
  listVersions,
  type ProductionHook,
  promote,
  type RegistryContext,
  readHistory,
  readIndex,
  readRef,
  registerVersion,
  resolveActor,
  rollback,
  showVersion,
  type VersionInput,
} from '../../registry/index.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput as out, style } from '../output.ts';
import { renderComparison, renderDiff, renderHistory, renderList, renderVersion } from './registry-render.ts';

interface Common {
  bucket?: string;
  prefix?: string;
  name?: string;
  config?: string;
  json?: boolean;
}

/** Options every registry command takes; defaults come from tunekit.config.json. */
function withCommon(command: Command, json = true): Command {
  command
    .option('--bucket <name>', 'S3 bucket holding the registry (default: "bucket" in config)')
    .option('--prefix <prefix>', 'key prefix of the registry (default: registry.prefix, "models/")')
    .option('--name <model>', 'model name (default: "project" in config)')
    .option('-c, --config <file>', 'config file (default: ./tunekit.config.json|yaml)');
  if (json) command.option('--json', 'print the result as JSON');
  return command;
}

function contextFrom(options: Common): RegistryContext {
  return contextAndConfig(options).ctx;
}

function contextAndConfig(options: Common): { ctx: RegistryContext; config: Config } {
  const { config, dir } = loadConfig({ explicitPath: options.config });
  const ctx = {
    s3: cliAwsClients(config, dir).s3,
    bucket: options.bucket ?? config.bucket,
    prefix: options.prefix ?? config.registry.prefix,
    name: options.name ?? config.project,
    actor: resolveActor(),
  };
  return { ctx, config };
}

interface DeploymentOptions {
  deployment?: boolean;
  timeout?: number;
  interval: number;
}

/**
 * With `deployment.production.enabled`, promote and rollback first point the production deployment at
 * the version (and wait until Bedrock serves it); the aliases move only after that. Progress on stderr.
 */
function productionHookFor(config: Config, o: DeploymentOptions): ProductionHook | undefined {
  if (o.deployment === false) return undefined;
  let last = '';
  return productionHook(cliAwsClients(config, process.cwd()).bedrock, config, {
    pollMs: o.interval,
    ...(o.timeout !== undefined ? { timeoutMinutes: o.timeout } : {}),
    onStep: (s) => {
      const line = `${s.name}: ${s.detail}${s.message ? ` - ${s.message}` : ''}`;
      if (line !== last) out.error(style.dim(line));
      last = line;
    },
  });
}

function withDeploymentOptions(command: Command): Command {
  return command
    .option(
      '--no-deployment',
      'move the aliases only, even when deployment.production.enabled (the deployment keeps serving the old version)',
    )
    .option(
      '--interval <ms>',
      'how often to check the production deployment',
      (v) => {
        const n = Number.parseInt(v, 10);
        if (!Number.isInteger(n) || n < 10)
          throw new UsageError(`--interval must be at least 10 (ms), got "${v}"`);
        return n;
      },
      15_000,
    )
    .option(
      '--timeout <minutes>',
      'how long to wait for the production deployment (default: deployment.readyTimeoutMinutes)',
      (v) => {
        const n = Number(v);
        if (!(n > 0)) throw new UsageError(`--timeout must be a positive number of minutes, got "${v}"`);
        return n;
      },
    );
}

const EXAMPLES = `
Examples:
  $ tunekit registry list
  $ tunekit registry show production --json
  $ tunekit registry diff v1.1 v1.2
  $ tunekit registry compare v1.1 v1.2
  $ tunekit registry promote v1.2 --reason "beats v1.1 on in-domain by 6 points"
  $ tunekit registry rollback --reason "complaints about tone"
  $ tunekit registry history --json

With "deployment": {"production": {"enabled": true}} in the config, promote and rollback first point the
production deployment (<project>-production: on-demand, or Provisioned Throughput billed hourly) at the
version and wait until Bedrock serves it; only then do the aliases move. Applications call that one ARN.

Uses the standard AWS environment (AWS_REGION, credentials, AWS_ENDPOINT_URL_S3 for the local stack).
Set TUNEKIT_ACTOR to record who acted (default: the OS user).`;

export function registerRegistry(program: Command): void {
  const registry = program
    .command('registry')
    .description(
      'Versioned model registry on S3: versions, aliases (production, previous), promote/rollback, history',
    )
    .addHelpText('after', EXAMPLES);

  withCommon(
    registry.command('list').description('List registered versions with aliases, scores and gate decisions'),
  )
    .option('--all', 'include pending versions (reserved but not completely written)')
    .addHelpText('after', '\nExamples:\n  $ tunekit registry list\n  $ tunekit registry list --all --json')
    .action(async (o: Common & { all?: boolean }) => {
      const listing = await listVersions(contextFrom(o), { all: Boolean(o.all) });
      o.json ? out.json(listing) : out.line(renderList(listing));
    });

  withCommon(
    registry
      .command('show')
      .description('Show one version: lineage, hyperparameters, data manifest, scores, gate'),
  )
    .argument('<ref>', 'a version (v1.2) or an alias (production, previous)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry show v1.2\n  $ tunekit registry show production --json',
    )
    .action(async (ref: string, o: Common) => {
      const { aliases, ...shown } = await showVersion(contextFrom(o), ref);
      o.json ? out.json({ ...shown, aliases }) : out.line(renderVersion(shown, aliases));
    });

  withCommon(
    registry
      .command('diff')
      .description('Compare two versions: lineage, hyperparameters, data manifest, scores'),
  )
    .argument('<a>', 'version or alias')
    .argument('<b>', 'version or alias')
    .option('--all', 'also list fields that are the same')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry diff previous production\n  $ tunekit registry diff v1.0 v2.0 --json',
    )
    .action(async (a: string, b: string, o: Common & { all?: boolean }) => {
      const ctx = contextFrom(o);
      const { index } = await readIndex(ctx);
      const [ra, rb] = await Promise.all([readRef(ctx, index, a), readRef(ctx, index, b)]);
      const diff = diffVersions(ra, rb, { includeSame: Boolean(o.all) });
      o.json ? out.json(diff) : out.line(renderDiff(diff));
    });

  withCommon(
    registry
      .command('compare')
      .description(
        'Compare two versions on their evaluations: suite check, scores side by side, every case (--json)',
      ),
  )
    .argument('<a>', 'version or alias')
    .argument('<b>', 'version or alias')
    .option(
      '--cases <n>',
      'how many changed cases to list (text output)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--cases must be a whole number, got "${v}"`);
        return n;
      },
      10,
    )
    .addHelpText(
      'after',
      "\nEach version is compared by the candidate answers of the evaluation its run wrote (the dashboard's\ncompare page shows the same). Different suites are said first.\n\nExamples:\n  $ tunekit registry compare production v1.3\n  $ tunekit registry compare v1.0 v1.1 --json",
    )
    .action(async (a: string, b: string, o: Common & { cases: number }) => {
      const ctx = contextFrom(o);
      const c = await compareRegistryVersions(ctx, ctx.s3, a, b);
      if (o.json) {
        const { versions: _v, ...comparison } = c;
        return out.json(comparison);
      }
      out.line(renderComparison(c, o.cases));
    });

  withDeploymentOptions(
    withCommon(
      registry
        .command('promote')
        .description(
          'Make a version production (the old production becomes previous); moves the production deployment first when configured',
        ),
    ),
  )
    .argument('<version>', 'version (v1.2) to promote')
    .option('--reason <text>', 'why, recorded in the history')
    .option('--force', 'promote even though its evaluation gate failed (recorded as forced)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry promote v1.2 --reason "passed gate, +6 in-domain"',
    )
    .action(async (version: string, o: Common & DeploymentOptions & { reason?: string; force?: boolean }) => {
      const { ctx, config } = contextAndConfig(o);
      const onProductionChange = productionHookFor(config, o);
      const result = await promote(ctx, version, {
        reason: o.reason,
        force: Boolean(o.force),
        ...(onProductionChange ? { onProductionChange } : {}),
      });
      if (o.json) return out.json(result);
      out.line(
        result.changed
          ? `${style.green('promoted')} ${result.production} to production${result.previous ? ` (previous: ${result.previous})` : ''}${deployedNote(config, result.event?.deploymentArn)}`
          : `${result.production} is already production; nothing changed`,
      );
    });

  withDeploymentOptions(
    withCommon(
      registry
        .command('rollback')
        .description(
          'Put the previous production version back (or --to a version); moves the production deployment first when configured',
        ),
    ),
  )
    .option('--to <version>', 'roll back to this version instead of the previous production')
    .option('--reason <text>', 'why, recorded in the history')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry rollback --reason "regression in answers about fees"\n  $ tunekit registry rollback --to v1.0',
    )
    .action(async (o: Common & DeploymentOptions & { to?: string; reason?: string }) => {
      const { ctx, config } = contextAndConfig(o);
      const onProductionChange = productionHookFor(config, o);
      const result = await rollback(ctx, {
        to: o.to,
        reason: o.reason,
        ...(onProductionChange ? { onProductionChange } : {}),
      });
      if (o.json) return out.json(result);
      out.line(
        result.changed
          ? `${style.green('rolled back')} production to ${result.production}${result.previous ? ` (previous: ${result.previous})` : ''}${deployedNote(config, result.event?.deploymentArn)}`
          : `${result.production} is already production; nothing changed`,
      );
    });

  withCommon(
    registry
      .command('history')
      .description('Every change to the registry, oldest first: who, when, what, why'),
  )
    .option('--limit <n>', 'only the last n events', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--limit must be a positive integer, got "${v}"`);
      return n;
    })
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry history\n  $ tunekit registry history --limit 5 --json',
    )
    .action(async (o: Common & { limit?: number }) => {
      const events = await readHistory(contextFrom(o));
      const shown = o.limit ? events.slice(-o.limit) : events;
      o.json ? out.json(shown) : out.line(renderHistory(shown));
    });

  withCommon(
    registry
      .command('register')
      .description('Register a version from a JSON lineage record (the pipeline does this itself)'),
  )
    .requiredOption(
      '--from <file>',
      'JSON file: baseModelId, baseModelFamily, jobArn, customModelArn, hyperparameters, dataManifest, evaluation, gate',
    )
    .option('--bump <kind>', 'major | minor | auto (auto: new base model or data format -> major)', 'auto')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit registry register --from lineage.json\n  $ tunekit registry register --from lineage.json --bump major --json',
    )
    .action(async (o: Common & { from: string; bump: string }) => {
      if (!['major', 'minor', 'auto'].includes(o.bump))
        throw new UsageError(`--bump must be major, minor or auto, got "${o.bump}"`);
      const result = await registerVersion(contextFrom(o), readJsonFile(o.from) as VersionInput, {
        bump: o.bump as 'major' | 'minor' | 'auto',
        source: o.from,
      });
      if (o.json) return out.json(result);
      out.line(
        `${result.created ? style.green('registered') : 'already registered'} ${result.version.name} ${result.version.version}`,
      );
    });
}

function deployedNote(config: Config, arn: string | undefined): string {
  return arn ? `\n${productionDeploymentName(config)} serves it: ${arn}` : '';
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TunekitError('CLI.FILE', `cannot read ${path}: ${(e as Error).message}`, {
      hint: 'check the --from path',
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TunekitError('CLI.FILE', `${path}: not valid JSON: ${(e as Error).message}`, {
      hint: 'fix the syntax error at the position shown',
    });
  }
}
