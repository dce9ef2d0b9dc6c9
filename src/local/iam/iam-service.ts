import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { QueryError } from '../aws-query/query-error.ts';
import type { QueryParams } from '../aws-query/query-params.ts';
import { queryService } from '../aws-query/query-service.ts';
import { JsonDocument } from '../json-document.ts';
import type { XmlNode } from '../s3/xml.ts';

/** botocore `iam` 2010-05-08: `metadata.xmlNamespace`, and the shapes' patterns and lengths used below. */
const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const ROLE_NAME = /^[\w+=,.@-]+$/; // roleNameType, 1-64
const POLICY_NAME = /^[\w+=,.@-]+$/; // policyNameType, 1-128
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/; // pathType, 1-512
// biome-ignore lint/suspicious/noControlCharactersInRegex: tab, LF and CR are exactly what the shape allows
const POLICY_DOCUMENT = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/; // policyDocumentType, 1-131072
const DEFAULT_MAX_SESSION = 3600;

interface StoredRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags: { Key: string; Value: string }[];
  /** Inline policies by name (PutRolePolicy). */
  inline: Record<string, string>;
  /** Managed policy ARNs attached (AttachRolePolicy). */
  attached: string[];
}

interface IamState {
  roles: Record<string, StoredRole>;
}

/**
 * The IAM subset the tutorial (Lab 2's role, cleanup step 3, the Cleanup Verification script) and
 * `tunekit setup|doctor|cleanup` use: roles, their inline policies and attached policy ARNs, tags. It
 * stores documents and answers as IAM does (errors, URL-encoded policy documents); it does not evaluate
 * policies: the local stack does not enforce IAM (docs/local.md).
 */
