import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../config/load.ts';
import { TunekitStack } from './stack.ts';

/**
 * `cdk synth|deploy` entry (cdk.json: `npx tsx src/infra/app.ts`). Reads tunekit.config.json from the
 * working directory (or `-c config=path`), and `-c email=you@example.com` subscribes an address.
 */
export function buildApp(app = new App()): { app: App; stack: TunekitStack } {
  const configPath = app.node.tryGetContext('config') as string | undefined;
  const { config, dir } = loadConfig(configPath ? { explicitPath: configPath } : {});
  const email = app.node.tryGetContext('email') as string | undefined;
  const stack = new TunekitStack(app, `Tunekit-${config.project}`, {
    config,
    configDir: dir,
    ...(email ? { notificationEmail: email } : {}),
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION ?? config.region,
    },
    description: `tunekit fine-tuning pipeline for ${config.project} (Bedrock, Step Functions, EventBridge)`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
