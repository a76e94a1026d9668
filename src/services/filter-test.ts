import { resolveEvent } from '../catalog/catalog.js';
import type { Problem } from '../errors.js';
import { compileFilter } from '../filter/compile.js';
import { filterDocument, matchesFilter } from '../filter/evaluate.js';
import { parseLossless, stringifyExact } from '../util/lossless-json.js';
import type { CatalogService } from './catalog.js';
import type { EventInput } from './publish.js';

export interface FilterTestResult {
  /** Whether the event would pass the filter; null when the filter or the event has problems. */
  matches: boolean | null;
  problems: Problem[];
}

/**
 * A filter tried on a sample event before it is saved: the event is read as a publish reads it (the catalog
 * spells its type and action, `result` defaults to succeed, `tenant` to default, `data` losslessly).
 */
export async function testFilter(
  catalog: CatalogService,
  input: { filter: Record<string, unknown>; filterText?: string; event: EventInput },
): Promise<FilterTestResult> {
  const problems: Problem[] = [];
  const compiled = compileFilter(input.filterText ?? stringifyExact(input.filter));
  if (!compiled.ok) for (const p of compiled.problems) problems.push({ path: `/filter${p.path}`, message: p.message, ...(p.allowed ? { allowed: p.allowed } : {}) });
  const ev = input.event;
  let r = resolveEvent(catalog.entries(), ev);
  if (!r.ok) {
    await catalog.refreshIfStale();
    r = resolveEvent(catalog.entries(), ev);
  }
  if (!r.ok) for (const p of r.problems) problems.push({ ...p, path: `/event${p.path}` });
  if (!compiled.ok || !r.ok) return { matches: null, problems };
  const doc = filterDocument({
    type: r.type,
    action: r.action,
    result: r.result,
    tenant: ev.tenant ?? 'default',
    entityIds: [...new Set(ev.entity_ids ?? [])],
    domainId: ev.scope?.domain_id ?? null,
    projectId: ev.scope?.project_id ?? null,
    data: ev.dataText !== undefined ? parseLossless(ev.dataText) : parseLossless(stringifyExact(ev.data ?? {})),
  });
  return { matches: matchesFilter(compiled.filter, doc), problems };
}