export function createIamService(options: { dataDir: string; accountId: string }) {
  const doc = new JsonDocument<IamState>(join(options.dataDir, 'iam', 'roles.json'), () => ({ roles: {} }));
  const roleNamed = (state: IamState, name: string): StoredRole => {
    const role = state.roles[name.toLowerCase()];
    if (!role) throw new QueryError('NoSuchEntity', 404, `The role with name ${name} cannot be found.`);
    return role;
  };
  const roleName = (p: QueryParams) => p.checked('RoleName', ROLE_NAME, 1, 64);
  const policyDocument = (p: QueryParams, name: string) => {
    const text = p.checked(name, POLICY_DOCUMENT, 1, 131_072);
    assertPolicyDocument(text);
    return text;
  };

  return queryService({
    namespace: NAMESPACE,
    actions: {
      CreateRole: (p) => {
        const name = roleName(p);
        const path = p.optional('Path') ?? '/';
        p.check('Path', path, PATH, 1, 512);
        const trust = policyDocument(p, 'AssumeRolePolicyDocument');
        const maxSession = Number(p.optional('MaxSessionDuration') ?? DEFAULT_MAX_SESSION);
        if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43_200)
          throw new QueryError(
            'ValidationError',
            400,
            `1 validation error detected: Value '${p.optional('MaxSessionDuration')}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`,
          );
        const role = doc.update((state) => {
          // IAM names are unique case-insensitively: "Role with name X already exists." for any casing.
          if (state.roles[name.toLowerCase()])
            throw new QueryError('EntityAlreadyExists', 409, `Role with name ${name} already exists.`);
          const created: StoredRole = {
            RoleName: name,
            RoleId: `AROA${randomBytes(16).toString('hex').toUpperCase().slice(0, 17)}`,
            Arn: `arn:aws:iam::${options.accountId}:role${path}${name}`,
            Path: path,
            CreateDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            AssumeRolePolicyDocument: trust,
            Description: p.optional('Description'),
            MaxSessionDuration: maxSession,
            Tags: p.list('Tags', ['Key', 'Value']).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
            inline: {},
            attached: [],
          };
          state.roles[name.toLowerCase()] = created;
          return created;
        });
        return { Role: renderRole(role) };
      },
      GetRole: (p) => ({ Role: renderRole(roleNamed(doc.get(), roleName(p))) }),
      ListRoles: () => ({
        Roles: { member: Object.values(doc.get().roles).map(renderRole) },
        IsTruncated: false,
      }),
      DeleteRole: (p) => {
        const name = roleName(p);
        doc.update((state) => {
          const role = roleNamed(state, name);
          if (Object.keys(role.inline).length > 0 || role.attached.length > 0)
            throw new QueryError('DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
          delete state.roles[name.toLowerCase()];
        });
        return undefined;
      },
      UpdateAssumeRolePolicy: (p) => {
        const name = roleName(p);
        const trust = policyDocument(p, 'PolicyDocument');
        doc.update((state) => {
          roleNamed(state, name).AssumeRolePolicyDocument = trust;
        });
        return undefined;
      },
      TagRole: (p) => {
        const name = roleName(p);
        const tags = p.list('Tags', ['Key', 'Value']);
        doc.update((state) => {
          const role = roleNamed(state, name);
          for (const tag of tags) {
            role.Tags = role.Tags.filter((t) => t.Key !== tag.Key);
            role.Tags.push({ Key: tag.Key ?? '', Value: tag.Value ?? '' });
          }
        });
        return undefined;
      },
      ListRoleTags: (p) => ({
        Tags: { member: roleNamed(doc.get(), roleName(p)).Tags },
        IsTruncated: false,
      }),
      PutRolePolicy: (p) => {
        const name = roleName(p);
        const policyName = p.checked('PolicyName', POLICY_NAME, 1, 128);
        const policy = policyDocument(p, 'PolicyDocument');
        doc.update((state) => {
          roleNamed(state, name).inline[policyName] = policy;
        });
        return undefined;
      },
      GetRolePolicy: (p) => {
        const role = roleNamed(doc.get(), roleName(p));
        const policyName = p.checked('PolicyName', POLICY_NAME, 1, 128);
        const policy = role.inline[policyName];
        if (policy === undefined) throw noSuchRolePolicy(policyName);
        return {
          RoleName: role.RoleName,
          PolicyName: policyName,
          PolicyDocument: encodeURIComponent(policy),
        };
      },
      ListRolePolicies: (p) => ({
        PolicyNames: { member: Object.keys(roleNamed(doc.get(), roleName(p)).inline) },
        IsTruncated: false,
      }),
      DeleteRolePolicy: (p) => {
        const name = roleName(p);
        const policyName = p.checked('PolicyName', POLICY_NAME, 1, 128);
        doc.update((state) => {
          const role = roleNamed(state, name);
          if (role.inline[policyName] === undefined) throw noSuchRolePolicy(policyName);
          delete role.inline[policyName];
        });
        return undefined;
      },
      AttachRolePolicy: (p) => {
        const name = roleName(p);
        const arn = p.required('PolicyArn');
        doc.update((state) => {
          const role = roleNamed(state, name);
          if (!role.attached.includes(arn)) role.attached.push(arn);
        });
        return undefined;
      },
      DetachRolePolicy: (p) => {
        const name = roleName(p);
        const arn = p.required('PolicyArn');
        doc.update((state) => {
          const role = roleNamed(state, name);
          if (!role.attached.includes(arn))
            throw new QueryError('NoSuchEntity', 404, `Policy ${arn} was not found.`);
          role.attached = role.attached.filter((a) => a !== arn);
        });
        return undefined;
      },
      ListAttachedRolePolicies: (p) => ({
        AttachedPolicies: {
          member: roleNamed(doc.get(), roleName(p)).attached.map((arn) => ({
            PolicyName: arn.split('/').pop() ?? arn,
            PolicyArn: arn,
          })),
        },
        IsTruncated: false,
      }),
    },
  });
}

const noSuchRolePolicy = (name: string) =>
  new QueryError('NoSuchEntity', 404, `The role policy with name ${name} cannot be found.`);

/** IAM refuses a document that is not a JSON policy: `MalformedPolicyDocument` "Syntax errors in policy." */
function assertPolicyDocument(text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new QueryError('MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  }
  const statement = (parsed as { Statement?: unknown } | null)?.Statement;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || statement === undefined)
    throw new QueryError('MalformedPolicyDocument', 400, 'Syntax errors in policy.');
}

/** IAM returns policy documents URL-encoded (RFC 3986); botocore and SDK users decode them. */
function renderRole(role: StoredRole): XmlNode {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodeURIComponent(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    Tags: role.Tags.length > 0 ? { member: role.Tags } : undefined,
    RoleLastUsed: {},
  };
}
