import { CATALOG, PRICING_PAGE } from './catalog-data.ts';
import type { Price } from './schema.ts';

/**
 * Distillation teachers: the models Bedrock lets answer a student's prompts, with the students each may
 * teach and their on-demand prices (the teacher's inference on every prompt is part of a distillation's
 * cost). Roles from https://docs.aws.amazon.com/nova/latest/userguide/customization.html (Micro and Lite:
 * student; Pro: teacher and student; Premier: teacher only) and
 * https://docs.aws.amazon.com/nova/latest/userguide/customize-distill.html (Nova Pro teaches Lite and
 * Micro). Premier teaching Pro, Lite and Micro is read from the roles table (the Nova families distil
 * within the family); the per-pair table of Bedrock's "Supported models and Regions for Model
 * Distillation" page was not readable: UNCONFIRMED beyond Premier -> Micro, which AWS's blog shows.
 */
export interface TeacherSpec {
  /** What tunekit sends as teacherModelIdentifier (a foundation-model id). */
  id: string;
  aliases: string[];
  name: string;
  /** Catalog ids of the students it may teach. */
  students: string[];
  inputPer1kTokens: Price;
  outputPer1kTokens: Price;
  sources: string[];
}

const ROLES = 'https://docs.aws.amazon.com/nova/latest/userguide/customization.html';
const catalogRow = (id: string) => CATALOG.find((m) => m.id === id)!;
const NOVA_PRO = catalogRow('amazon.nova-pro-v1:0:300k');
const unknown = (unit: string): Price => ({
  usd: null,
  unit,
  source: PRICING_PAGE,
  asOf: 'checked 2026-12-04',
});

export const TEACHERS: readonly TeacherSpec[] = [
  {
    id: 'amazon.nova-premier-v1:0',
    aliases: ['nova-premier', 'us.amazon.nova-premier-v1:0', 'amazon.nova-premier-v1:0:1000k'],
    name: 'Amazon Nova Premier',
    students: ['amazon.nova-pro-v1:0:300k', 'amazon.nova-lite-v1:0:300k', 'amazon.nova-micro-v1:0:128k'],
    inputPer1kTokens: unknown('per 1,000 input tokens (on-demand)'),
    outputPer1kTokens: unknown('per 1,000 output tokens (on-demand)'),
    sources: [
      ROLES,
      'https://signaldesk.news/optimize-video-semantic-search-intent-with-amazon-nova-model-distillatio (summary of the AWS ML blog post: Nova Premier teaches Nova Micro)',
    ],
  },
  {
    id: NOVA_PRO.invokeId,
    aliases: ['nova-pro', NOVA_PRO.id, `us.${NOVA_PRO.invokeId}`],
    name: NOVA_PRO.name,
    students: ['amazon.nova-lite-v1:0:300k', 'amazon.nova-micro-v1:0:128k'],
    inputPer1kTokens: NOVA_PRO.prices.inputPer1kTokens,
    outputPer1kTokens: NOVA_PRO.prices.outputPer1kTokens,
    sources: [ROLES, 'https://docs.aws.amazon.com/nova/latest/userguide/customize-distill.html'],
  },
];

/** A teacher by id, alias, inference-profile id or foundation-model ARN; undefined when unknown. */
export function findTeacher(identifier: string): TeacherSpec | undefined {
  const id = identifier.includes(':foundation-model/')
    ? identifier.split(':foundation-model/')[1]!
    : identifier;
  return TEACHERS.find((t) => t.id === id || t.aliases.includes(id));
}

/**
 * The foundation model id behind an identifier: a foundation-model or inference-profile ARN, an
 * inference-profile id (`us.amazon.nova-pro-v1:0`) or a plain id. Used to tell whether two ids name the same
 * model (a teacher given as a profile, invocation logs written under the plain id).
 */
export function baseModelIdOf(identifier: string): string {
  const tail = identifier.startsWith('arn:') ? identifier.slice(identifier.indexOf('/') + 1) : identifier;
  return tail.replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, '');
}
