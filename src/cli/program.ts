import { Command, CommanderError } from 'commander';
import { ExitError, isTunekitError, UsageError } from '../errors.ts';
import { environmentError, noCredentialsError } from './aws-target.ts';
import { registerCommands } from './commands/index.ts';
import { style } from './output.ts';

/**
 * The CLI entry: builds the program, runs it, and is the one place that catches errors.
 * Exit codes: 0 success, 1 a failed check or operation, 2 a usage error, 70 an internal error (a bug).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('tunekit')
    .description(
      'Automate fine-tuning on Amazon Bedrock: validate data, train, evaluate, version, deploy and clean up —\n' +
        'on a local stack that trains a real (small) model, or on AWS.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .option(
      '--aws',
      'talk to real AWS even when a local stack runs for this project (same as TUNEKIT_TARGET=aws)',
    )
    .hook('preAction', (command) => {
      // One switch read where clients are made (cli/aws-target.ts), whichever command runs.
      if (command.opts().aws) process.env.TUNEKIT_TARGET = 'aws';
    })
    .exitOverride();
  await registerCommands(program, argv);
  for (const command of program.commands) exitOverrideDeep(command);
  return program;
}

const VERSION = '0.1.0';

function exitOverrideDeep(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideDeep(sub);
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(thrown: unknown): number {
  // The SDK finding no credentials at all is a setup step the user has not done yet, not a bug.
  const error = noCredentialsError(thrown) ?? environmentError(thrown) ?? thrown;
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they already printed.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return 0;
    return 2;
  }
  if (error instanceof ExitError) return error.exitCode;
  if (isTunekitError(error)) {
    process.stderr.write(`${style.red('error')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${style.dim('  ->')} ${error.hint}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
  const e = error as Error;
  process.stderr.write(`${style.red('internal error')} ${e?.stack ?? String(error)}\n`);
  process.stderr.write(
    '  -> this is a bug in tunekit; please report it with the command you ran and the output above\n',
  );
  return 70;
}
