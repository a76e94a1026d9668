/**
 * The event key names an event for subscriptions, topics and Cloudpods' X-Yunion-Event header:
 * `TYPE/ACTION`, upper-cased, with `/FAILED` appended only for failed results (a success adds nothing,
 * so `SERVER/CREATE` is the successful create).
 */
export interface EventKeyParts {
  type: string;
  action: string;
  result?: string | null;
}

export function eventKey({ type, action, result }: EventKeyParts): string {
  const key = `${type}/${action}`.toUpperCase();
  return result === 'failed' ? `${key}/FAILED` : key;
}
