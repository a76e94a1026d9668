import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { builtinCatalog, customEntry, customTypeProblems, type CatalogEntry } from '../catalog/catalog.js';
import type { CustomEventTypeInput } from '../catalog/custom.js';
import { HeraldError, invalid } from '../errors.js';
import type { ServiceContext } from './context.js';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

/**
 * The live catalog: the built-in types plus the operators' custom ones, with compiled `data` schemas.
 * Custom types are reloaded from the store when a lookup misses, so a type added through another
 * Herald process is known here without a restart.
 */
export function makeCatalogService(ctx: ServiceContext) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  let entries: CatalogEntry[] = builtinCatalog();
  const validators = new Map<string, ValidateFunction>();
  let loadedAt = 0;

  async function reload(): Promise<void> {
    const rows = await ctx.store.db.selectFrom('event_types').selectAll().orderBy('type').execute();
    const custom = rows.map((r) => customEntry({ type: r.type, actions: JSON.parse(r.actions), schema: r.schema ? JSON.parse(r.schema) : null }));
    entries = [...builtinCatalog(), ...custom];
    validators.clear();
    for (const c of custom) if (c.schema) validators.set(c.type, ajv.compile(c.schema));
    loadedAt = ctx.now();
  }

  return {
    entries: () => entries,
    reload,
    /** Reloads when a type is unknown here, at most once a second. */
    async refreshIfStale(): Promise<void> {
      if (ctx.now() - loadedAt > 1000) await reload();
    },
    dataValidator: (type: string) => validators.get(type) ?? null,
    async addCustomType(input: CustomEventTypeInput) {
      await reload();
      const problems = customTypeProblems(input, entries);
      if (problems.length) throw invalid(problems);
      if (input.schema) {
        try {
          ajv.compile(input.schema);
        } catch (e) {
          throw invalid([{ path: '/schema', message: `not a valid JSON Schema: ${(e as Error).message}` }]);
        }
      }
      const entry = customEntry(input);
      try {
        await ctx.store.db
          .insertInto('event_types')
          .values({ type: entry.type, actions: JSON.stringify(entry.actions), schema: input.schema ? JSON.stringify(input.schema) : null, created_at: ctx.now() })
          .execute();
      } catch {
        throw new HeraldError('conflict', `event type ${entry.type} already exists`);
      }
      await reload();
      return entryJson(entry);
    },
  };
}

export type CatalogService = ReturnType<typeof makeCatalogService>;

export function entryJson(e: CatalogEntry) {
  return { type: e.type, catalog: e.catalog, actions: e.actions, results: ['succeed', 'failed'], schema: e.schema ?? null };
}
