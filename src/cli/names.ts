import { ApiError, type Client } from './client.js';

/**
 * Endpoint names by id, read once per command (every page of the endpoint list), so a table of N rows shows names
 * for the cost of one listing, not N lookups.
 */
export async function endpointNames(client: Client): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await client.get('/v1/endpoints', { limit: 500, cursor });
    for (const e of page.data as Array<{ id: string; name: string }>) names.set(e.id, e.name);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return names;
}

/** `lab backend (ep_01H...)` in detail views; the id alone when the endpoint is gone. */
export function nameAndId(name: string | null | undefined, id: string | null | undefined): string | null {
  if (!id) return null;
  return name ? `${name} (${id})` : id;
}

/** One endpoint's name, for a detail view; undefined when it cannot be read (deleted, say): the id still shows. */
export async function endpointName(client: Client, id: string | null | undefined): Promise<string | undefined> {
  if (!id) return undefined;
  try {
    return ((await client.get(`/v1/endpoints/${encodeURIComponent(id)}`)) as { name?: string }).name;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}
