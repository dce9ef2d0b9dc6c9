import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/** The published JSON Schema for tunekit.config.*, generated from the zod schema (input side: defaults optional). */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'tunekit configuration' }, null, 2)}\n`;
}
