import { stringifyExact } from '../util/lossless-json.js';
import { canonicalConfig, canonicalEntityState, interfaceKey } from './canonical-state.js';
import type {
  ApplyResult,
  Config,
  DeletedMessage,
  EntityState,
  IncomingMessage,
  Problem,
  StoredInterface,
  StoredResource,
  UpsertMessage,
} from './types.js';

/** The working copy one message is applied to; the caller's state is never touched. */
interface Draft {
  resources: Map<string, StoredResource>;
  interfaces: Map<string, StoredInterface>;
  /**
   * True when the message is older than what is stored for that resource. Such a message changes neither
   * the resource nor its interfaces: a late delivery must not roll back a newer report. Decided against the
   * state as it was before the message, so a resource the message itself creates is never stale.
   */
  isStale: (resourceId: string) => boolean;
}

/**
 * Applies one validated incoming message to an entity's state. CREATED adds (replacing a resource that
 * already exists), UPDATED merges by resource id, DELETED removes resources with their interfaces.
 * Applying the same message again gives the same state and `changed: false`. Refused (state untouched)
 * when an interface points at a resource that is neither in the message nor in the resulting state.
 */
export function applyIncoming(state: EntityState, msg: IncomingMessage, nowIso: string): ApplyResult {
  const before = canonicalEntityState(state);
  const messageTs = msg.timestamp === undefined ? null : Date.parse(msg.timestamp);
  const storedTs = new Map(before.resources.map((r) => [r.id, r.source_ts]));
  const draft: Draft = {
    resources: new Map(before.resources.map((r) => [r.id, r])),
    interfaces: new Map(before.interfaces.map((i) => [interfaceKey(i), i])),
    isStale: (resourceId) => {
      const stored = storedTs.get(resourceId);
      return messageTs !== null && stored != null && messageTs < Date.parse(stored);
    },
  };

  if (msg.action === 'DELETED') applyDeleted(draft, msg);
  else applyUpsert(draft, msg, nowIso);

  const problems = danglingInterfaces(draft, msg);
  if (problems.length > 0) return { ok: false, problems };

  const after = canonicalEntityState({
    resources: [...draft.resources.values()],
    interfaces: [...draft.interfaces.values()],
  });
  return { ok: true, state: after, changed: stringifyExact(after) !== stringifyExact(before) };
}

function applyUpsert(draft: Draft, msg: UpsertMessage, nowIso: string): void {
  const merging = msg.action === 'UPDATED';
  for (const r of msg.data.resources) {
    const stored = draft.resources.get(r.id);
    if (draft.isStale(r.id)) continue;
    const base = merging ? stored : undefined;
    const next = {
      id: r.id,
      type: r.type,
      name: r.name ?? base?.name ?? null,
      status: r.status,
      config: mergeConfig(base?.config, r.config),
    };
    draft.resources.set(r.id, {
      ...next,
      // updated_at tells watchers when the resource last changed, so a repeat report leaves it alone.
      updated_at: stored && sameContent(stored, next) ? stored.updated_at : nowIso,
      source_ts: laterTimestamp(stored?.source_ts ?? null, msg.timestamp ?? null),
    });
  }
  for (const i of msg.data.interfaces) {
    if (draft.isStale(i.resource_id)) continue;
    const key = interfaceKey(i);
    const base = merging ? draft.interfaces.get(key) : undefined;
    draft.interfaces.set(key, {
      type: i.type,
      resource_id: i.resource_id,
      name: i.name ?? null,
      config: mergeConfig(base?.config, i.config),
    });
  }
}

function applyDeleted(draft: Draft, msg: DeletedMessage): void {
  for (const r of msg.data.resources) {
    if (!draft.resources.has(r.id) || draft.isStale(r.id)) continue;
    draft.resources.delete(r.id);
    // An interface cannot outlive the resource it sits on.
    for (const [key, i] of draft.interfaces) if (i.resource_id === r.id) draft.interfaces.delete(key);
  }
  for (const i of msg.data.interfaces) {
    if (!draft.isStale(i.resource_id)) draft.interfaces.delete(interfaceKey(i));
  }
}

function danglingInterfaces(draft: Draft, msg: IncomingMessage): Problem[] {
  const named = new Set(msg.data.resources.map((r) => r.id));
  const problems: Problem[] = [];
  msg.data.interfaces.forEach((i, n) => {
    if (named.has(i.resource_id) || draft.resources.has(i.resource_id)) return;
    problems.push({
      path: `/data/interfaces/${n}/resource_id`,
      message: `'${i.resource_id}' is neither a resource of this message nor of the entity's state`,
    });
  });
  return problems;
}

/** Without a base the given config replaces; with one it is merged over it, one level deep. */
function mergeConfig(base: Config | undefined, given: Config | undefined): Config {
  return canonicalConfig({ ...base, ...given });
}

function sameContent(a: StoredResource, b: Omit<StoredResource, 'updated_at' | 'source_ts'>): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    a.status === b.status &&
    stringifyExact(a.config) === stringifyExact(b.config)
  );
}

// A message without a timestamp says nothing about order, so it never lowers what is known.
function laterTimestamp(stored: string | null, given: string | null): string | null {
  if (stored === null) return given;
  if (given === null) return stored;
  return Date.parse(given) > Date.parse(stored) ? given : stored;
}
