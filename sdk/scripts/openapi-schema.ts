import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import pino from 'pino';
import { startHerald } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

/** Where the generated types are committed, relative to the repository root. */
export const SCHEMA_FILE = 'sdk/src/schema.ts';
export const REGENERATE_COMMAND = 'npm run generate -w sdk';

const HEADER = `/**
 * Generated from Herald's OpenAPI document by \`${REGENERATE_COMMAND}\`. Do not edit: a test fails when this
 * file no longer matches what the server describes.
 */

`;

/**
 * Herald's OpenAPI document as its server builds it: an API-only Herald on a throwaway SQLite file, bound to
 * an ephemeral loopback port for the moment it takes to read the document, so no running Herald is needed.
 */
export async function heraldOpenApi(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-openapi-'));
  try {
    const config = loadConfig({
      HERALD_PORT: '0',
      HERALD_HOST: '127.0.0.1',
      HERALD_DATA_DIR: dataDir,
      HERALD_ROLE: 'api',
      HERALD_ADMIN_TOKEN: 'openapi-generation-token',
      HERALD_LOG_LEVEL: 'silent',
    });
    const herald = await startHerald(config, { logger: pino({ level: 'silent' }) });
    try {
      return herald.app!.swagger() as unknown as Record<string, unknown>;
    } finally {
      await herald.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The text of the generated types for an OpenAPI document. */
export async function schemaTextFor(doc: Record<string, unknown>): Promise<string> {
  // A structured clone: the generator annotates what it is given, and the server's document is shared.
  const ast = await openapiTS(structuredClone(doc) as never, { alphabetize: false });
  return HEADER + astToString(ast);
}

/** The text of the generated types for the document Herald's server describes now. */
export async function generatedSchemaText(): Promise<string> {
  return schemaTextFor(await heraldOpenApi());
}
