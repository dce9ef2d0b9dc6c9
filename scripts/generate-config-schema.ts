// Writes schema/tunekit.config.schema.json from the zod schema, so editors can autocomplete configs.
// `src/config/load.test.ts` ("published JSON Schema") fails when the checked-in file drifts from the schema.
import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../src/config/json-schema.ts';

writeFileSync(new URL('../schema/tunekit.config.schema.json', import.meta.url), configJsonSchemaText());
console.log('wrote schema/tunekit.config.schema.json');
