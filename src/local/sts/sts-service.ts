import { queryService } from '../aws-query/query-service.ts';

/** The STS namespace of botocore's `sts` 2011-06-15 service model (`metadata.xmlNamespace`). */
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Who the local stack's caller is: one local user in the stack's account. */
export const localCallerArn = (accountId: string) => `arn:aws:iam::${accountId}:user/tunekit-local`;

/**
 * The STS subset clients use to ask "who am I" (the tutorial's verify_setup.py and deploy_automation.py,
 * `tunekit doctor`): GetCallerIdentity. Every signed request that reaches this handler has passed the
 * stack's signature check, so the caller is the stack's one user.
 */
export function createStsService(options: { accountId: string }) {
  return queryService({
    namespace: NAMESPACE,
    actions: {
      GetCallerIdentity: () => ({
        UserId: 'AIDATUNEKITLOCALUSER',
        Account: options.accountId,
        Arn: localCallerArn(options.accountId),
      }),
    },
  });
}
