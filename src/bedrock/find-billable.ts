import {
  type BedrockClient,
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { bedrockName } from './names.ts';
import { isProductionDeployment, tunekitProject } from './tags.ts';

/** Only `send` is used, so a test can hand in a double and the janitor a real client. */
export type BedrockSender = Pick<BedrockClient, 'send'>;

export type BillableKind = 'provisioned-throughput' | 'custom-model-deployment';

export interface BillableResource {
  kind: BillableKind;
  arn: string;
  name: string;
  project: string;
  createdAt: Date;
  status: string;
  /** A Provisioned Throughput with a commitment term cannot be deleted before the term ends. */
  commitmentEndsAt?: Date;
  /** The long-lived deployment serving `production` (tag `tunekit:role=production`): meant to stay. */
  production?: boolean;
  /**
   * The (custom) model it serves, and for Provisioned Throughput its base model and units (what it bills):
   * members of botocore's bedrock ProvisionedModelSummary (modelArn, foundationModelArn, modelUnits,
   * commitmentDuration) and CustomModelDeploymentSummary (modelArn), so no extra call is needed.
   */
  modelArn?: string;
  foundationModelArn?: string;
  modelUnits?: number;
  /** OneMonth | SixMonths; absent for no-commitment Provisioned Throughput. */
  commitmentDuration?: string;
}

export interface FindOptions {
  /** Only resources of this project (tag value); all tunekit projects when omitted. */
  project?: string;
}

/**
 * Every tunekit-tagged custom model deployment and Provisioned Throughput in the client's region.
 * Untagged resources are never returned: the janitor must not delete what someone else created.
 */
export async function findBillableResources(
  bedrock: BedrockSender,
  options: FindOptions = {},
): Promise<BillableResource[]> {
  const candidates = [...(await listProvisioned(bedrock)), ...(await listDeployments(bedrock))];
  const evaluationName = options.project !== undefined ? evaluationNamePattern(options.project) : undefined;
  const found: BillableResource[] = [];
  for (const candidate of candidates) {
    let project: string | undefined;
    let production = false;
    if (evaluationName?.test(candidate.name)) {
      project = options.project;
    } else {
      const { tags } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: candidate.arn }));
      project = tunekitProject(tags);
      production = isProductionDeployment(tags);
    }
    if (project === undefined) continue;
    if (options.project !== undefined && project !== options.project) continue;
    found.push({ ...candidate, project, ...(production ? { production } : {}) });
  }
  return found;
}

/**
 * The names the pipeline gives evaluation deployments (`<project>-eval-<12 hex>` for the candidate,
 * `<project>-evalprod-<12 hex>` for production; `evaluationDeploymentNames` in
 * src/bedrock/names.ts): untagged resources with this exact shape are tunekit's too, so a
 * deployment created without tags is still found. The project part goes through the same `bedrockName`
 * (which also leaves no regex metacharacter), or a valid project like `team--bank-` would never match.
 */
const evaluationNamePattern = (project: string) =>
  new RegExp(`^${bedrockName(project)}-eval(?:prod)?-[0-9a-f]{12}$`);

type Candidate = Omit<BillableResource, 'project'>;

async function listProvisioned(bedrock: BedrockSender): Promise<Candidate[]> {
  const out: Candidate[] = [];
  let nextToken: string | undefined;
  do {
    const page = await bedrock.send(
      new ListProvisionedModelThroughputsCommand({ nextToken, maxResults: 100 }),
    );
    for (const pt of page.provisionedModelSummaries ?? []) {
      if (!pt.provisionedModelArn) continue;
      out.push({
        kind: 'provisioned-throughput',
        arn: pt.provisionedModelArn,
        name: pt.provisionedModelName ?? pt.provisionedModelArn,
        createdAt: pt.creationTime ?? new Date(0),
        status: pt.status ?? 'Unknown',
        ...(pt.commitmentExpirationTime ? { commitmentEndsAt: pt.commitmentExpirationTime } : {}),
        ...(pt.modelArn ? { modelArn: pt.modelArn } : {}),
        ...(pt.foundationModelArn ? { foundationModelArn: pt.foundationModelArn } : {}),
        ...(pt.modelUnits !== undefined ? { modelUnits: pt.modelUnits } : {}),
        ...(pt.commitmentDuration ? { commitmentDuration: pt.commitmentDuration } : {}),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

async function listDeployments(bedrock: BedrockSender): Promise<Candidate[]> {
  const out: Candidate[] = [];
  let nextToken: string | undefined;
  do {
    const page = await bedrock.send(new ListCustomModelDeploymentsCommand({ nextToken, maxResults: 100 }));
    for (const deployment of page.modelDeploymentSummaries ?? []) {
      if (!deployment.customModelDeploymentArn) continue;
      out.push({
        kind: 'custom-model-deployment',
        arn: deployment.customModelDeploymentArn,
        name: deployment.customModelDeploymentName ?? deployment.customModelDeploymentArn,
        createdAt: deployment.createdAt ?? new Date(0),
        status: deployment.status ?? 'Unknown',
        ...(deployment.modelArn ? { modelArn: deployment.modelArn } : {}),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}
