import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSchemaText, SCHEMA_FILE } from './openapi-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
writeFileSync(join(root, SCHEMA_FILE), await generatedSchemaText());
console.log(`wrote ${SCHEMA_FILE}`);
