/** tunekit's CDK construct for your own CDK app: `import { FineTunePipeline } from 'tunekit/cdk'`. */
export { FineTunePipeline } from '../infra/fine-tune-pipeline.ts';
export type { FineTunePipelineProps } from '../infra/props.ts';
