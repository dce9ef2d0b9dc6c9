import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MANUAL_UPLOAD_PREFIX } from '../pipeline/start-run.ts';
import { parseS3Uri } from '../pipeline/tasks/context.ts';
import { acknowledge, acknowledgeWildcardResources } from './nag-suppressions.ts';

export interface BedrockJobRoleProps {
  readonly bucket: s3.IBucket;
  readonly trainingDataPrefix: string;
  readonly outputPrefix: string;
  /** s3:// URI of the validation file (config training.validationData): the role may read it. */
  readonly validationDataUri?: string;
  /** The job's VPC (config training.vpc): the role gets the network-interface permissions Bedrock needs. */
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
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
    if (props.validationDataUri) {
      const { bucket, key } = parseS3Uri(props.validationDataUri)!;
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadValidationData',
          actions: ['s3:GetObject'],
          resources: [`arn:${stack.partition}:s3:::${bucket}/${key}`],
        }),
      );
    }
    if (props.vpc) this.allowVpc(props.vpc);
    acknowledgeWildcardResources(
      this.role,
      [...readable, props.bucket.arnForObjects(`${props.outputPrefix}*`)],
      'Object access is limited to one key prefix each (read training data, write job outputs); object names vary per run',
    );
    // A bucket encrypted with a customer key also needs kms:Decrypt / GenerateDataKey for the role.
    props.bucket.encryptionKey?.grantEncryptDecrypt(this.role);
  }

  /**
   * What a job in a VPC needs: describe the network, and create, tag and delete its network interfaces
   * in the configured subnets and security groups only.
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-model-customization.html
   */
  private allowVpc(vpc: { subnetIds: string[]; securityGroupIds: string[] }): void {
    const stack = Stack.of(this);
    const ec2 = (resource: string, name: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const describe = [
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeVpcs',
      'ec2:DescribeDhcpOptions',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
    ];
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'DescribeJobNetwork', actions: describe, resources: ['*'] }),
    );
    const subnets = vpc.subnetIds.map((id) => ec2('subnet', id));
    const groups = vpc.securityGroupIds.map((id) => ec2('security-group', id));
    const interfaces = ec2('network-interface', '*');
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CreateJobNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [...subnets, ...groups, interfaces],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageJobNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
        resources: [interfaces],
        conditions: { ArnEquals: { 'ec2:Subnet': subnets } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TagJobNetworkInterfaces',
        actions: ['ec2:CreateTags'],
        resources: [interfaces],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } },
      }),
    );
    acknowledge(
      this.role,
      ['AwsSolutions-IAM5[Resource::*]'],
      'EC2 Describe* calls Bedrock makes for a job in a VPC support no resource-level permissions',
    );
    acknowledgeWildcardResources(
      this.role,
      [interfaces],
      'Network interfaces Bedrock creates for the job have ids chosen at run time; creation is limited to the configured subnets and security groups',
    );
  }
}
