import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MANUAL_UPLOAD_PREFIX } from '../pipeline/start-run.ts';
import { acknowledgeWildcardResources } from './nag-suppressions.ts';

export interface BedrockJobRoleProps {
  readonly bucket: s3.IBucket;
  readonly trainingDataPrefix: string;
  readonly outputPrefix: string;
}

/**
 * The service role Bedrock assumes while it trains. Trust is limited to this account's customization
 * jobs (confused-deputy protection, as Bedrock's user guide recommends); it can read only the training
 * prefix and the prefix `tunekit run` uploads local files to, and read and write only the output prefix.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-iam-role.html
 */
export class BedrockJobRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BedrockJobRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const readable = [props.trainingDataPrefix, MANUAL_UPLOAD_PREFIX].map((p) =>
      props.bucket.arnForObjects(`${p}*`),
    );
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by Amazon Bedrock model customization jobs started by tunekit',
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'bedrock',
              resource: 'model-customization-job',
              resourceName: '*',
            }),
          },
        },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTrainingData',
        actions: ['s3:GetObject'],
        resources: readable,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListTrainingData',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [
              `${props.trainingDataPrefix}*`,
              `${MANUAL_UPLOAD_PREFIX}*`,
              `${props.outputPrefix}*`,
            ],
          },
        },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteJobOutputs',
        // Bedrock reads back what it writes under the output prefix (the job role policy in Bedrock's
        // user guide grants GetObject and PutObject on the output bucket).
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [props.bucket.arnForObjects(`${props.outputPrefix}*`)],
      }),
    );
    acknowledgeWildcardResources(
      this.role,
      [...readable, props.bucket.arnForObjects(`${props.outputPrefix}*`)],
      'Object access is limited to one key prefix each (read training data, write job outputs); object names vary per run',
    );
    // A bucket encrypted with a customer key also needs kms:Decrypt / GenerateDataKey for the role.
    props.bucket.encryptionKey?.grantEncryptDecrypt(this.role);
  }
}
