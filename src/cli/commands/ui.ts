import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { TunekitError, UsageError } from '../../errors.ts';
import { buildAppBundle } from '../../ui/server/bundle.ts';
import { createUiData } from '../../ui/server/data.ts';
import { startUiServer } from '../../ui/server/server.ts';
import { cliAwsClients, resolveAwsTarget } from '../aws-target.ts';
import { stdoutOutput, style } from '../output.ts';

/** `tunekit ui`: the dashboard for the project in the current directory (src/ui, docs/ui.md). */

interface UiOptions {
  port: string;
  open?: boolean;
  readOnly?: boolean;
  config?: string;
}

function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () =>
    process.stderr.write(`could not start ${command} to open the browser; open the URL above yourself\n`),
  );
  child.unref();
}

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('Open the dashboard: runs, evaluations and the registry in the browser (127.0.0.1 only)')
    .option('-p, --port <n>', 'port to listen on (0 = any free port)', '0')
    .option('--open', 'open the URL in your browser')
    .option(
      '--read-only',
      'show everything, refuse every action: promote, rollback, stop a run (the buttons are hidden)',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .addHelpText(
      'after',
      `
Where the data comes from (the same calls as \`tunekit runs\`, \`registry\` and \`eval\`):
  - endpoints you exported (eval "$(tunekit local env)"), else
  - the local stack started for this project (\`tunekit watch\` or \`tunekit local start\`), else
  - AWS, with your usual credentials and region.

Security: it listens on 127.0.0.1 only and prints a URL with a random token (as Jupyter does); every
request must carry it (the page keeps it in a cookie), requests naming another host are refused, and
promote/rollback are POSTs with a CSRF token. Anyone who has the URL can act: do not share it.

Examples:
  $ tunekit ui --open
  $ tunekit ui --port 8765 --read-only`,
    )
    .action(async (o: UiOptions) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a whole number 0..65535, got "${o.port}"`, 'e.g. --port 8765');
      const { config, dir } = loadConfig({ explicitPath: o.config });
      // The same target every command uses (cli/aws-target.ts): exported endpoints, AWS credentials, the
      // project's running local stack (signed with its own key pair), else AWS.
      const target = resolveAwsTarget(resolve(dir, config.local.dataDir));
      const clients = cliAwsClients(config, dir);
      const describe =
        target.kind === 'local'
          ? `the local stack at ${target.state.endpoint} (${target.dataDir})`
          : target.kind === 'env-endpoint'
            ? `endpoints from the environment (${target.endpoint})`
            : `AWS (${config.region}, your credentials)`;
      const bundle = await buildAppBundle();
      const ui = await startUiServer({
        data: createUiData(config, clients, dir),
        bundle,
        port,
        readOnly: Boolean(o.readOnly),
        source: describe,
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE')
          throw new TunekitError('UI.PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use`, {
            hint: 'pick another with --port, or --port 0 for any free one',
          });
        throw error;
      });
      process.stderr.write(`${style.dim(`reading ${describe}${o.readOnly ? ' (read-only)' : ''}`)}\n`);
      stdoutOutput.line(`tunekit dashboard for ${config.project}: ${ui.url}`);
      process.stderr.write(`${style.dim('Ctrl-C stops it.')}\n`);
      if (o.open) openBrowser(ui.url);
      await new Promise<void>((resolve) => {
        const stop = () => void ui.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
