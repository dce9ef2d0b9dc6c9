import { Stack, Validations } from 'aws-cdk-lib';
// Not re-exported by cdk-nag's index; it is how cdk-nag itself renders a resource in a finding id.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on `scope` (and below), each with the reason it is acceptable. cdk-nag v3
 * acknowledges one finding id at a time (`AwsSolutions-IAM5[Resource::<rendered ARN>]`), so ARNs are
 * rendered the way cdk-nag renders them rather than spelled out by hand.
 */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** `AwsSolutions-IAM5` findings for wildcard resources (ARN patterns, possibly containing tokens). */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  acknowledge(
    scope,
    resources.map(
      (resource) => `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(resource))}]`,
    ),
    reason,
  );
}
