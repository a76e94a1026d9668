// Event-key patterns, as subscriptions and topics write them: `ONDEMAND_ENROLLMENT/EXPIRED`,
// `ONDEMAND_ENROLLMENT/*`, `*/SYNC_CREATE`, `SERVER/START/FAILED`, `*`.
//
// A `*` stands for exactly one segment, so `*/SYNC_CREATE` does not match `SERVER/SYNC_CREATE/FAILED`:
// failures stay opt-in. A trailing `*` stands for everything that remains (one or more segments), so
// `SERVER/*` covers `SERVER/START` and `SERVER/START/FAILED`, and a lone `*` covers every event.

const MAX_SEGMENTS = 3;
const SEGMENT = /^(?:[A-Z0-9_]+|\*)$/;

export function normalizePattern(pattern: string): string {
  return pattern.trim().toUpperCase();
}

/** Why `pattern` is not a valid event-key pattern, or null. */
export function patternProblem(pattern: unknown): string | null {
  if (typeof pattern !== 'string') return 'pattern must be a string';
  const normalized = normalizePattern(pattern);
  if (normalized.length === 0) return 'pattern must not be empty';
  const segments = normalized.split('/');
  if (segments.length > MAX_SEGMENTS) {
    return `pattern ${JSON.stringify(pattern)} has ${segments.length} segments; at most ${MAX_SEGMENTS} (TYPE/ACTION/FAILED)`;
  }
  for (const segment of segments) {
    if (segment.length === 0) return `pattern ${JSON.stringify(pattern)} has an empty segment`;
    if (!SEGMENT.test(segment)) {
      return `pattern ${JSON.stringify(pattern)}: segment ${JSON.stringify(segment)} must be letters, digits and _, or a lone *`;
    }
  }
  const third = segments[2];
  if (third !== undefined && third !== 'FAILED' && third !== '*') {
    return `pattern ${JSON.stringify(pattern)}: the third segment can only be FAILED or *`;
  }
  return null;
}

/** Whether an event key matches a pattern; both are compared upper-case. */
export function matchesPattern(pattern: string, key: string): boolean {
  const p = normalizePattern(pattern).split('/');
  const k = key.trim().toUpperCase().split('/');
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    const last = i === p.length - 1;
    if (segment === '*' && last) return k.length > i;
    if (i >= k.length) return false;
    if (segment !== '*' && segment !== k[i]) return false;
  }
  return p.length === k.length;
}

export function matchesAny(patterns: readonly string[], key: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, key));
}
