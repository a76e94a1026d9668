import { matchesPattern } from '../catalog/patterns.js';
import { matchesFilter, type FilterDocument } from '../filter/evaluate.js';
import type { CompiledFilter } from '../filter/language.js';

/**
 * Which endpoints a message goes to, and why others are skipped. Pure: rows in, decisions out.
 * A subscription matches through its own event patterns or through one of its topics, only within its scope,
 * and only when the event passes its filter.
 */
export interface RouteSubscription {
  id: string;
  endpoint_id: string;
  events: string[];
  topics: string[];
  resource_scope: string;
  attribution_id: string | null;
  enabled: boolean;
  endpoint_enabled: boolean;
  filter: CompiledFilter | null;
}

export interface RouteTopic {
  id: string;
  patterns: string[];
  enabled: boolean;
}

export interface RouteEvent {
  eventKey: string;
  domainId: string | null;
  projectId: string | null;
  /** What filters look at; called only when a subscription with a filter matches the event key and scope. */
  document(): FilterDocument;
}

/** A subscription that matched the event key and scope but whose filter passed the event over. */
export interface FilteredOut {
  subscriptionId: string;
  endpointId: string;
}

export interface Routing {
  routes: Route[];
  filtered: FilteredOut[];
}

export interface Route {
  endpointId: string;
  subscriptionId: string;
  topicId: string | null;
  /** null when the delivery is to be sent; otherwise why it is recorded as skipped. */
  skipReason: string | null;
}

function inScope(sub: RouteSubscription, ev: RouteEvent): boolean {
  switch (sub.resource_scope) {
    case 'domain':
      return sub.attribution_id !== null && sub.attribution_id === ev.domainId;
    case 'project':
      return sub.attribution_id !== null && sub.attribution_id === ev.projectId;
    default:
      return true;
  }
}

export function routeEvent(ev: RouteEvent, subs: RouteSubscription[], topics: Map<string, RouteTopic>): Routing {
  const byEndpoint = new Map<string, Route>();
  const filtered: FilteredOut[] = [];
  let doc: FilterDocument | undefined;
  for (const sub of subs) {
    if (!inScope(sub, ev)) continue;
    const direct = sub.events.some((p) => matchesPattern(p, ev.eventKey));
    let topic: RouteTopic | null = null;
    for (const id of sub.topics) {
      const t = topics.get(id);
      if (t && t.patterns.some((p) => matchesPattern(p, ev.eventKey)) && (topic === null || (!topic.enabled && t.enabled))) topic = t;
    }
    if (!direct && topic === null) continue;
    // A filter says whether the subscription wants the event at all: one that does not creates no delivery,
    // not even a skipped one, whether or not the subscription is enabled.
    if (sub.filter && !matchesFilter(sub.filter, (doc ??= ev.document()))) {
      filtered.push({ subscriptionId: sub.id, endpointId: sub.endpoint_id });
      continue;
    }
    let skipReason: string | null = null;
    if (!sub.enabled) skipReason = 'subscription disabled';
    else if (!direct && topic && !topic.enabled) skipReason = 'topic disabled';
    else if (!sub.endpoint_enabled) skipReason = 'endpoint disabled';
    const route: Route = { endpointId: sub.endpoint_id, subscriptionId: sub.id, topicId: direct ? null : topic!.id, skipReason };
    const prev = byEndpoint.get(sub.endpoint_id);
    // One delivery per endpoint and message: a sendable route wins over a skipped one.
    if (!prev || (prev.skipReason !== null && skipReason === null)) byEndpoint.set(sub.endpoint_id, route);
  }
  return { routes: [...byEndpoint.values()], filtered };
}
