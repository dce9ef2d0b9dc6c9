import { arnResourceId } from '../arns.ts';
import type { Collection } from '../collection.ts';
import type { BedrockContext } from '../context.ts';
import { BedrockError, notFound } from '../errors.ts';
import type { Tag } from '../records.ts';
import { requiredString, tagList } from '../validate.ts';
import type { Route } from './types.ts';

/** TagResource / UntagResource / ListTagsForResource over jobs, custom models, PTs and deployments. */
function locate(
  ctx: BedrockContext,
  arn: string,
): { collection: Collection<{ id: string; tags: Tag[] }>; id: string } {
  const kinds: [string, Collection<{ id: string; tags: Tag[] }>][] = [
    ['model-customization-job', ctx.state.jobs as never],
    ['custom-model', ctx.state.models as never],
    ['provisioned-model', ctx.state.provisioned as never],
    ['custom-model-deployment', ctx.state.deployments as never],
  ];
  for (const [kind, collection] of kinds) {
    const id = arnResourceId(arn, kind);
    if (id && collection.get(id)) return { collection, id };
  }
  throw notFound(`Could not find resource ${arn}`);
}

export const tagRoutes: Route[] = [
  {
    api: 'TagResource',
    method: 'POST',
    path: '/tagResource',
    handler: (ctx, req) => {
      const arn = requiredString(req.body, 'resourceARN', { min: 20, max: 1011 });
      const tags = tagList(req.body, 'tags');
      const { collection, id } = locate(ctx, arn);
      const merged = new Map(collection.get(id)!.tags.map((t) => [t.key, t.value]));
      for (const t of tags) merged.set(t.key, t.value);
      if (merged.size > 200)
        throw new BedrockError('TooManyTagsException', `A resource can have at most 200 tags.`);
      collection.update(id, { tags: [...merged].map(([key, value]) => ({ key, value })) });
      return { status: 200, body: {} };
    },
  },
  {
    api: 'UntagResource',
    method: 'POST',
    path: '/untagResource',
    handler: (ctx, req) => {
      const arn = requiredString(req.body, 'resourceARN', { min: 20, max: 1011 });
      const keys = req.body.tagKeys;
      if (!Array.isArray(keys))
        throw new BedrockError('ValidationException', 'tagKeys must be a list of strings');
      const { collection, id } = locate(ctx, arn);
      collection.update(id, { tags: collection.get(id)!.tags.filter((t) => !keys.includes(t.key)) });
      return { status: 200, body: {} };
    },
  },
  {
    api: 'ListTagsForResource',
    method: 'POST',
    path: '/listTagsForResource',
    handler: (ctx, req) => {
      const arn = requiredString(req.body, 'resourceARN', { min: 20, max: 1011 });
      const { collection, id } = locate(ctx, arn);
      return { status: 200, body: { tags: collection.get(id)!.tags } };
    },
  },
];
